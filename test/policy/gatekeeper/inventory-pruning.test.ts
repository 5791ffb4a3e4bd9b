/**
 * `data.inventory` is loaded into a template's module pruned to what its Rego can observe (`dataAccess`): a template
 * that looks up Services by computed keys gets no Deployments or ConfigMaps. Verdicts are those of the whole inventory
 * (the SDK's evaluate with `setData` of everything) for templates that read it by constant keys, computed keys,
 * iteration, as a whole, and through `data[k]`, over the generated check tree's manifests.
 */
import { jest } from "@jest/globals";
import { checkScaleTree } from "../../../bench/check-scale-tree.js";
import { createTemplateEvaluator } from "../../../src/policy/gatekeeper/compile-template.js";
import { buildInventory, type ConstraintTemplate } from "../../../src/policy/gatekeeper/index.js";
import { loadManifestFile } from "../../../src/policy/manifests/index.js";
import type { JsonObject } from "../../../src/policy/manifests/manifest-types.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../../rego/runtime/ensure-runtime-built.js";
import { referenceEvaluator } from "./reference-evaluator.js";

beforeAll(() => ensureRuntimeBuilt());
jest.setTimeout(120_000);

const template = (name: string, body: string): ConstraintTemplate => ({
  name,
  kind: name,
  apiVersion: "templates.gatekeeper.sh/v1",
  target: "admission.k8s.gatekeeper.sh",
  rego: `package ${name}\n\n${body}\n`,
  libs: [],
  regoVersion: "v1",
  regoSource: "code",
  file: `${name}.yaml`,
  line: 1,
});

const TEMPLATES = [
  template(
    "needsservice",
    'violation contains {"msg": name} if {\n  input.review.object.kind == "Deployment"\n  name := input.review.object.metadata.name\n  not data.inventory.namespace[input.review.object.metadata.namespace].v1.Service[name]\n}',
  ),
  template(
    "sameport",
    'violation contains {"msg": sprintf("%v %v", [ns, n])} if {\n  some ns, n\n  svc := data.inventory.namespace[ns].v1.Service[n]\n  svc.spec.ports[0].port == 80\n  n == input.review.object.metadata.name\n}',
  ),
  template(
    "anykind",
    'violation contains {"msg": k} if {\n  some k\n  data.inventory.namespace["team-1"][_][k][input.review.object.metadata.name]\n}',
  ),
  template("count", 'violation contains {"msg": sprintf("%d", [count(data.inventory.namespace)])} if input.review.object.kind == "Service"'),
  template("whole", 'violation contains {"msg": "big"} if {\n  input.review.object.kind == "ConfigMap"\n  count(json.marshal(data.inventory)) > 1000\n}'),
  template("computed", 'violation contains {"msg": x} if {\n  x := "inventory"\n  data[x].cluster == {}\n  input.review.object.kind == "Deployment"\n}'),
];

function objects(): JsonObject[] {
  return Object.entries(checkScaleTree({ files: 150 }))
    .filter(([p]) => /^(envs|apps)\/.*\.(ya?ml|json)$/.test(p))
    .flatMap(([path, content]) => loadManifestFile({ path, content }).documents.map((d) => d.value));
}

describe("data.inventory pruned to what a template reads", () => {
  test("verdicts equal the whole inventory's, for every way of reading it", () => {
    const all = objects();
    const inventory = buildInventory(all);
    const fast = createTemplateEvaluator();
    const reference = referenceEvaluator();
    let violations = 0;
    for (const t of TEMPLATES) {
      for (const object of all.slice(0, 120)) {
        const request = { template: t, input: { review: { object, kind: { kind: object.kind } }, parameters: {} }, data: { inventory } };
        const want = reference(request) as unknown[];
        expect([t.name, fast(request)]).toEqual([t.name, want]);
        violations += want.length;
      }
    }
    expect(violations).toBeGreaterThan(100);
  });

  test("a template looking up Services by computed keys is given Services only", () => {
    const setData = jest.spyOn(CompiledPolicy.prototype, "setData");
    try {
      const inventory = buildInventory(objects());
      const evaluate = createTemplateEvaluator();
      const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "app-1", namespace: "team-1" } };
      expect(evaluate({ template: TEMPLATES[0] as ConstraintTemplate, input: { review: { object: deployment }, parameters: {} }, data: { inventory } })).toEqual([]);
      expect(setData).toHaveBeenCalledTimes(1);
      const given = setData.mock.calls[0]?.[0];
      expect(typeof given).toBe("string");
      const data = JSON.parse(given as string) as { inventory: { namespace: Record<string, Record<string, Record<string, unknown>>> } };
      expect(Object.keys(data.inventory)).toEqual(["namespace"]);
      const kinds = new Set(Object.values(data.inventory.namespace).flatMap((byVersion) => Object.entries(byVersion).flatMap(([v, byKind]) => Object.keys(byKind).map((k) => `${v} ${k}`))));
      expect([...kinds]).toEqual(["v1 Service"]);
      expect((given as string).length).toBeLessThan(JSON.stringify({ inventory }).length / 3);
    } finally {
      setData.mockRestore();
    }
  });
});
