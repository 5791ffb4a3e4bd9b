/**
 * Renderer behaviours beyond Kustomize's own cases: output orders, components, name references across layers,
 * local-config objects, and the file systems (MemoryFs, DiskFs refusing what leaves the repository).
 */
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiskFs, MemoryFs, renderKustomization } from "../../src/render/index.js";
import type { RenderResult } from "../../src/render/index.js";

const obj = (apiVersion: string, kind: string, name: string, extra = "") => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${extra}`;
const ids = (r: RenderResult) => r.objects.map((o) => `${o.object["kind"]}/${(o.object["metadata"] as { name: string }).name}`);

describe("output order", () => {
  const files = {
    "app/kustomization.yaml": "resources:\n- all.yaml\n",
    "app/all.yaml": [
      obj("apps/v1", "Deployment", "web"),
      obj("v1", "Service", "web"),
      obj("example.com/v1", "Widget", "w"),
      obj("batch/v1", "Job", "j"),
      obj("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "v"),
      obj("apps/v1", "Deployment", "api"),
      obj("v1", "Namespace", "ns"),
    ].join("---\n"),
  };

  test("legacy by default: Kustomize's kind lists, ties by group_version_kind then name", () => {
    const r = renderKustomization(new MemoryFs(files), "app");
    expect(ids(r)).toEqual(["Namespace/ns", "Service/web", "Deployment/api", "Deployment/web", "Job/j", "Widget/w", "ValidatingWebhookConfiguration/v"]);
  });

  test("none keeps input order; sortOptions in the kustomization win over the option", () => {
    expect(ids(renderKustomization(new MemoryFs(files), "app", { reorder: "none" }))[0]).toBe("Deployment/web");
    const fifo = { ...files, "app/kustomization.yaml": "resources:\n- all.yaml\nsortOptions:\n  order: fifo\n" };
    expect(ids(renderKustomization(new MemoryFs(fifo), "app"))[0]).toBe("Deployment/web");
    const custom = { ...files, "app/kustomization.yaml": "resources:\n- all.yaml\nsortOptions:\n  order: legacy\n  legacySortOptions:\n    orderFirst: [Widget]\n    orderLast: [Namespace]\n" };
    const r = renderKustomization(new MemoryFs(custom), "app", { reorder: "none" });
    expect(ids(r)[0]).toBe("Widget/w");
    expect(ids(r).at(-1)).toBe("Namespace/ns");
  });
});

test("a component applies to what the kustomization accumulated, after its resources", () => {
  const r = renderKustomization(
    new MemoryFs({
      "app/kustomization.yaml": "resources:\n- cm.yaml\ncomponents:\n- ../monitoring\n",
      "app/cm.yaml": obj("v1", "ConfigMap", "settings"),
      "monitoring/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- sm.yaml\ncommonLabels:\n  monitored: \"yes\"\n",
      "monitoring/sm.yaml": obj("monitoring.coreos.com/v1", "ServiceMonitor", "web"),
    }),
    "app",
    { reorder: "none" },
  );
  expect(ids(r)).toEqual(["ConfigMap/settings", "ServiceMonitor/web"]);
  for (const o of r.objects) expect((o.object["metadata"] as { labels: Record<string, string> }).labels).toEqual({ monitored: "yes" });
});

test("references written in a base follow the overlay's renames: generated ConfigMap hash, prefixes, ServiceAccount namespace", () => {
  const r = renderKustomization(
    new MemoryFs({
      "base/kustomization.yaml": "resources:\n- app.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - a=b\n",
      "base/app.yaml": [
        obj("apps/v1", "Deployment", "web", "spec:\n  template:\n    spec:\n      serviceAccountName: runner\n      volumes:\n      - name: c\n        configMap:\n          name: settings\n"),
        obj("v1", "ServiceAccount", "runner"),
        obj("rbac.authorization.k8s.io/v1", "RoleBinding", "runner", "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\nsubjects:\n- kind: ServiceAccount\n  name: runner\n"),
        obj("rbac.authorization.k8s.io/v1", "Role", "reader"),
      ].join("---\n"),
      "prod/kustomization.yaml": "resources:\n- ../base\nnamespace: prod\nnamePrefix: prod-\n",
    }),
    "prod",
    { reorder: "none" },
  );
  expect(r.diagnostics).toEqual([]);
  const find = (kind: string) => r.objects.find((o) => o.object["kind"] === kind)!.object as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const cmName = find("ConfigMap").metadata.name as string;
  expect(cmName).toMatch(/^prod-settings-[a-z0-9]{10}$/);
  expect(find("Deployment").spec.template.spec.volumes[0].configMap.name).toBe(cmName);
  expect(find("Deployment").spec.template.spec.serviceAccountName).toBe("prod-runner");
  expect(find("RoleBinding").subjects[0]).toEqual({ kind: "ServiceAccount", name: "prod-runner", namespace: "prod" });
  expect(find("RoleBinding").roleRef.name).toBe("prod-reader");
});

test("local-config objects serve as reference sources and are not output", () => {
  const r = renderKustomization(
    new MemoryFs({
      "app/kustomization.yaml": "resources:\n- r.yaml\nnamePrefix: p-\n",
      "app/r.yaml": [obj("v1", "ConfigMap", "local", "  annotations:\n    config.kubernetes.io/local-config: \"true\"\n"), obj("v1", "Pod", "pod", "spec:\n  volumes:\n  - configMap:\n      name: local\n")].join("---\n"),
    }),
    "app",
  );
  expect(ids(r)).toEqual(["Pod/p-pod"]);
  expect(JSON.stringify(r.objects[0]!.object)).toContain('"name":"p-local"');
});

test("an openapi version other than the embedded one is refused at its line", () => {
  const r = renderKustomization(new MemoryFs({ "app/kustomization.yaml": "openapi:\n  version: v1.14.1\nresources: []\n" }), "app");
  expect(r.diagnostics).toEqual([expect.objectContaining({ code: "render_unsupported_openapi", file: "app/kustomization.yaml", line: 2 })]);
});

describe("file systems", () => {
  test("MemoryFs: folders implied by paths, leading ./ and / dropped, sorted listings", () => {
    const fs = new MemoryFs(new Map([["./a/b/c.yaml", "x"], ["/a/d.yaml", "y"]]));
    expect(fs.readFile("a/b/c.yaml")).toBe("x");
    expect(fs.readFile("a/d.yaml")).toBe("y");
    expect(fs.listDir("a")).toEqual(["b", "d.yaml"]);
    expect(fs.listDir("")).toEqual(["a"]);
    expect([fs.isDir(""), fs.isDir("a/b"), fs.isDir("a/d.yaml"), fs.isDir("z")]).toEqual([true, true, false, false]);
    expect(fs.listDir("a/d.yaml")).toBeUndefined();
  });

  test("DiskFs reads inside its root and refuses what a symbolic link takes outside it", async () => {
    const outside = await mkdtemp(join(tmpdir(), "fleetward-outside-"));
    await writeFile(join(outside, "secret.yaml"), obj("v1", "Secret", "s"));
    const root = await mkdtemp(join(tmpdir(), "fleetward-diskfs-"));
    await mkdir(join(root, "app"));
    await writeFile(join(root, "app/kustomization.yaml"), "resources:\n- link.yaml\n");
    await symlink(join(outside, "secret.yaml"), join(root, "app/link.yaml"));
    const fs = new DiskFs(root);
    expect(fs.readFile("app/kustomization.yaml")).toContain("resources");
    expect(fs.readFile("app/link.yaml")).toBeUndefined();
    expect(fs.listDir("app")).toEqual(["kustomization.yaml", "link.yaml"]);
    expect(fs.readFile("../" + outside.split("/").pop() + "/secret.yaml")).toBeUndefined();
    const r = renderKustomization(fs, "app");
    expect(r.diagnostics[0]).toMatchObject({ code: "render_missing_file", file: "app/kustomization.yaml", line: 2 });
  });
});

describe("openapi: {path}", () => {
  const files = {
    "app/kustomization.yaml": "resources:\n- d.yaml\nopenapi:\n  path: schema.json\npatches:\n- path: p.yaml\n",
    "app/d.yaml": obj("apps/v1", "Deployment", "web", "spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: a\n      - name: b\n        image: b\n"),
    "app/p.yaml": obj("apps/v1", "Deployment", "web", "spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: a2\n"),
    "app/schema.json": '{"definitions": {}}',
  };
  const containers = (r: RenderResult) => (r.objects[0]!.object as { spec: { template: { spec: { containers: unknown[] } } } }).spec.template.spec.containers;

  test("the kustomization's schema replaces the builtin one (a schema without Deployment: containers are replaced, as kubectl kustomize does)", () => {
    expect(containers(renderKustomization(new MemoryFs(files), "app"))).toEqual([{ name: "a", image: "a2" }]);
    const builtin = { ...files, "app/kustomization.yaml": "resources:\n- d.yaml\npatches:\n- path: p.yaml\n" };
    expect(containers(renderKustomization(new MemoryFs(builtin), "app"))).toEqual([{ name: "a", image: "a2" }, { name: "b", image: "b" }]);
  });

  test("a schema outside the kustomization's tree is refused at the path: line", () => {
    const outside = { ...files, "app/kustomization.yaml": "resources:\n- d.yaml\nopenapi:\n  path: ../schema.json\n", "schema.json": "{}" };
    expect(renderKustomization(new MemoryFs(outside), "app").diagnostics).toEqual([expect.objectContaining({ code: "render_load_restricted", file: "app/kustomization.yaml", line: 4 })]);
  });
});
