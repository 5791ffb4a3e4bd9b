/**
 * Batch evaluation through `evaluateGatekeeper`: an object whose evaluation fails in the middle of a constraint's
 * batch gets its own diagnostic at its own file and line, and the objects around it keep their violations, exactly as
 * when every object is evaluated in a call of its own.
 */
import { createTemplateEvaluator } from "../../../src/policy/gatekeeper/compile-template.js";
import { evaluateGatekeeper } from "../../../src/policy/gatekeeper/evaluate-gatekeeper.js";
import { loadGatekeeperPolicies } from "../../../src/policy/gatekeeper/load-gatekeeper-policies.js";
import { loadManifestFile } from "../../../src/policy/manifests/load-manifest-file.js";
import { setEvaluationStepRecorder } from "../../../src/policy/evaluation-step.js";
import { ensureRuntimeBuilt } from "../../rego/runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());
afterEach(() => setEvaluationStepRecorder(undefined));

const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sperreplica
spec:
  crd:
    spec:
      names:
        kind: K8sPerReplica
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sperreplica

        violation[{"msg": msg}] {
          share := input.parameters.budget / input.review.object.spec.replicas
          share < 10
          msg := sprintf("%v gets %v per replica", [input.review.object.metadata.name, share])
        }

        # Two values for one complete rule: a conflict error for 0 or "x" replicas.
        mode := "a" { bad }
        mode := "b" { bad }
        bad { input.review.object.spec.replicas == 0 }
        bad { input.review.object.spec.replicas == "x" }
        violation[{"msg": "never"}] { mode == "c" }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sPerReplica
metadata:
  name: budget
spec:
  parameters:
    budget: 100
`;

function deployment(name: string, replicas: number | string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${JSON.stringify(replicas)}\n`;
}

test("an object that fails mid-batch gets its diagnostic at its line; the others keep their violations", async () => {
  const manifests = [deployment("a", 20), deployment("b", 0), deployment("c", 2), deployment("d", "x"), deployment("e", 50)].join("---\n");
  const docs = [
    ...loadManifestFile({ path: "template.yaml", content: TEMPLATE }).documents.map((d) => ({ ...d, file: "template.yaml" })),
    ...loadManifestFile({ path: "apps.yaml", content: manifests }).documents.map((d) => ({ ...d, file: "apps.yaml" })),
  ];
  const set = loadGatekeeperPolicies(docs);
  expect(set.diagnostics).toEqual([]);
  const steps: string[] = [];
  setEvaluationStepRecorder((what) => steps.push(what));
  const batched = await evaluateGatekeeper(set, createTemplateEvaluator());
  expect(steps).toEqual(["template k8sperreplica on 5 objects, apps.yaml:1 to apps.yaml:29"]);
  const alone = createTemplateEvaluator();
  const oneByOne = await evaluateGatekeeper(set, (request) => alone(request));
  expect(batched).toEqual(oneByOne);
  expect(batched.violations.map((v) => [v.message, v.location?.line])).toEqual([
    ["a gets 5 per replica", 1],
    ["e gets 2 per replica", 29],
  ]);
  expect(batched.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([8, 22].map((line) => ["gatekeeper_evaluation_failed", line, expect.stringContaining("eval_conflict_error")]));
  expect(batched.evaluations).toBe(5);
});
