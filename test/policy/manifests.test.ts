import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createFileFilter,
  formatFieldPath,
  loadManifestFile,
  loadManifests,
  measureExpandedSize,
  parseFieldPath,
  splitDocuments,
} from "../../src/policy/manifests/index.js";

const fixtures = join(process.cwd(), "test/fixtures/manifests");
const fixture = (name: string) => ({ path: `manifests/${name}`, content: readFileSync(join(fixtures, name), "utf8") });

describe("loadManifestFile: multi-document YAML", () => {
  const r = loadManifestFile(fixture("multi-doc.yaml"));

  it("returns the Kubernetes documents with file, index, start line and identity", () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.documents.map((d) => [d.index, d.startLine, d.kind, d.name, d.namespace])).toEqual([
      [0, 2, "Namespace", "shop", undefined],
      [1, 11, "Deployment", "web", "shop"],
    ]);
    expect(r.documents[1]?.file).toBe("manifests/multi-doc.yaml");
    expect(r.documents[1]?.apiVersion).toBe("apps/v1");
  });

  it("skips empty, non-object and non-Kubernetes documents with a reason", () => {
    expect(r.skipped.map((s) => [s.index, s.reason])).toEqual([
      [2, "empty"],
      [3, "missing-api-version"],
      [4, "not-an-object"],
    ]);
    expect(r.skipped.find((s) => s.index === 3)?.startLine).toBe(33);
  });

  it("locates fields by dotted path, with key and value positions", () => {
    const deploy = r.documents[1]!;
    const image = deploy.locate("spec.template.spec.containers[1].image");
    expect(image?.key).toMatchObject({ line: 29, column: 11 });
    expect(image?.value).toMatchObject({ line: 29, column: 18 });
    expect(deploy.locate("spec.template.spec.containers[0].image")?.value).toMatchObject({ line: 27, column: 18 });
    expect(deploy.locate("spec.template.spec.initContainers[0].name")?.key?.line).toBe(23);
    expect(deploy.locate("spec.replicas")?.value).toMatchObject({ line: 19, column: 13 });
    expect(deploy.locate('metadata.labels["app.kubernetes.io/name"]')?.key).toMatchObject({ line: 17, column: 5 });
    expect(deploy.locate(["spec", "template", "spec", "containers", 1])?.value).toMatchObject({ line: 28, column: 11 });
    expect(deploy.locate("")?.value.line).toBe(11);
    expect(r.documents[0]!.locate("metadata.labels.team")?.value).toMatchObject({ line: 7, column: 11 });
  });

  it("returns undefined for a missing or malformed path", () => {
    const deploy = r.documents[1]!;
    expect(deploy.locate("spec.template.spec.containers[5].image")).toBeUndefined();
    expect(deploy.locate("spec.nothing")).toBeUndefined();
    expect(deploy.locate("spec..replicas")).toBeUndefined();
    expect(deploy.locate("spec.replicas[")).toBeUndefined();
  });

  it("resolves merge keys, as Kubernetes' YAML decoder does", () => {
    const content = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\nx: &b {a: 1}\ndata:\n  <<: *b\n  c: '2'\n";
    const r = loadManifestFile({ path: "m.yaml", content });
    expect(r.documents[0]?.value.data).toEqual({ a: 1, c: "2" });
  });

  it("keeps decoded values", () => {
    expect(r.documents[1]?.value).toMatchObject({ spec: { replicas: 3 } });
  });
});

