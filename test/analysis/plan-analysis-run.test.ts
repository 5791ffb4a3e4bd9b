import { errorMeasurement, judgeMeasurement } from "../../src/analysis/judge-measurement.js";
import type { AnalysisRunState } from "../../src/analysis/plan-analysis-run.js";
import { measurementDue, newRunState, recordMeasurement, runStatus } from "../../src/analysis/plan-analysis-run.js";
import type { AnalysisConfig } from "../../src/config/analysis-schema.js";
import { T0, analysis, at } from "./analysis-fixtures.js";

const ok = (s: number) => judgeMeasurement(analysis(), [{ labels: {}, value: 0 }], at(s));
const bad = (s: number) => judgeMeasurement(analysis(), [{ labels: {}, value: 1 }], at(s));
const empty = (s: number) => judgeMeasurement(analysis(), [], at(s));
const err = (s: number) => errorMeasurement('prometheus "p" unreachable: connect ECONNREFUSED', at(s));

function run(a: AnalysisConfig, ...ms: ReturnType<typeof ok>[]): AnalysisRunState {
  return ms.reduce((state, m) => recordMeasurement(state, m, ["q"]), newRunState(a, T0));
}

test("a new run measures at once, then every interval, and passes after count measurements", () => {
  const a = analysis({ interval: "30s", count: 3 });
  expect(runStatus(a, run(a))).toMatchObject({ phase: "running", nextAt: T0 });
  expect(measurementDue(runStatus(a, run(a)), T0)).toBe(true);
  const two = runStatus(a, run(a, ok(0), ok(30)));
  expect(two).toMatchObject({ phase: "running", nextAt: at(60), successful: 2 });
  expect(measurementDue(two, at(59))).toBe(false);
  expect(runStatus(a, run(a, ok(0), ok(30), ok(60)))).toMatchObject({ phase: "successful", nextAt: null, successful: 3 });
});

test("failureLimit failed measurements are tolerated; one more fails the run at once", () => {
  const a = analysis({ count: 5, failureLimit: 1 });
  expect(runStatus(a, run(a, bad(0), ok(60))).phase).toBe("running");
  expect(runStatus(a, run(a, bad(0), ok(60), bad(120)))).toMatchObject({ phase: "failed", failed: 2, decisive: { value: 1, at: at(120).toISOString() } });
  const strict = analysis();
  expect(runStatus(strict, run(strict, bad(0))).phase).toBe("failed");
});

test("more than inconclusiveLimit measurements without data make the run inconclusive", () => {
  const a = analysis({ inconclusiveLimit: 1 });
  expect(runStatus(a, run(a, empty(0))).phase).toBe("running");
  expect(runStatus(a, run(a, empty(0), empty(60))).phase).toBe("inconclusive");
});

test("errors do not count as measurements; lasting errorTimeout they fail closed, or skip with onError: ignore", () => {
  const a = analysis({ interval: "1m", errorTimeout: "90s" });
  const one = runStatus(a, run(a, err(0)));
  expect(one).toMatchObject({ phase: "running", nextAt: at(60), successful: 0 });
  // The retry never waits past the deadline.
  expect(runStatus(a, run(a, err(0), err(60))).nextAt).toEqual(at(90));
  expect(runStatus(a, run(a, err(0), err(60), err(90)))).toMatchObject({ phase: "error", decisive: { message: expect.stringContaining("unreachable") } });
  const lenient = analysis({ errorTimeout: "0s", onError: "ignore" });
  expect(runStatus(lenient, run(lenient, err(0))).phase).toBe("skipped");
});

test("a measurement after errors drops them (counted) and restarts the error clock", () => {
  const a = analysis({ errorTimeout: "90s" });
  const state = run(a, err(0), err(60), ok(80), err(200));
  expect(state.measurements.map((m) => m.phase)).toEqual(["successful", "error"]);
  expect(state.earlierErrors).toBe(2);
  expect(runStatus(a, state)).toMatchObject({ phase: "running", nextAt: at(260) });
});
