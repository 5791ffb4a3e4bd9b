import { analysisCheckRun, analysisComment, analysisGate, analysisOutcome } from "../../src/analysis/analysis-report.js";
import type { AnalysisRecord } from "../../src/analysis/analysis-state-codec.js";
import { decodeRecord, encodeRecord } from "../../src/analysis/analysis-state-codec.js";
import { errorMeasurement, judgeMeasurement } from "../../src/analysis/judge-measurement.js";
import { newRunState, recordMeasurement } from "../../src/analysis/plan-analysis-run.js";
import { analysesFor, dueRuns } from "../../src/analysis/select-analyses.js";
import { T0, analysis, at } from "./analysis-fixtures.js";

const errorRatio = analysis({ count: 2 });
const latency = analysis({ name: "latency", threshold: undefined, range: { max: 0.5 }, count: 1 });
const QUERY = 'sum(rate(errors{cluster=~"prod-eu-1"}[1m]))';

function record(...values: number[]): AnalysisRecord {
  let run = newRunState(errorRatio, T0);
  values.forEach((v, i) => (run = recordMeasurement(run, judgeMeasurement(errorRatio, [{ labels: { cluster: "prod-eu-1" }, value: v }], at(i * 60)), [`prod-eu: ${QUERY}`])));
  return { scope: "prod/canary", component: "payments", runs: [run] };
}

test("the state survives the check run's text, and nothing in it can close the comment", () => {
  const r = record(0.001);
  r.runs[0]!.queries = ["x --> <script>"];
  const text = encodeRecord(r);
  expect(text).not.toMatch(/-->.*-->/s);
  expect(decodeRecord(`summary\n${text}\n`)).toEqual(r);
});

test.each([["no marker", "hello"], ["bad JSON", "<!-- fleetward-analysis-state {x -->"], ["wrong shape", '<!-- fleetward-analysis-state {"scope":1} -->'], ["bad measurement", '<!-- fleetward-analysis-state {"scope":"s","component":"c","runs":[{"analysis":"a","startedAt":"2026-01-01T00:00:00Z","measurements":[{"at":"x","phase":"won","value":1,"message":""}],"earlierErrors":0,"queries":[]}]} -->']])(
  "a text with %s has no state",
  (_, text) => expect(decodeRecord(text)).toBeNull(),
);

test("while measuring: running, an in-progress check run, a pending gate rechecked at the next measurement", () => {
  const r = record(0.001);
  const outcome = analysisOutcome([errorRatio], r);
  expect(outcome).toMatchObject({ verdict: "running", nextAt: at(60) });
  expect(analysisGate(outcome, "prod/canary")).toEqual({ state: "pending", detail: expect.stringContaining("error-ratio: measuring (1 of 2 measurements"), recheckAt: at(60) });
  const plan = analysisCheckRun([errorRatio], r, "abc");
  expect(plan).toMatchObject({ name: "fleetward/analysis", headSha: "abc", status: "in_progress", title: "Measuring" });
  expect(plan.conclusion).toBeUndefined();
  expect(decodeRecord(plan.text)).toEqual(r);
});

test("a failed analysis fails the gate naming the query, the value and the threshold", () => {
  const r = record(0.001, 0.2);
  const outcome = analysisOutcome([errorRatio], r);
  expect(outcome.verdict).toBe("failed");
  const gate = analysisGate(outcome, "prod/canary");
  expect(gate.state).toBe("fail");
  expect(gate.detail).toContain(`value 0.2 {cluster="prod-eu-1"} is not < 0.01`);
  expect(gate.detail).toContain(QUERY);
  expect(analysisCheckRun([errorRatio], r, "abc")).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(analysisComment(outcome, r)).toMatch(/^❌ Analysis of payments in `prod\/canary` failed; the rollout does not continue\./);
});

test("every analysis must pass; an analysis without a run yet is still running", () => {
  expect(analysisOutcome([errorRatio, latency], record(0.001, 0.002)).verdict).toBe("running");
  const r = record(0.001, 0.002);
  r.runs.push(recordMeasurement(newRunState(latency, T0), judgeMeasurement(latency, [{ labels: {}, value: 0.3 }], T0), ["q"]));
  const outcome = analysisOutcome([errorRatio, latency], r);
  expect(outcome.verdict).toBe("passed");
  expect(analysisGate(outcome, "prod/canary").state).toBe("pass");
  expect(analysisCheckRun([errorRatio, latency], r, "abc")).toMatchObject({ status: "completed", conclusion: "success", title: "Every analysis passed" });
  expect(analysisComment(outcome, r)).toMatch(/^✅ Analysis of payments in `prod\/canary` passed/);
});

test("Prometheus down: the gate fails closed with the server's message", () => {
  const a = analysis({ errorTimeout: "0s" });
  const run = recordMeasurement(newRunState(a, T0), errorMeasurement('prometheus "prod-eu" unreachable: connect ECONNREFUSED 127.0.0.1:9', T0), [QUERY]);
  const gate = analysisGate(analysisOutcome([a], { scope: "prod", component: "c", runs: [run] }), "prod");
  expect(gate).toEqual({ state: "fail", detail: expect.stringContaining('error-ratio: failed closed: prometheus "prod-eu" unreachable: connect ECONNREFUSED') });
});

test("analyses attach to an environment (all its waves) or one wave; runs start at the merge", () => {
  const env = analysis({ name: "env", scopes: ["prod"] });
  const wave = analysis({ name: "wave", scopes: ["prod/canary"] });
  expect(analysesFor([env, wave], "prod", "canary").map((a) => a.name)).toEqual(["env", "wave"]);
  expect(analysesFor([env, wave], "prod", "rest").map((a) => a.name)).toEqual(["env"]);
  expect(analysesFor([env, wave], "staging", "").map((a) => a.name)).toEqual([]);
  const due = dueRuns([env], null, T0, at(-1));
  expect(due[0]).toMatchObject({ due: false, run: { startedAt: T0.toISOString(), measurements: [] } });
  expect(dueRuns([env], null, T0, T0)[0]?.due).toBe(true);
});
