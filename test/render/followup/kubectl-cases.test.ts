/**
 * Small kustomizations whose expected output was produced by the real Kustomize (`kubectl kustomize`, v5.5.0; see
 * make-expected.sh): each folder under cases/ is rendered in memory and must give the objects kubectl printed, in
 * its order (the order of map keys aside).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryFs, parseKYaml, renderKustomization } from "../../../src/render/index.js";

const CASES = path.join(path.dirname(fileURLToPath(import.meta.url)), "cases");

function readTree(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(out, readTree(full, `${prefix}${name}/`));
    else if (!(prefix === "" && name === "expected.yaml")) out[prefix + name] = readFileSync(full, "utf8");
  }
  return out;
}

describe("renders as kubectl kustomize v5.5.0", () => {
  it.each(readdirSync(CASES).sort())("%s", (name) => {
    const result = renderKustomization(new MemoryFs(readTree(path.join(CASES, name))), "");
    expect(result.diagnostics).toEqual([]);
    const expected = parseKYaml(readFileSync(path.join(CASES, name, "expected.yaml"), "utf8"), "expected.yaml").map((d) => d.value);
    expect(result.objects.map((o) => o.object)).toStrictEqual(expected);
  });
});
