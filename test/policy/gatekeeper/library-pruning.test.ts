import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateManifests } from "../../../bench/generate-manifests.js";
import { wholeInputEvaluator } from "../../../bench/whole-input-evaluator.js";
import { createTemplateEvaluator } from "../../../src/policy/gatekeeper/compile-template.js";
import { evaluateGatekeeper } from "../../../src/policy/gatekeeper/evaluate-gatekeeper.js";
import { loadGatekeeperPolicies } from "../../../src/policy/gatekeeper/load-gatekeeper-policies.js";
import { loadManifestFile } from "../../../src/policy/manifests/load-manifest-file.js";
import { ensureRuntimeBuilt } from "../../rego/runtime/ensure-runtime-built.js";

/**
 * The bundled library's templates over thousands of generated manifests (seeded): the app's evaluator, which sends
 * inputs pruned to what each template observes, finds exactly the violations and diagnostics of an evaluator that
 * sends every input whole, and batch evaluation (a constraint's objects in few module calls) finds what evaluating
 * one object per call does. A pruning slip shows here as a missed (or extra) violation.
 */
const LIBRARY = "policies/library";
const N = 3000;

beforeAll(() => ensureRuntimeBuilt());

const templates = readdirSync(LIBRARY).filter((d) => !d.startsWith("."));

test.each(templates)("%s: pruned inputs find the whole inputs' violations on generated manifests", async (dir) => {
  const files = ["template.yaml", "constraint.yaml"].map((f) => join(LIBRARY, dir, f));
  const docs = files.flatMap((file) => loadManifestFile({ path: file, content: readFileSync(file, "utf8") }).documents.map((d) => ({ ...d, file })));
  const objects = generateManifests(N, 17 + dir.length);
  const set = loadGatekeeperPolicies([...docs, ...objects.map((value, i) => ({ file: "generated.yaml", startLine: 1 + i, value }))]);
  expect(set.diagnostics).toEqual([]);
  expect(set.constraints.length).toBeGreaterThan(0);
  const batchEvaluator = createTemplateEvaluator();
  const pruned = await evaluateGatekeeper(set, batchEvaluator);
  const whole = await evaluateGatekeeper(set, wholeInputEvaluator());
  expect(pruned.diagnostics).toEqual(whole.diagnostics);
  expect(pruned.evaluations).toBe(whole.evaluations);
  expect(pruned.violations).toEqual(whole.violations);
  // Batches (one per constraint, parameters written once) and one object per call give the same run.
  expect(batchEvaluator.batch).toBeDefined();
  const oneByOne = createTemplateEvaluator();
  expect(await evaluateGatekeeper(set, (request) => oneByOne(request))).toEqual(pruned);
  // Not vacuous: the generated manifests both pass and fail the template.
  expect(whole.violations.length).toBeGreaterThan(0);
  expect(new Set(whole.violations.map((v) => v.resource.name)).size).toBeLessThan(whole.evaluations);
}, 120_000);
