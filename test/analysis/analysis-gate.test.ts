/** The analysis gate inside `evaluateGates`: listed only with analyses, and it decides the conclusion as the others do. */
import { analysisGate, analysisOutcome } from "../../src/analysis/analysis-report.js";
import { judgeMeasurement } from "../../src/analysis/judge-measurement.js";
import { newRunState, recordMeasurement } from "../../src/analysis/plan-analysis-run.js";
import { effectiveSettings } from "../../src/config/effective-settings.js";
import type { EvaluateGatesInput } from "../../src/promotion/evaluate-gates.js";
import { evaluateGates } from "../../src/promotion/evaluate-gates.js";
import { configOf } from "../promotion/fixture.js";
import { T0, analysis, at } from "./analysis-fixtures.js";

const settings = effectiveSettings(
  configOf(`environments:\n  - name: prod\n    paths: ["envs/prod/**"]\nsettings:\n  promotion:\n    gates: { policyCheck: "", noIncident: false }\n`),
  { environment: "prod" },
);
const base: EvaluateGatesInput = {
  settings, now: T0, headSha: "h", author: "a", reviews: [], teamMembers: {}, checks: [], sourceLiveSince: null,
  sourceScopes: [], alerts: [], openIncidents: [], targetScopes: ["prod"],
};

function gateFor(...values: number[]) {
  const a = analysis({ count: 2 });
  let run = newRunState(a, T0);
  values.forEach((v, i) => (run = recordMeasurement(run, judgeMeasurement(a, [{ labels: {}, value: v }], at(60 * i)), ["up"])));
  return analysisGate(analysisOutcome([a], { scope: "staging", component: "c", runs: [run] }), "staging");
}

test("without analyses there is no analysis gate", () => {
  expect(evaluateGates(base).gates).toEqual([]);
  expect(evaluateGates({ ...base, analysis: null }).conclusion).toBe("pass");
});

test("measuring: pending, rechecked at the next measurement; failed: the promotion's gates fail with the value and the query", () => {
  const pending = evaluateGates({ ...base, analysis: gateFor(0) });
  expect(pending).toMatchObject({ conclusion: "pending", recheckAt: at(60), checkRun: { conclusion: "action_required" } });
  const failed = evaluateGates({ ...base, analysis: gateFor(0, 0.5) });
  expect(failed.conclusion).toBe("fail");
  expect(failed.checkRun.summary).toContain("| analysis | ❌ fail | analysis of `staging`: error-ratio: failed: value 0.5 {} is not < 0.01");
  expect(failed.checkRun.summary).toContain("(query: up)");
  expect(evaluateGates({ ...base, analysis: gateFor(0, 0) }).conclusion).toBe("pass");
});
