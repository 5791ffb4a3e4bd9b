import { readFileSync } from "node:fs";
import { createMergeSchema } from "../../../src/render/openapi/merge-schema.js";
import { kubernetesMergeSchema } from "../../../src/render/openapi/kubernetes-schema.js";
import { strategicMerge } from "../../../src/render/patch/strategic-merge.js";
import { RenderError } from "../../../src/render/render-error.js";

type Obj = Record<string, unknown>;
interface OracleCase {
  name: string;
  target: Obj;
  patch: Obj;
  expected?: Obj | "deleted";
  error?: string;
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/smp-cases.json", import.meta.url), "utf8")) as { cases: OracleCase[] };
const schema = kubernetesMergeSchema();

describe("strategicMerge against kubectl kustomize v5.5.0 (fixtures/smp-cases.json)", () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    if (c.error !== undefined) {
      let error: unknown;
      try {
        strategicMerge(c.target, c.patch, schema);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RenderError);
      // Kustomize's two failures of a merge, and ours
      const code = c.error.startsWith("wrong node kind") ? "render_patch_kind_mismatch" : c.error.startsWith("unknown patch strategy") ? "render_patch_directive" : "?";
      expect((error as RenderError).code).toBe(code);
      return;
    }
    expect(strategicMerge(c.target, c.patch, schema)).toEqual(c.expected);
  });
});

const fuzz = JSON.parse(readFileSync(new URL("./fixtures/smp-fuzz-cases.json", import.meta.url), "utf8")) as { seed: number; cases: OracleCase[] };

describe(`strategicMerge against kubectl kustomize v5.5.0 on random patches (fixtures/smp-fuzz-cases.json, seed ${fuzz.seed})`, () => {
  it.each(fuzz.cases.map((c, i) => [i, c] as const))("case %i", (_i, c) => {
    expect(strategicMerge(c.target, c.patch, schema)).toEqual(c.expected);
  });
});

const deployment = (containers: unknown[], extra: Obj = {}): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", ...extra },
  spec: { template: { spec: { containers } } },
});

