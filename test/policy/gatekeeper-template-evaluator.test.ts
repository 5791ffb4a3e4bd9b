import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { jest } from "@jest/globals";
import { loadManifestFile } from "../../src/policy/manifests/index.js";
import {
  buildInventory,
  evaluateGatekeeper,
  loadGatekeeperPolicies,
  type ConstraintTemplate,
  type SourceDocument,
} from "../../src/policy/gatekeeper/index.js";
import { createTemplateEvaluator } from "../../src/policy/gatekeeper/compile-template.js";
import { CompiledPolicy } from "../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";
import { referenceEvaluator } from "./gatekeeper/reference-evaluator.js";

beforeAll(() => ensureRuntimeBuilt());

const root = process.cwd();

function templateDirs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (!statSync(p).isDirectory()) return [];
    return readdirSync(p).includes("template.yaml") ? [p] : templateDirs(p);
  });
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(name) ? [p] : [];
  });
}

function loadDir(dir: string): SourceDocument[] {
  return yamlFiles(dir).flatMap((file) => {
    const r = loadManifestFile({ path: file, content: readFileSync(file, "utf8") });
    return r.documents.map((d) => ({ ...d, file }));
  });
}

const dirs = templateDirs(join(root, "policies"));

describe("createTemplateEvaluator", () => {
  test("finds the policies to compare", () => {
    expect(dirs.length).toBeGreaterThanOrEqual(8);
  });

  test.each(dirs.map((d) => [d.slice(root.length + 1), d]))("%s: same violations as the SDK's evaluate on the whole input", async (_, dir) => {
    const set = loadGatekeeperPolicies(loadDir(dir));
    expect(set.constraints.length).toBeGreaterThan(0);
    const fast = await evaluateGatekeeper(set, createTemplateEvaluator());
    const reference = await evaluateGatekeeper(set, referenceEvaluator());
    expect(fast.diagnostics).toEqual(reference.diagnostics);
    expect(fast.violations).toEqual(reference.violations);
    expect(fast.violations.length).toBeGreaterThan(0);
    expect(fast.evaluations).toBe(reference.evaluations);
  });

  const inventoryRego = [
    "package k8suniquename",
    "",
    "violation contains {\"msg\": msg} if {",
    "  name := input.review.object.metadata.name",
    "  some ns, obj in data.inventory.namespace",
    "  obj[\"apps/v1\"].Deployment[name]",
    "  ns != input.review.object.metadata.namespace",
    "  msg := sprintf(\"%v is also a Deployment in %v\", [name, ns])",
    "}",
  ].join("\n");
  const template: ConstraintTemplate = {
    name: "k8suniquename",
    kind: "K8sUniqueName",
    apiVersion: "templates.gatekeeper.sh/v1",
    target: "admission.k8s.gatekeeper.sh",
    rego: inventoryRego,
    libs: [],
    regoVersion: "v1",
    regoSource: "code",
    file: "inline.yaml",
    line: 1,
  };
  const deployment = (name: string, namespace: string): Record<string, unknown> => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
  });
  const input = { review: { object: deployment("web", "a") }, parameters: {} };

  test("loads the inventory once per inventory object, and again when it changes", () => {
    const setData = jest.spyOn(CompiledPolicy.prototype, "setData");
    try {
      const evaluate = createTemplateEvaluator();
      const first = buildInventory([deployment("web", "a"), deployment("web", "b")]);
      expect(evaluate({ template, input, data: { inventory: first } })).toEqual([{ msg: "web is also a Deployment in b" }]);
      expect(evaluate({ template, input, data: { inventory: first } })).toEqual([{ msg: "web is also a Deployment in b" }]);
      expect(setData).toHaveBeenCalledTimes(1);
      const second = buildInventory([deployment("web", "a"), deployment("web", "c")]);
      expect(evaluate({ template, input, data: { inventory: second } })).toEqual([{ msg: "web is also a Deployment in c" }]);
      expect(evaluate({ template, input, data: { inventory: buildInventory([]) } })).toEqual([]);
      expect(setData).toHaveBeenCalledTimes(3);
    } finally {
      setData.mockRestore();
    }
  });

  test("a template that never reads data gets no inventory loaded", () => {
    const setData = jest.spyOn(CompiledPolicy.prototype, "setData");
    try {
      const noData: ConstraintTemplate = { ...template, name: "k8snodata", rego: "package k8snodata\n\nviolation contains {\"msg\": input.review.object.metadata.name} if true\n" };
      const evaluate = createTemplateEvaluator();
      expect(evaluate({ template: noData, input, data: { inventory: buildInventory([deployment("x", "a")]) } })).toEqual([{ msg: "web" }]);
      expect(evaluate({ template: noData, input, data: { inventory: buildInventory([]) } })).toEqual([{ msg: "web" }]);
      expect(setData).not.toHaveBeenCalled();
    } finally {
      setData.mockRestore();
    }
  });

  test("a template that reads the whole input gets all of it", () => {
    const whole: ConstraintTemplate = { ...template, name: "k8swhole", rego: "package k8swhole\n\nviolation contains {\"msg\": json.marshal(input)} if true\n" };
    const result = createTemplateEvaluator()({ template: whole, input, data: { inventory: buildInventory([]) } }) as Array<{ msg: string }>;
    expect(JSON.parse(result[0]?.msg ?? "null")).toEqual(input);
  });
});
