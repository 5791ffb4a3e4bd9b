import { editYamlFields } from "../../src/promotion/edit-yaml-fields.js";

test("Helm values image.tag: only the scalar changes (to the source's own text for it), comments and layout stay", () => {
  const source = "image:\n  repository: acme/api\n  tag: '2.0.0'\n";
  const target = "# prod values\nimage:\n  repository: acme/api   # mirror\n  tag: 1.9.0 # pinned by release\nreplicas: 4\n";
  const r = editYamlFields(source, target, ["image.tag"]);
  expect(r).toEqual({
    ok: true,
    text: "# prod values\nimage:\n  repository: acme/api   # mirror\n  tag: '2.0.0' # pinned by release\nreplicas: 4\n",
    changes: [{ document: 0, path: "image.tag", from: "1.9.0", to: "2.0.0" }],
  });
});

test("HelmRelease spec.chart.spec.version in the second document of a stream", () => {
  const source = "kind: HelmRepository\n---\nkind: HelmRelease\nspec:\n  chart:\n    spec:\n      chart: api\n      version: 1.4.0\n";
  const target = "kind: HelmRepository # repo\n---\n# release\nkind: HelmRelease\nspec:\n  chart:\n    spec:\n      chart: api\n      version: 1.3.9 # keep me\n";
  const r = editYamlFields(source, target, ["spec.chart.spec.version"]);
  expect(r.ok && r.text).toBe(target.replace("1.3.9", "1.4.0"));
});

test("kustomize images[].digest matched by name; elements missing in the target are not created", () => {
  const source = "images:\n  - name: a\n    digest: sha256:111\n  - name: b\n    digest: sha256:222\n";
  const target = "images:\n  - name: a\n    digest: sha256:000\n";
  const r = editYamlFields(source, target, ["images[].digest"]);
  expect(r.ok && r.text).toBe("images:\n  - name: a\n    digest: sha256:111\n");
});

test("a field missing in the target is added through the Document API, keeping comments", () => {
  const source = "images:\n  - name: a\n    newTag: v2\n";
  const target = "# top\nimages:\n  - name: a # the app\n    newName: mirror/a\n";
  const r = editYamlFields(source, target, ["images[].newTag"]);
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.text).toContain("# top");
  expect(r.text).toContain("# the app");
  expect(r.text).toContain("newTag: v2");
  expect(r.changes).toEqual([{ document: 0, path: "images[name=a].newTag", from: undefined, to: "v2" }]);
});

test("equal values change nothing and return the target text as is", () => {
  const target = "image:\n  tag:   \"1.0\"   # same\n";
  expect(editYamlFields("image: { tag: '1.0' }\n", target, ["image.tag"])).toEqual({ ok: true, text: target, changes: [] });
});

test("a number in the source replaces a string in the target (types differ)", () => {
  const r = editYamlFields("v: 2\n", "v: '2'\n", ["v"]);
  expect(r.ok && r.text).toBe("v: 2\n");
});

test("YAML that does not parse is an error, not a crash", () => {
  const r = editYamlFields("a: [1\n", "a: 1\n", ["a"]);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error).toMatch(/^source: /);
  const t = editYamlFields("a: 1\n", "a: 2\n  b: 3\n- c\n", ["a"]);
  expect(t.ok).toBe(false);
});

test("a block scalar in the target is replaced through the Document API, keeping its block style", () => {
  const r = editYamlFields("note: v2\n", "# c\nnote: |\n  v1\n", ["note"]);
  expect(r.ok && r.text).toBe("# c\nnote: |-\n  v2\n");
});
