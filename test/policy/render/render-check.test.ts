import { blastRadius, blastRadiusLine, diffRoot, pluralKind, type RootTarget } from "../../../src/policy/render/render-diff.js";
import { MAX_DIFF_LINES, renderCheckRun } from "../../../src/policy/render/render-check.js";
import type { RenderResult } from "../../../src/render/api.js";

const result = (objects: Array<Record<string, unknown>>): RenderResult => ({
  root: "r",
  ok: true,
  objects: objects.map((object) => ({ object, source: { file: "f.yaml", line: 1 }, fieldOrigins: {} })),
  diagnostics: [],
  files: [],
  kustomizationDirs: [],
});
const configMap = (name: string, data: Record<string, string>, namespace?: string) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
  data,
});
const target = (i: number): RootTarget => ({ dir: `clusters/c${i}`, label: `c${i}`, targets: [`c${i}`], environments: [i % 2 === 0 ? "prod" : "staging"] });

describe("diffRoot and the blast radius", () => {
  test("objects match by group, kind, namespace and name; only changed ones get hunks", () => {
    const base = result([configMap("a", { k: "1" }), configMap("a", { k: "1" }, "other"), configMap("gone", {})]);
    const head = result([configMap("a", { k: "2" }), configMap("a", { k: "1" }, "other"), configMap("new", {})]);
    const d = diffRoot(target(0), base, head);
    expect(d.status).toBe("changed");
    expect(d.changed.map((o) => [o.kind, o.name, o.namespace, o.hunks.slice(-3)])).toEqual([["ConfigMap", "a", undefined, [" data:", '-  k: "1"', '+  k: "2"']]]);
    expect(d.changed[0]!.hunks[0]).toBe("@@ -3,4 +3,4 @@");
    expect(d.added).toEqual([{ kind: "ConfigMap", name: "new" }]);
    expect(d.removed).toEqual([{ kind: "ConfigMap", name: "gone" }]);
  });

  test("the line counts deploy targets, environments and kinds, and the untouched targets", () => {
    const changed = [0, 1, 2].map((i) => diffRoot(target(i), result([configMap("a", { k: "1" })]), result([configMap("a", { k: String(i + 10) })])));
    const radius = blastRadius(changed, [target(3), target(4)]);
    expect(blastRadiusLine(radius)).toBe("affects 3 clusters in 2 environments: 3 ConfigMaps; 2 clusters unchanged");
    expect([pluralKind("NetworkPolicy", 2), pluralKind("Ingress", 2), pluralKind("Gateway", 2), pluralKind("Service", 1)]).toEqual(["NetworkPolicies", "Ingresses", "Gateways", "Service"]);
  });
});

describe("renderCheckRun within GitHub's limits", () => {
  test("a huge object's diff is cut with a count; many roots' details stop before the limit, with how many are left out", () => {
    const big = (v: string) => Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`key${i}`, `${v}${i}`]));
    const diffs = Array.from({ length: 40 }, (_, i) => diffRoot(target(i), result([configMap("a", big("x"))]), result([configMap("a", big("y"))])));
    const run = renderCheckRun(diffs, blastRadius(diffs, []), "h");
    expect(run.summary.length).toBeLessThanOrEqual(65535);
    expect(run.summary).toContain(`… ${diffs[0]!.changed[0]!.hunks.length - MAX_DIFF_LINES} more lines of this object's diff not shown`);
    expect(run.summary).toMatch(/… the diffs of \d+ more roots are not shown/);
    // Every root is still in the table.
    for (let i = 0; i < 40; i++) expect(run.summary).toContain(`| \`clusters/c${i}\` | c${i} | 1 changed |`);
  });

  test("so many roots that even the table is cut: the rows stop with a count", () => {
    const diffs = Array.from({ length: 3000 }, (_, i) => diffRoot(target(i), result([configMap("a", { k: "1" })]), result([configMap("a", { k: "2" })])));
    const run = renderCheckRun(diffs, blastRadius(diffs, []), "h");
    expect(run.summary.length).toBeLessThanOrEqual(65535);
    expect(run.summary).toMatch(/… \d+ more roots not listed/);
    expect(run.title).toBe("Affects 3000 clusters in 2 environments: 3000 ConfigMaps; 0 clusters unchanged");
  });

  test("a YAML value holding backticks cannot close the diff's fence", () => {
    const d = diffRoot(target(0), result([configMap("a", { k: "```" })]), result([configMap("a", { k: "````x" })]));
    const run = renderCheckRun([d], blastRadius([d], []), "h");
    expect(run.summary).toContain("`````diff\n");
  });
});