describe("loadManifestFile: JSON", () => {
  it("loads a JSON file (tabs allowed) as one document with positions", () => {
    const r = loadManifestFile(fixture("pod.json"));
    expect(r.diagnostics).toEqual([]);
    expect(r.documents).toHaveLength(1);
    const pod = r.documents[0]!;
    expect([pod.kind, pod.name, pod.namespace, pod.startLine]).toEqual(["Pod", "p", "default", 1]);
    expect(pod.locate("spec.containers[0].image")?.key).toMatchObject({ line: 7, column: 18 });
  });

  it("reports JSON syntax errors (strict JSON, not YAML) with a line and column", () => {
    const r = loadManifestFile({ path: "bad.json", content: '{\n  "kind": "Pod",\n  "apiVersion": "v1",\n}' });
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: "manifest_json_syntax", file: "bad.json", line: 4, column: 1 });
    const valueMissing = loadManifestFile({ path: "b.json", content: '{"kind": "Pod", "apiVersion": }' });
    expect(valueMissing.diagnostics.map((d) => d.code)).toEqual(["manifest_json_syntax"]);
  });
});

describe("loadManifestFile: hostile and broken YAML", () => {
  it("rejects a billion-laughs document without expanding it", () => {
    const started = Date.now();
    const r = loadManifestFile(fixture("billion-laughs.yaml"), { maxExpandedNodes: 10_000 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.documents).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([["manifest_expansion_limit", 1]]);
  });

  it("enforces the alias count limit", () => {
    const r = loadManifestFile(fixture("billion-laughs.yaml"), { maxAliases: 10 });
    expect(r.diagnostics[0]?.code).toBe("manifest_alias_limit");
    expect(r.diagnostics[0]?.line).toBe(8);
  });

  it("rejects a self-referencing alias", () => {
    const r = loadManifestFile({ path: "c.yaml", content: "apiVersion: v1\nkind: X\nmetadata: &m\n  self: *m\n" });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["manifest_recursive_alias"]);
  });

  it("enforces the nesting depth limit", () => {
    const content = "apiVersion: v1\nkind: X\ndata: " + "[".repeat(30) + "]".repeat(30) + "\n";
    const r = loadManifestFile({ path: "deep.yaml", content }, { maxDepth: 10 });
    expect(r.diagnostics[0]).toMatchObject({ code: "manifest_depth_limit", line: 3 });
    expect(loadManifestFile({ path: "deep.yaml", content }, { maxDepth: 40 }).documents).toHaveLength(1);
  });

  it("enforces the file size limit", () => {
    const r = loadManifestFile({ path: "big.yaml", content: "a: " + "x".repeat(100) }, { maxFileBytes: 50 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["manifest_file_too_large"]);
  });

  it("enforces the documents-per-file limit", () => {
    const content = Array.from({ length: 5 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}`).join(
      "\n---\n",
    );
    expect(loadManifestFile({ path: "m.yaml", content }, { maxDocumentsPerFile: 4 }).diagnostics[0]?.code).toBe(
      "manifest_too_many_documents",
    );
    expect(loadManifestFile({ path: "m.yaml", content }, { maxDocumentsPerFile: 5 }).documents).toHaveLength(5);
  });

  it("turns a syntax error into a diagnostic at the right line and column", () => {
    const r = loadManifestFile(fixture("syntax-error.yaml"));
    expect(r.documents).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: "manifest_yaml_syntax", file: "manifests/syntax-error.yaml" });
    expect(r.diagnostics[0]!.line).toBeGreaterThanOrEqual(6);
  });

  it("keeps the other documents of a file when one document is broken", () => {
    const content = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: first}",
      "---",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: broken",
      "---",
      "# third",
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: third",
    ].join("\n");
    const r = loadManifestFile({ path: "m.yaml", content });
    expect(r.documents.map((d) => [d.index, d.name, d.startLine])).toEqual([
      [0, "first", 1],
      [2, "third", 10],
    ]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: "manifest_yaml_syntax", file: "m.yaml" });
    expect(r.diagnostics[0]!.line).toBeGreaterThanOrEqual(7);
    expect(r.diagnostics[0]!.line).toBeLessThanOrEqual(8);
    expect(r.documents[1]!.locate("metadata.name")?.value).toMatchObject({ line: 13, column: 9 });
  });

  it("reports duplicate keys with their line", () => {
    const r = loadManifestFile(fixture("duplicate-key.yaml"));
    expect(r.diagnostics[0]).toMatchObject({ code: "manifest_duplicate_key", line: 5 });
  });

  it("does not throw on arbitrary garbage", () => {
    for (const content of ["\u0000\u0001", "key: \"unterminated", "%YAML 9.9\n---\na", ": : :", "\t- x", "&a *a"]) {
      expect(() => loadManifestFile({ path: "g.yaml", content })).not.toThrow();
    }
  });
});

describe("loadManifests", () => {
  it("filters files by include/exclude globs", () => {
    const files = [
      { path: "apps/web/deploy.yaml", content: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n" },
      { path: "apps/web/kustomization.yaml", content: "resources: []\n" },
      { path: "apps/web/README.md", content: "# hi" },
      { path: "charts/x/templates/t.yaml", content: "{{ broken" },
    ];
    const r = loadManifests(files, { exclude: ["charts/**"] });
    expect(r.excludedFiles).toEqual(["apps/web/README.md", "charts/x/templates/t.yaml"]);
    expect(r.documents.map((d) => d.name)).toEqual(["a"]);
    expect(r.skipped.map((s) => [s.file, s.reason])).toEqual([["apps/web/kustomization.yaml", "missing-api-version"]]);
    expect(r.diagnostics).toEqual([]);
  });

  it("stops reading files once the total size budget is spent", () => {
    const doc = (n: string) => ({ path: `${n}.yaml`, content: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n` });
    const r = loadManifests([doc("a"), doc("b"), doc("c")], { limits: { maxTotalBytes: 110 } });
    expect(r.documents.map((d) => d.name)).toEqual(["a", "b"]);
    expect(r.diagnostics.map((d) => [d.code, d.file])).toEqual([["manifest_total_size_exceeded", "c.yaml"]]);
  });
});

