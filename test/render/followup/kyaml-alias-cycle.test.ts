/**
 * A YAML alias inside the node its anchor names (`a: &x [1, *x]`) would make a value that contains itself; the
 * parser refuses it with a stable code at the alias's line instead of handing a circular object to the render.
 */
import { MemoryFs, parseKYaml, renderKustomization } from "../../../src/render/index.js";
import { RenderError } from "../../../src/render/render-error.js";

function parseError(text: string): RenderError {
  try {
    parseKYaml(text, "dir/cycle.yaml");
  } catch (e) {
    if (e instanceof RenderError) return e;
    throw e;
  }
  throw new Error("parsed without an error");
}

describe("parseKYaml and self-referring aliases", () => {
  it.each([
    ["a list containing itself", "a: &x [1, *x]\n", 1],
    ["a map containing itself, block style", "kind: ConfigMap\nmetadata: &m\n  name: x\n  self:\n    again: *m\n", 5],
    ["a merge key naming its own map", "a: &m\n  b: 1\n  c:\n    <<: *m\n", 4],
  ])("%s is render_yaml_alias_cycle at the alias's line", (_name, text, line) => {
    const e = parseError(text);
    expect(e.code).toBe("render_yaml_alias_cycle");
    expect(e.at).toEqual({ file: "dir/cycle.yaml", line });
  });

  it("aliases to earlier or sibling nodes still parse, shared but not circular", () => {
    const [doc] = parseKYaml("base: &b {x: 1}\nlist: [*b, *b]\nnested: &n\n  inner: *b\nagain: *n\n", "ok.yaml");
    expect(doc!.value).toEqual({ base: { x: 1 }, list: [{ x: 1 }, { x: 1 }], nested: { inner: { x: 1 } }, again: { inner: { x: 1 } } });
  });

  it("a render reading such a resource fails with the code at the file and line", () => {
    const fs = new MemoryFs({ "kustomization.yaml": "resources:\n- cm.yaml\n", "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: &d\n  self: *d\n" });
    const result = renderKustomization(fs, "");
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "render_yaml_alias_cycle", file: "kustomization.yaml", line: 2 })]);
    expect(result.diagnostics[0]!.message).toContain("cm.yaml:6");
  });
});
