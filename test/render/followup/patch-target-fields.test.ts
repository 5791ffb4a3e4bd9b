/** A patch target field of the wrong type is a RenderError at the patch entry, not a TypeError. */
import { MemoryFs, renderKustomization } from "../../../src/render/index.js";

const RESOURCE = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n";
const PATCH = "  patch: |-\n    - op: add\n      path: /data\n      value: {a: b}\n";

describe("patch target fields", () => {
  it.each([
    ["labelSelector", "{app: web}"],
    ["annotationSelector", "[a]"],
    ["name", "{x: 1}"],
  ])("%s: %s is render_invalid_patch at the entry's line", (field, value) => {
    const kustomization = `resources:\n- cm.yaml\npatches:\n- target:\n    ${field}: ${value}\n${PATCH}`;
    const result = renderKustomization(new MemoryFs({ "kustomization.yaml": kustomization, "cm.yaml": RESOURCE }), "");
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "render_invalid_patch", file: "kustomization.yaml", line: 4 })]);
    expect(result.diagnostics[0]!.message).toContain(`patch target ${field} must be a string`);
  });

  it("a string field still selects", () => {
    const kustomization = `resources:\n- cm.yaml\npatches:\n- target:\n    name: web\n${PATCH}`;
    const result = renderKustomization(new MemoryFs({ "kustomization.yaml": kustomization, "cm.yaml": RESOURCE }), "");
    expect(result.objects.map((o) => o.object["data"])).toEqual([{ a: "b" }]);
  });
});
