/**
 * Where each rendered object and field came from: the document's start line for an object from a file, the
 * generator entry's line for a generated one, and per field the line that set it (images, replicas, patches,
 * namespace, prefix, labels), so the policy check can annotate the line responsible.
 */
import { MemoryFs, renderKustomization } from "../../src/render/index.js";
import type { RenderedObject } from "../../src/render/index.js";

const FILES = {
  "base/kustomization.yaml": "resources:\n- workloads.yaml\n",
  "base/workloads.yaml": [
    "apiVersion: v1",
    "kind: Service",
    "metadata:",
    "  name: web",
    "---",
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: web",
    "spec:",
    "  replicas: 1",
    "  template:",
    "    spec:",
    "      containers:",
    "      - name: web",
    "        image: nginx:1.25",
    "",
  ].join("\n"),
  "prod/kustomization.yaml": [
    "resources:", // 1
    "- ../base", // 2
    "namespace: prod", // 3
    "namePrefix: prod-", // 4
    "commonLabels:", // 5
    "  team: payments", // 6
    "images:", // 7
    "- name: nginx", // 8
    "  newName: docker.io/evil/nginx", // 9
    "  newTag: latest", // 10
    "replicas:", // 11
    "- name: web", // 12
    "  count: 5", // 13
    "patches:", // 14
    "- path: resources.yaml", // 15
    "configMapGenerator:", // 16
    "- name: settings", // 17
    "  literals:", // 18
    "  - a=b", // 19
    "",
  ].join("\n"),
  "prod/resources.yaml": [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: web",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "      - name: web",
    "        resources:",
    "          limits:",
    "            memory: 1Gi",
    "",
  ].join("\n"),
};

function byKind(objects: RenderedObject[], kind: string): RenderedObject {
  const o = objects.find((x) => x.object["kind"] === kind);
  if (!o) throw new Error(`no ${kind}`);
  return o;
}

const r = renderKustomization(new MemoryFs(FILES), "prod", { reorder: "none" });
const K = "prod/kustomization.yaml";

test("the render succeeds with the transformed objects", () => {
  expect(r.diagnostics).toEqual([]);
  const dep = byKind(r.objects, "Deployment").object as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
  expect(dep.spec.replicas).toBe(5);
  expect(dep.spec.template.spec.containers[0]!.image).toBe("docker.io/evil/nginx:latest");
});

test("objects from files point at their document's first line; a generated one at its generator entry", () => {
  expect(byKind(r.objects, "Service").source).toEqual({ file: "base/workloads.yaml", line: 1 });
  expect(byKind(r.objects, "Deployment").source).toEqual({ file: "base/workloads.yaml", line: 6 });
  expect(byKind(r.objects, "ConfigMap").source).toEqual({ file: K, line: 17 });
});

test("an image set by images: points at the entry's newName: line", () => {
  expect(byKind(r.objects, "Deployment").fieldOrigins["/spec/template/spec/containers/0/image"]).toEqual({ file: K, line: 9 });
});

test("replicas point at count:, namespace at namespace:, the name at namePrefix:, labels at their entry", () => {
  const o = byKind(r.objects, "Deployment").fieldOrigins;
  expect(o["/spec/replicas"]).toEqual({ file: K, line: 13 });
  expect(o["/metadata/namespace"]).toEqual({ file: K, line: 3 });
  expect(o["/metadata/name"]).toEqual({ file: K, line: 4 });
  expect(o["/metadata/labels/team"]).toEqual({ file: K, line: 6 });
  expect(o["/spec/selector/matchLabels/team"]).toEqual({ file: K, line: 6 });
});

test("a field a patch file set points at the patch file's line", () => {
  expect(byKind(r.objects, "Deployment").fieldOrigins["/spec/template/spec/containers/0/resources"]).toEqual({ file: "prod/resources.yaml", line: 10 });
});

test("a field an inline patch set points at its line inside the kustomization", () => {
  const inline = { ...FILES, "prod/kustomization.yaml": "resources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      paused: true\n" };
  const out = renderKustomization(new MemoryFs(inline), "prod");
  expect(byKind(out.objects, "Deployment").fieldOrigins["/spec/paused"]).toEqual({ file: K, line: 10 });
});

test("fields nothing changed have no origin of their own (they are in the source document)", () => {
  const o = byKind(r.objects, "Deployment").fieldOrigins;
  expect(o["/spec/template/spec/containers/0/name"]).toBeUndefined();
  expect(o["/kind"]).toBeUndefined();
  expect(byKind(r.objects, "Service").fieldOrigins["/spec"]).toBeUndefined();
});

test("the files and kustomization folders the render read", () => {
  expect(r.files).toEqual(["base/kustomization.yaml", "base/workloads.yaml", "prod/kustomization.yaml", "prod/resources.yaml"]);
  expect(r.kustomizationDirs).toEqual(["base", "prod"]);
});

test("a field a var was substituted into points at that var's entry", () => {
  const files = {
    "app/kustomization.yaml": [
      "resources:", // 1
      "- r.yaml", // 2
      "vars:", // 3
      "- name: ONE", // 4
      "  objref: {apiVersion: v1, kind: Service, name: one}", // 5
      "- name: TWO", // 6
      "  objref: {apiVersion: v1, kind: Service, name: two}", // 7
      "",
    ].join("\n"),
    "app/r.yaml": [
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: one\n",
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: two\n",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    command: [\"$(TWO)\", \"$(ONE)\"]\n",
    ].join("---\n"),
  };
  const out = renderKustomization(new MemoryFs(files), "app", { reorder: "none" });
  const pod = byKind(out.objects, "Pod");
  expect((pod.object as { spec: { containers: { command: string[] }[] } }).spec.containers[0]!.command).toEqual(["two", "one"]);
  expect(pod.fieldOrigins["/spec/containers/0/command/0"]).toEqual({ file: "app/kustomization.yaml", line: 6 });
  expect(pod.fieldOrigins["/spec/containers/0/command/1"]).toEqual({ file: "app/kustomization.yaml", line: 4 });
});
