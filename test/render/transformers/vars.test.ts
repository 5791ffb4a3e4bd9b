/** Expected results are what `kubectl kustomize` (Kustomize v5.5.0) printed for the same vars (SVC = p-svc, PORT = 8080). */
import { describe, expect, it } from "@jest/globals";
import { expandVars, substituteVars } from "../../../src/render/transformers/index.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

const values = new Map<string, unknown>([["SVC", "p-svc"], ["PORT", 8080]]);

describe("substituteVars", () => {
  it("expands $(VAR) in var-reference fields, keeping a whole-field value's type", () => {
    const d: JsonObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "p-d", labels: { svc: "$(SVC)" } },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "a",
                command: ["run", "--host=$(SVC):$(PORT)", "$$(SVC)", "$(NOPE)", "$(SVC"],
                args: ["$(PORT)"],
                env: [{ name: "P", value: "$(PORT)" }, { name: "Q", value: "x$(SVC)" }],
                image: "$(SVC)",
              },
            ],
          },
        },
      },
    };
    const set: string[] = [];
    const used = substituteVars(d, values, undefined, (p) => set.push(p));
    const c = ((d["spec"] as JsonObject)["template"] as { spec: { containers: JsonObject[] } }).spec.containers[0]!;
    expect(c).toEqual({
      name: "a",
      command: ["run", "--host=p-svc:8080", "$(SVC)", "$(NOPE)", "$(SVC"],
      args: [8080],
      env: [{ name: "P", value: 8080 }, { name: "Q", value: "xp-svc" }],
      image: "$(SVC)",
    });
    expect((d["metadata"] as JsonObject)["labels"]).toEqual({ svc: "p-svc" });
    expect(used.sort()).toEqual(["PORT", "SVC"]);
    expect(set).toContain("/spec/template/spec/containers/0/command/1");
    expect(set).toContain("/metadata/labels/svc");
    expect(set).not.toContain("/spec/template/spec/containers/0/command/3");
  });
  it("a list element that is not a string is an error", () => {
    const pod: JsonObject = { kind: "Pod", spec: { containers: [{ args: [1, "$(SVC)"] }] } };
    expect(() => substituteVars(pod, values)).toThrow(expect.objectContaining({ code: "render_var_not_string" }));
  });
  it("expandVars: escapes, unclosed references, a lone $", () => {
    const lookup = (n: string) => (values.has(n) ? { found: true, value: values.get(n) } : { found: false });
    expect(expandVars("a$$b$", lookup)).toBe("a$b$");
    expect(expandVars("$x$(PORT)", lookup)).toBe("$x8080");
  });
});
