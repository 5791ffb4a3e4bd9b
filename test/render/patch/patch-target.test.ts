import { compilePatchTarget, matchesPatchTarget, type PatchTargetResource, type PatchTargetSelector } from "../../../src/render/patch/patch-target.js";
import { RenderError } from "../../../src/render/render-error.js";

const configMap = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, ...extra },
});
const was = (name: string, namespace = ""): PatchTargetResource["previousIds"] => [{ group: "", version: "v1", kind: "ConfigMap", name, namespace }];

// The objects of a base rendered with namePrefix p- (previous ids: the base's names), as in an overlay.
const resources: Record<string, PatchTargetResource> = {
  "p-app1": { object: configMap("p-app1", { labels: { app: "a", tier: "web" } }), previousIds: was("app1") },
  "p-myapp": { object: configMap("p-myapp", { labels: { app: "b" } }), previousIds: was("myapp") },
  "p-other": { object: configMap("p-other", { namespace: "prod", labels: { app: "c", n: "5" }, annotations: { note: "x" } }), previousIds: was("other", "prod") },
  "p-cr": {
    object: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "p-cr" } },
    previousIds: [{ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", name: "cr", namespace: "" }],
  },
};

const selected = (target: PatchTargetSelector): string[] => {
  const compiled = compilePatchTarget(target);
  return Object.entries(resources)
    .filter(([, r]) => matchesPatchTarget(r, compiled))
    .map(([name]) => name)
    .sort();
};

// Each expectation is what kubectl kustomize v5.5.0 selected for the same target over the same overlay.
describe("matchesPatchTarget (as kubectl kustomize v5.5.0 selects)", () => {
  it.each<[PatchTargetSelector, string[]]>([
    [{ name: "app.*" }, ["p-app1"]],
    [{ name: "p-app.*" }, ["p-app1"]],
    [{ namespace: "default" }, ["p-app1", "p-myapp"]],
    [{ namespace: "prod|default", kind: "Config.*" }, ["p-app1", "p-myapp", "p-other"]],
    [{ labelSelector: "app in (a,b),!tier" }, ["p-myapp"]],
    [{ labelSelector: "app notin (a)" }, ["p-cr", "p-myapp", "p-other"]],
    [{ labelSelector: "n>4" }, ["p-other"]],
    [{ labelSelector: "app=a,tier!=web" }, []],
    [{ annotationSelector: "note=x" }, ["p-other"]],
    [{ group: "rbac.*", version: "v1" }, ["p-cr"]],
    [{ group: "" }, ["p-app1", "p-cr", "p-myapp", "p-other"]],
    [{ namespace: "~.*" }, []],
    [{ namespace: ".*" }, ["p-app1", "p-cr", "p-myapp", "p-other"]],
    [{ labelSelector: "app==a" }, ["p-app1"]],
    [{ labelSelector: "app in (a,)" }, ["p-app1"]],
    [{ labelSelector: "" }, ["p-app1", "p-cr", "p-myapp", "p-other"]],
  ])("%j", (target, expected) => {
    expect(selected(target)).toEqual(expected);
  });

  it("matches the original id only through previousIds, and the current one always", () => {
    const renamed = { object: configMap("p-app1") };
    expect(matchesPatchTarget(renamed, { name: "app1" })).toBe(false);
    expect(matchesPatchTarget(renamed, { name: "p-app1" })).toBe(true);
    expect(matchesPatchTarget({ ...renamed, previousIds: was("app1") }, { name: "app1" })).toBe(true);
  });

  it("uses RE2 semantics (no backtracking constructs) and reports bad patterns with the place given", () => {
    const at = { file: "overlay/kustomization.yaml", line: 7 };
    for (const target of [{ name: "((" }, { kind: "(?=x)" }, { name: "(a)\\1" }, { labelSelector: "app in a" }, { annotationSelector: "a=b c" }]) {
      let error: unknown;
      try {
        compilePatchTarget(target, at);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RenderError);
      expect((error as RenderError).code).toBe("render_selector_invalid");
      expect((error as RenderError).at).toEqual(at);
    }
  });
});
