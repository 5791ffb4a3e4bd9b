/**
 * The steps the evaluation announces (what the sandbox reports when a limit ends a job): Conftest compile and
 * evaluation, each template's compile and each template on each manifest, each Rego test.
 */
import { policiesSectionSchema } from "../../src/config/policy-schema.js";
import { collectPolicySources } from "../../src/policy/check/collect-policy-sources.js";
import { readPolicyLibrary } from "../../src/policy/check/read-policy-library.js";
import { setEvaluationStepRecorder, type EvaluationStep } from "../../src/policy/evaluation-step.js";
import { loadManifestFile } from "../../src/policy/manifests/load-manifest-file.js";
import { runRegoTests } from "../../src/policy/rego-tests/run-rego-tests.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

let steps: EvaluationStep[] = [];
beforeEach(() => {
  steps = [];
  setEvaluationStepRecorder((what, file, line) => steps.push({ what, file, line }));
});
afterEach(() => setEvaluationStepRecorder(undefined));

test("policy sources: the Conftest modules, each template compiled, each template on each document", async () => {
  const policies = policiesSectionSchema.parse({ library: { "disallow-latest-tag": {} } });
  const files = new Map([["policy/deny.rego", 'package main\n\ndeny contains "secret" if input.kind == "Secret"\n']]);
  const sources = collectPolicySources({ policies, files, library: await readPolicyLibrary() });
  expect(steps).toEqual([
    { what: "compiling the Conftest modules under policy/", file: "policy/deny.rego", line: 1 },
    { what: expect.stringMatching(/^compiling template /), file: "fleetward:policies/library/disallow-latest-tag/template.yaml", line: 1 },
  ]);
  steps = [];
  const documents = loadManifestFile({ path: "envs/pod.yaml", content: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: main\n      image: nginx:latest\n" }).documents;
  for (const source of sources) await source.evaluate(documents);
  expect(steps).toEqual([
    { what: "the Conftest modules under policy/ on 1 file", file: "policy/deny.rego", line: 1 },
    { what: expect.stringMatching(/^template \S+ on envs\/pod\.yaml:1$/), file: "fleetward:policies/library/disallow-latest-tag/template.yaml", line: 1 },
  ]);
});

test("Rego tests: the compile, then each test at its line", () => {
  const text = "package t\n\ntest_a if true\n\ntest_b if false\n";
  const run = runRegoTests({ modules: [{ file: "policy/t_test.rego", text }] });
  expect(run.results.map((r) => r.outcome)).toEqual(["pass", "fail"]);
  expect(steps).toEqual([
    { what: "compiling the tests", file: "policy/t_test.rego", line: 1 },
    { what: "test data.t.test_a", file: "policy/t_test.rego", line: 3 },
    { what: "test data.t.test_b", file: "policy/t_test.rego", line: 5 },
  ]);
});