describe("helpers", () => {
  it("splits YAML text at document markers", () => {
    expect(splitDocuments("a: 1\n---\nb: 2\n--- |\n  x\n---x: 3")).toEqual([
      { line: 1, text: "a: 1" },
      { line: 2, text: "---\nb: 2" },
      { line: 4, text: "--- |\n  x\n---x: 3" },
    ]);
    expect(splitDocuments("a: 1\r\n---\r\nb: 2").map((c) => c.line)).toEqual([1, 2]);
  });

  it("parses and formats field paths", () => {
    expect(parseFieldPath("spec.template.spec.containers[0].image")).toEqual([
      "spec",
      "template",
      "spec",
      "containers",
      0,
      "image",
    ]);
    expect(parseFieldPath("metadata.annotations['a.b/c']")).toEqual(["metadata", "annotations", "a.b/c"]);
    expect(parseFieldPath("[1][2]")).toEqual([1, 2]);
    expect(parseFieldPath("a.")).toBeUndefined();
    expect(parseFieldPath("a[x]")).toBeUndefined();
    expect(formatFieldPath(["metadata", "labels", "app.kubernetes.io/name", 0])).toBe(
      'metadata.labels["app.kubernetes.io/name"][0]',
    );
  });

  it("counts expanded nodes and detects cycles", () => {
    const shared = [1, 2, 3];
    expect(measureExpandedSize({ a: shared, b: shared }, 100)).toEqual({ ok: true, nodes: 9 });
    expect(measureExpandedSize({ a: shared, b: shared }, 8)).toEqual({ ok: false, reason: "limit" });
    const cyc: unknown[] = [];
    cyc.push(cyc);
    expect(measureExpandedSize(cyc, 100)).toEqual({ ok: false, reason: "cycle" });
  });

  it("filters with default globs and hides dot directories unless asked", () => {
    const f = createFileFilter();
    expect(f("a/b.yml")).toBe(true);
    expect(f("a/b.json")).toBe(true);
    expect(f("a/b.txt")).toBe(false);
    expect(f(".github/workflows/ci.yaml")).toBe(false);
    expect(createFileFilter({ dot: true })(".github/workflows/ci.yaml")).toBe(true);
  });
});