describe("strategicMerge", () => {
  it("does not change its inputs", () => {
    const target = deployment([{ name: "a", image: "a:1" }]);
    const patch = deployment([{ name: "a", $patch: "delete" }], { labels: { x: "1" } });
    const before = [structuredClone(target), structuredClone(patch)];
    strategicMerge(target, patch, schema);
    expect([target, patch]).toEqual(before);
  });

  it("reports the pointers the patch set, with the final list indexes", () => {
    const target = deployment([{ name: "a", image: "a:1" }], { labels: { keep: "1" }, finalizers: ["x"] });
    const patch = deployment([{ name: "a", image: "a:2" }, { name: "b", image: "b:1" }], { labels: { add: "2" }, finalizers: ["y"] });
    const set: string[] = [];
    strategicMerge(target, patch, schema, { onSet: (p, from) => set.push(`${p} <- ${from}`) });
    expect(set.sort()).toEqual([
      "/metadata/finalizers/0 <- /metadata/finalizers/0",
      "/metadata/labels/add <- /metadata/labels/add",
      "/spec/template/spec/containers/0/image <- /spec/template/spec/containers/0/image",
      "/spec/template/spec/containers/1 <- /spec/template/spec/containers/1",
    ]);
  });

  it("tells where in the patch each reported value is, when list positions differ", () => {
    const target = deployment([{ name: "a", image: "a:1" }, { name: "b", image: "b:1" }], { finalizers: ["x", "y"] });
    const patch = deployment([{ name: "c", image: "c:1" }, { name: "b", image: "b:2" }], { finalizers: ["z", "y"] });
    const set: string[] = [];
    const result = strategicMerge(target, patch, schema, { onSet: (p, from) => set.push(`${p} <- ${from}`) }) as Obj;
    expect(((result["spec"] as Obj)["template"] as Obj)["spec"]).toEqual({ containers: [{ name: "c", image: "c:1" }, { name: "b", image: "b:2" }, { name: "a", image: "a:1" }] });
    expect(set.sort()).toEqual([
      "/metadata/finalizers/0 <- /metadata/finalizers/0",
      "/metadata/finalizers/1 <- /metadata/finalizers/1",
      "/spec/template/spec/containers/0 <- /spec/template/spec/containers/0",
      "/spec/template/spec/containers/1/image <- /spec/template/spec/containers/1/image",
    ]);
    // Service ports merge by port + protocol: patch-only ports first, then the target's in their order
    const service = (ports: unknown[]): Obj => ({ apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports } });
    const moved: string[] = [];
    const merged = strategicMerge(service([{ port: 80, protocol: "TCP" }, { port: 81, protocol: "TCP" }]), service([{ port: 81, protocol: "TCP", targetPort: 9 }, { port: 82 }]), schema, {
      onSet: (p, from) => moved.push(`${p} <- ${from}`),
    });
    expect(merged).toEqual(service([{ port: 82 }, { port: 80, protocol: "TCP" }, { port: 81, protocol: "TCP", targetPort: 9 }]));
    expect(moved.sort()).toEqual(["/spec/ports/0 <- /spec/ports/1", "/spec/ports/2/targetPort <- /spec/ports/0/targetPort"]);
  });

  it("keeps the target's name, kind and namespace unless asked", () => {
    const target = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { x: "1" } };
    const patch = { apiVersion: "foo/v9", kind: "Secret", metadata: { name: "b", namespace: "ns" }, data: { y: "2" } };
    expect(strategicMerge(target, patch, schema)).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { x: "1", y: "2" } });
    const renamed = strategicMerge(target, patch, schema, { allowNameChange: true, allowKindChange: true });
    expect(renamed).toEqual({ apiVersion: "v1", kind: "Secret", metadata: { name: "b" }, data: { x: "1", y: "2" } });
  });

  it("replaces lists when no schema is given", () => {
    const result = strategicMerge(deployment([{ name: "a" }, { name: "b" }]), deployment([{ name: "c" }]), undefined);
    expect(result).toEqual(deployment([{ name: "c" }]));
  });

  it("merges custom kinds by the merge keys their CRD declares", () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: {
        group: "example.com",
        names: { kind: "Widget" },
        versions: [
          {
            name: "v1",
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: {
                    type: "object",
                    properties: {
                      parts: { type: "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["id"], items: { type: "object" } },
                      tags: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
                      other: { type: "array", items: { type: "object" } },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    const widgets = schema.withCustomResourceDefinitions([crd]);
    const widget = (spec: Obj): Obj => ({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec });
    const target = widget({ parts: [{ id: "a", n: 1 }, { id: "b", n: 2 }], tags: ["x"], other: [{ id: "a" }] });
    const patch = widget({ parts: [{ id: "b", n: 3 }], tags: ["y"], other: [{ id: "z" }] });
    expect(strategicMerge(target, patch, widgets)).toEqual(widget({ parts: [{ id: "b", n: 3 }, { id: "a", n: 1 }], tags: ["y", "x"], other: [{ id: "z" }] }));
    // the schema it came from is unchanged: the custom kind is unknown there, so its lists are replaced
    expect(strategicMerge(target, patch, schema)).toEqual(widget({ parts: [{ id: "b", n: 3 }], tags: ["y"], other: [{ id: "z" }] }));
  });

  it("reads OpenAPI definitions documents as custom schemas too", () => {
    const custom = createMergeSchema({}).withCustomResourceDefinitions([
      {
        definitions: {
          "com.example.v1.Thing": {
            "x-kubernetes-group-version-kind": [{ group: "example.com", version: "v1", kind: "Thing" }],
            properties: { items: { type: "array", "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "key", items: { type: "object" } } },
          },
        },
      },
    ]);
    const thing = (items: unknown[]): Obj => ({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" }, items });
    expect(strategicMerge(thing([{ key: "a" }]), thing([{ key: "b" }]), custom)).toEqual(thing([{ key: "b" }, { key: "a" }]));
    expect(() => custom.withCustomResourceDefinitions([{ kind: "Nope" }])).toThrow(RenderError);
  });

  it("with a kustomization's openapi schema alone, merges its kinds by key and no longer knows Kubernetes' (as kubectl kustomize v5.5.0)", () => {
    const custom = createMergeSchema({
      definitions: {
        "com.example.v1.Widget": {
          type: "object",
          "x-kubernetes-group-version-kind": [{ group: "example.com", version: "v1", kind: "Widget" }],
          properties: { spec: { $ref: "#/definitions/com.example.v1.WidgetSpec" } },
        },
        "com.example.v1.WidgetSpec": {
          type: "object",
          properties: { parts: { type: "array", "x-kubernetes-patch-merge-key": "id", "x-kubernetes-patch-strategy": "merge", items: { type: "object" } } },
        },
      },
    });
    const widget = (parts: unknown[]): Obj => ({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { parts } });
    expect(strategicMerge(widget([{ id: "a", n: 1 }, { id: "b", n: 2 }]), widget([{ id: "b", n: 3 }]), custom)).toEqual(widget([{ id: "b", n: 3 }, { id: "a", n: 1 }]));
    expect(strategicMerge(deployment([{ name: "a", image: "a" }]), deployment([{ name: "b", image: "b" }]), custom)).toEqual(deployment([{ name: "b", image: "b" }]));
  });

  it("applies kubectl's directives only when asked", () => {
    const target = deployment([{ name: "a" }, { name: "b" }], { finalizers: ["x", "y"] });
    (target["spec"] as Obj)["strategy"] = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } };
    const patch: Obj = {
      ...deployment([{ name: "c" }], { "$deleteFromPrimitiveList/finalizers": ["x"] }),
    };
    (patch["spec"] as Obj)["strategy"] = { $retainKeys: ["type"], type: "Recreate" };
    ((patch["spec"] as Obj)["template"] as Obj)["spec"] = { "$setElementOrder/containers": [{ name: "b" }, { name: "c" }, { name: "a" }], containers: [{ name: "c" }] };
    const result = strategicMerge(target, patch, schema, { apimachineryDirectives: true }) as Obj;
    expect((result["metadata"] as Obj)["finalizers"]).toEqual(["y"]);
    expect((result["spec"] as Obj)["strategy"]).toEqual({ type: "Recreate" });
    expect(((result["spec"] as Obj)["template"] as Obj)["spec"]).toEqual({ containers: [{ name: "b" }, { name: "c" }, { name: "a" }] });
    const kustomize = strategicMerge(target, patch, schema) as Obj;
    expect((kustomize["spec"] as Obj)["strategy"]).toEqual({ $retainKeys: ["type"], type: "Recreate", rollingUpdate: { maxSurge: 1 } });
  });

  it("refuses a patch that refers to itself (a YAML alias cycle) instead of overflowing the stack", () => {
    const looped: unknown[] = [1];
    looped.push(looped);
    const patch = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: looped } };
    expect(() => strategicMerge({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, patch, schema)).toThrow(/refers to itself/);
  });

  it("names the field of a kind mismatch and an unknown directive", () => {
    const target = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" } };
    expect(() => strategicMerge(target, { ...target, data: ["x"] }, schema)).toThrow(/data is a map in the target but a list in the patch/);
    expect(() => strategicMerge(target, { ...target, data: { $patch: "nope" } }, schema)).toThrow(/unknown patch strategy 'nope' at data/);
  });
});
