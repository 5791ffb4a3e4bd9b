/**
 * Random generator entries (oracle/make-fixture.mjs) checked against what `kubectl kustomize` (Kustomize v5.5.0)
 * printed for them: every generated object equal as data, hash suffixes included; where Kustomize failed, we fail.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { parseKYaml } from "../../../src/render/kyaml.js";
import { contentHash, generateConfigMap, generateSecret, type GeneratorArgs, type GeneratorOptions } from "../../../src/render/generators/index.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

interface OracleCase {
  kustomization: { configMapGenerator: GeneratorArgs[]; secretGenerator: GeneratorArgs[]; generatorOptions?: GeneratorOptions };
  files: Record<string, string>;
  output?: string;
  error?: string;
}
const fixture = JSON.parse(readFileSync(new URL("./oracle/generators-fixture.json", import.meta.url), "utf8")) as { cases: OracleCase[] };

function render(c: OracleCase): JsonObject[] {
  const read = (path: string): Uint8Array | undefined => (c.files[path] === undefined ? undefined : Buffer.from(c.files[path]!, "base64"));
  const k = c.kustomization;
  const generated = [
    ...k.configMapGenerator.map((e) => generateConfigMap(e, k.generatorOptions, read)),
    ...k.secretGenerator.map((e) => generateSecret(e, k.generatorOptions, read)),
  ];
  return generated.map(({ object, needsHash }) => {
    const metadata = object["metadata"] as JsonObject;
    if (needsHash) metadata["name"] = `${metadata["name"] as string}-${contentHash(object)}`;
    return object;
  });
}

describe("generators against Kustomize v5.5.0 on random entries", () => {
  it("holds cases that succeed and cases that fail", () => {
    expect(fixture.cases.filter((c) => c.output).length).toBeGreaterThan(40);
    expect(fixture.cases.some((c) => c.error)).toBe(true);
  });
  fixture.cases.forEach((c, i) => {
    it(`case ${i}${c.error ? " (Kustomize fails)" : ""}`, () => {
      if (c.error) {
        expect(() => render(c)).toThrow(expect.objectContaining({ code: "render_generator_key" }));
        return;
      }
      const byName = (os: unknown[]): Record<string, unknown> =>
        Object.fromEntries(os.map((o) => [((o as JsonObject)["metadata"] as JsonObject)["name"] as string, o]));
      expect(byName(render(c))).toEqual(byName(parseKYaml(c.output!, "expected.yaml").map((d) => d.value)));
    });
  });
});
