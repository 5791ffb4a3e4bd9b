/**
 * Rendering many roots over one base in one process (the policy check, `fleetward check`/`diff`, the render
 * benchmark): whatever the renderer keeps between renders to save work (parsed files, compiled patterns, field-spec
 * tables) must never change what a render gives. Each render is compared with a first render of the same root, after
 * other renders have run and changed their own results in place.
 */
import { MemoryFs, parseKYaml, renderKustomization } from "../../src/render/index.js";
import type { RenderResult } from "../../src/render/index.js";

const BASE = {
  "base/kustomization.yaml": "resources: [app.yaml]\nlabels:\n- pairs: {team: shop}\npatches:\n- path: probe.yaml\n",
  "base/probe.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, readinessProbe: {httpGet: {path: /ready, port: 80}}}]\n",
  "base/app.yaml": [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: web}",
    "spec:",
    "  replicas: 2",
    "  template:",
    "    spec:",
    "      containers:",
    "      - name: web",
    "        image: registry.example.com/shop/web:1.0",
    "        env: [{name: MODE, value: fast}]",
    "        envFrom: [{configMapRef: {name: settings}}]",
    "---",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata: {name: settings}",
    "data: {mode: fast}",
    "---",
    "apiVersion: example.com/v1",
    "kind: Limits",
    "metadata: {name: limits}",
    "spec: {ceiling: .inf, floor: -.inf, unknown: .nan, zero: -0, big: 0x7f}",
    "",
  ].join("\n"),
};

function overlay(i: number): string {
  return [
    "resources: [../../base]",
    `namespace: ns-${i}`,
    `namePrefix: c${i}-`,
    "images:",
    `- {name: registry.example.com/shop/web, newName: mirror-${i}.example.com/web, newTag: "2.${i}"}`,
    `replicas: [{name: web, count: ${i + 3}}]`,
    "patches:",
    "- patch: |",
    "    apiVersion: apps/v1",
    "    kind: Deployment",
    "    metadata: {name: web}",
    "    spec:",
    "      template:",
    "        spec:",
    `          containers: [{name: web, env: [{name: CLUSTER, value: c${i}}]}]`,
    "configMapGenerator:",
    `- {name: info, literals: [cluster=c${i}]}`,
    "",
  ].join("\n");
}

function fleet(n: number): MemoryFs {
  const files: Record<string, string> = { ...BASE };
  for (let i = 0; i < n; i++) files[`clusters/c${i}/kustomization.yaml`] = overlay(i);
  return new MemoryFs(files);
}

function render(fs: MemoryFs, root: string): RenderResult {
  const result = renderKustomization(fs, root, { reorder: "none" });
  expect(result.diagnostics).toEqual([]);
  return result;
}

/** Changes every map and list of the rendered objects in place, as a caller may. */
function scribble(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(scribble);
    value.push("scribbled");
  } else if (typeof value === "object" && value !== null) {
    const map = value as Record<string, unknown>;
    Object.values(map).forEach(scribble);
    map["scribbled"] = true;
  }
}

const byName = (r: RenderResult, kind: string): Record<string, unknown> =>
  r.objects.find((o) => o.object["kind"] === kind)?.object ?? {};

test("a root rendered again, after other roots of the same base were rendered and their results changed in place, renders as the first time", () => {
  const fs = fleet(3);
  const first = structuredClone(render(fs, "clusters/c0"));
  for (const root of ["clusters/c1", "clusters/c2", "clusters/c0", "base"]) render(fs, root).objects.forEach((o) => scribble(o.object));
  const again = render(fs, "clusters/c0");
  expect(again).toEqual(first);
  expect(JSON.stringify(again)).not.toContain("scribbled");
});

test("each overlay of one base gets its own copy of the base's objects (nothing of another overlay's render)", () => {
  const fs = fleet(2);
  const a = render(fs, "clusters/c0");
  const b = render(fs, "clusters/c1");
  const deployA = byName(a, "Deployment");
  const deployB = byName(b, "Deployment");
  expect(deployA).toMatchObject({ metadata: { name: "c0-web", namespace: "ns-0" }, spec: { replicas: 3 } });
  expect(deployB).toMatchObject({ metadata: { name: "c1-web", namespace: "ns-1" }, spec: { replicas: 4 } });
  const image = (d: Record<string, unknown>): unknown => (d as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers[0]!.image;
  expect(image(deployA)).toBe("mirror-0.example.com/web:2.0");
  const probe = (d: Record<string, unknown>): unknown => (d as { spec: { template: { spec: { containers: { readinessProbe: unknown }[] } } } }).spec.template.spec.containers[0]!.readinessProbe;
  expect(probe(deployA)).toEqual({ httpGet: { path: "/ready", port: 80 } });
  expect(probe(deployA)).not.toBe(probe(deployB));
  expect(image(deployB)).toBe("mirror-1.example.com/web:2.1");
  expect(deployA["spec"]).not.toBe(deployB["spec"]);
});

test("YAML values that JSON cannot hold (.inf, -.inf, .nan, -0) render the same the first and the second time a file is read", () => {
  const fs = fleet(1);
  const direct = parseKYaml(BASE["base/app.yaml"], "base/app.yaml")[2]!.value as { spec: Record<string, unknown> };
  expect(direct.spec).toEqual({ ceiling: Infinity, floor: -Infinity, unknown: NaN, zero: -0, big: 127 });
  for (let time = 0; time < 3; time++) {
    const limits = byName(render(fs, "clusters/c0"), "Limits");
    expect(limits["spec"]).toEqual(direct.spec);
    expect(Object.is((limits["spec"] as Record<string, unknown>)["zero"], -0)).toBe(true);
  }
});

test("a changed file is read anew: the same path with a new text renders the new text", () => {
  const files: Record<string, string> = { ...BASE, "clusters/c0/kustomization.yaml": overlay(0) };
  const before = render(new MemoryFs(files), "clusters/c0");
  files["base/app.yaml"] = BASE["base/app.yaml"].replace("replicas: 2", "replicas: 2\n  paused: true").replace("mode: fast}", "mode: slow}");
  const after = render(new MemoryFs(files), "clusters/c0");
  expect(byName(before, "Deployment")["spec"]).not.toHaveProperty("paused");
  expect(byName(after, "Deployment")["spec"]).toHaveProperty("paused", true);
  expect(byName(after, "ConfigMap")["data"]).toEqual({ mode: "slow" });
});
