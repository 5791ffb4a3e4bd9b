/** The compiled-pattern cache the renderer's selectors and field paths share. */
import { RE2_CACHE_LIMIT, compileRe2, re2CacheSize } from "../../src/render/re2-cache.js";
import { MemoryFs, renderKustomization } from "../../src/render/index.js";

test("a pattern is compiled once and matches as RE2 does", () => {
  const re = compileRe2("^(?:app-[0-9]+)$");
  expect(compileRe2("^(?:app-[0-9]+)$")).toBe(re);
  expect(re.matches("app-12")).toBe(true);
  expect(re.matches("app-x")).toBe(false);
  expect(compileRe2("^(?:app-[0-9]+|web)$")).not.toBe(re);
});

test("the cache is bounded: past the limit the oldest patterns go, the newest stay", () => {
  const first = compileRe2("first-of-many");
  for (let i = 0; i < RE2_CACHE_LIMIT + 10; i++) compileRe2(`p${i}`);
  expect(re2CacheSize()).toBe(RE2_CACHE_LIMIT);
  expect(compileRe2(`p${RE2_CACHE_LIMIT + 9}`)).toBe(compileRe2(`p${RE2_CACHE_LIMIT + 9}`));
  expect(compileRe2("first-of-many")).not.toBe(first);
});

test("an invalid pattern throws on every use (nothing kept for it)", () => {
  expect(() => compileRe2("a(")).toThrow();
  expect(() => compileRe2("a(")).toThrow();
});

test("replacement field paths with [name=value] selectors give each overlay its own target, and a bad one fails at every render", () => {
  const files: Record<string, string> = {
    "base/kustomization.yaml": "resources: [app.yaml]\n",
    "base/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: a}, {name: side, image: b}]\n",
  };
  const overlay = (image: string, selector: string): string =>
    [
      "resources: [../base]",
      "configMapGenerator: [{name: pick, literals: [image=" + image + "], options: {disableNameSuffixHash: true}}]",
      "replacements:",
      "- source: {kind: ConfigMap, name: pick, fieldPath: data.image}",
      `  targets: [{select: {kind: Deployment}, fieldPaths: ['spec.template.spec.containers.[name=${selector}].image']}]`,
      "",
    ].join("\n");
  files["one/kustomization.yaml"] = overlay("one", "web");
  files["two/kustomization.yaml"] = overlay("two", "side");
  files["bad/kustomization.yaml"] = overlay("bad", "we(b");
  const fs = new MemoryFs(files);
  const images = (root: string): unknown => {
    const r = renderKustomization(fs, root, {});
    expect(r.diagnostics).toEqual([]);
    const deploy = r.objects.find((o) => o.object["kind"] === "Deployment")!.object as { spec: { template: { spec: { containers: { image: string }[] } } } };
    return deploy.spec.template.spec.containers.map((c) => c.image);
  };
  for (let time = 0; time < 2; time++) {
    expect(images("one")).toEqual(["one", "b"]);
    expect(images("two")).toEqual(["a", "two"]);
    const bad = renderKustomization(fs, "bad", {});
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics[0]).toMatchObject({ code: "render_selector_invalid", file: "bad/kustomization.yaml" });
  }
});
