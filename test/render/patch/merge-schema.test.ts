import { createMergeSchema, listMergeStrategy, type SchemaNode } from "../../../src/render/openapi/merge-schema.js";
import { kubernetesMergeSchema } from "../../../src/render/openapi/kubernetes-schema.js";
import { RenderError } from "../../../src/render/render-error.js";

const k8s = kubernetesMergeSchema();

function at(apiVersion: string, kind: string, path: (string | "[]")[]): SchemaNode | undefined {
  let node = k8s.forType(apiVersion, kind);
  for (const step of path) node = node && (step === "[]" ? k8s.items(node) : k8s.field(node, step));
  return node;
}

describe("the committed Kubernetes OpenAPI v1.21.2 as a merge schema", () => {
  it.each<[string, string, (string | "[]")[], { strategies: string[]; keys: string[] }]>([
    ["apps/v1", "Deployment", ["spec", "template", "spec", "containers"], { strategies: ["merge"], keys: ["name"] }],
    ["apps/v1", "Deployment", ["spec", "template", "spec", "containers", "[]", "ports"], { strategies: ["merge"], keys: ["containerPort", "protocol"] }],
    ["apps/v1", "Deployment", ["spec", "template", "spec", "containers", "[]", "args"], { strategies: [], keys: [] }],
    ["apps/v1", "Deployment", ["spec", "template", "spec", "volumes"], { strategies: ["merge", "retainKeys"], keys: ["name"] }],
    // a $ref property takes the referenced schema whole, as in kyaml: the retainKeys beside the $ref is not seen
    ["apps/v1", "Deployment", ["spec", "strategy"], { strategies: [], keys: [] }],
    ["v1", "Service", ["spec", "ports"], { strategies: ["merge"], keys: ["port", "protocol"] }],
    ["v1", "ConfigMap", ["metadata", "finalizers"], { strategies: ["merge"], keys: [] }],
    ["batch/v1beta1", "CronJob", ["spec", "jobTemplate", "spec", "template", "spec", "initContainers"], { strategies: ["merge"], keys: ["name"] }],
  ])("%s %s %j", (apiVersion, kind, path, expected) => {
    expect(listMergeStrategy(at(apiVersion, kind, path))).toEqual(expected);
  });

  it("knows kinds by group/version/kind and map values through additionalProperties", () => {
    expect(k8s.forType("apps/v1", "Deployment")).toBeDefined();
    expect(k8s.forType("v1", "Deployment")).toBeUndefined();
    expect(k8s.forType("example.com/v1", "Widget")).toBeUndefined();
    expect(at("v1", "ConfigMap", ["data", "anything"])).toEqual(expect.objectContaining({ type: "string" }));
    expect(at("v1", "ConfigMap", ["nope"])).toBeUndefined();
  });
});

describe("createMergeSchema", () => {
  it("follows $ref chains and gives up on unresolvable or endless ones", () => {
    const schema = createMergeSchema({
      definitions: {
        Root: { "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Root" }], properties: { a: { $ref: "#/definitions/A" }, b: { $ref: "#/definitions/Missing" }, c: { $ref: "#/definitions/Loop" }, d: { $ref: "http://elsewhere" } } },
        A: { $ref: "#/definitions/B" },
        B: { type: "array", "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "id" },
        Loop: { $ref: "#/definitions/Loop" },
      },
    });
    const root = schema.forType("v1", "Root")!;
    expect(listMergeStrategy(schema.field(root, "a"))).toEqual({ strategies: ["merge"], keys: ["id"] });
    expect(schema.field(root, "b")).toBeUndefined();
    expect(schema.field(root, "c")).toBeUndefined();
    expect(schema.field(root, "d")).toBeUndefined();
  });

  it("rejects CRDs without a group or kind, with the document's index", () => {
    const crd = { kind: "CustomResourceDefinition", spec: { names: { kind: "W" }, versions: [{ name: "v1" }] } };
    expect(() => createMergeSchema({}).withCustomResourceDefinitions([{ definitions: {} }, crd], "crds.yaml")).toThrow(new RenderError("render_crd_invalid", "crds.yaml#1: CustomResourceDefinition without spec.group or spec.names.kind"));
  });

  it("reads v1beta1 CRDs (one schema for every version)", () => {
    const crd = {
      kind: "CustomResourceDefinition",
      spec: {
        group: "example.com",
        names: { kind: "W" },
        versions: [{ name: "v1" }, { name: "v2" }],
        validation: { openAPIV3Schema: { properties: { items: { type: "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["k"] } } } },
      },
    };
    const schema = createMergeSchema({}).withCustomResourceDefinitions([crd]);
    for (const v of ["v1", "v2"]) expect(listMergeStrategy(schema.field(schema.forType(`example.com/${v}`, "W")!, "items"))).toEqual({ strategies: ["merge"], keys: ["k"] });
  });
});
