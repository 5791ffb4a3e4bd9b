/**
 * Overlay generators with `behavior: merge | replace` over a base's generated objects (oracle/make-merge-fixture.mjs),
 * checked against `kubectl kustomize` (v5.5.0): the base's objects are generated and prefixed as the base does, the
 * overlay's merged in with mergeGenerated, and the hash suffix added at the end as Kustomize adds it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { parseKYaml } from "../../../src/render/kyaml.js";
import { contentHash, generateConfigMap, generateSecret, mergeGenerated, type GeneratorArgs, type GenerationBehavior } from "../../../src/render/generators/index.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

interface Layer {
  namePrefix?: string;
  configMapGenerator: GeneratorArgs[];
  secretGenerator: GeneratorArgs[];
}
const fixture = JSON.parse(readFileSync(new URL("./oracle/merge-fixture.json", import.meta.url), "utf8")) as {
  cases: Array<{ base: Layer; overlay: Layer; output?: string; error?: string }>;
};
const none = (): undefined => undefined;
const nameOf = (o: unknown): string => ((o as JsonObject)["metadata"] as JsonObject)["name"] as string;

function render(base: Layer, overlay: Layer): JsonObject[] {
  const built = new Map<string, { object: JsonObject; needsHash: boolean }>();
  const add = (kind: string, g: { object: JsonObject; needsHash: boolean }): void => {
    (g.object["metadata"] as JsonObject)["name"] = `${base.namePrefix ?? ""}${nameOf(g.object)}`;
    built.set(`${kind}/${nameOf(g.object)}`, g);
  };
  base.configMapGenerator.forEach((e) => add("ConfigMap", generateConfigMap(e, undefined, none)));
  base.secretGenerator.forEach((e) => add("Secret", generateSecret(e, undefined, none)));
  const merge = (kind: string, e: GeneratorArgs, generate: typeof generateConfigMap): void => {
    const id = `${kind}/${base.namePrefix ?? ""}${e.name!}`;
    const existing = built.get(id)!;
    built.set(id, mergeGenerated(existing.object, generate(e, undefined, none), e.behavior as GenerationBehavior, existing.needsHash));
  };
  overlay.configMapGenerator.forEach((e) => merge("ConfigMap", e, generateConfigMap));
  overlay.secretGenerator.forEach((e) => merge("Secret", e, generateSecret));
  return [...built.values()].map(({ object, needsHash }) => {
    if (needsHash) (object["metadata"] as JsonObject)["name"] = `${nameOf(object)}-${contentHash(object)}`;
    return object;
  });
}

describe("behavior merge/replace against Kustomize v5.5.0 on random overlays", () => {
  it("every case rendered", () => expect(fixture.cases.filter((c) => c.error)).toEqual([]));
  fixture.cases.forEach((c, i) => {
    it(`case ${i}`, () => {
      const byName = (os: unknown[]): Record<string, unknown> => Object.fromEntries(os.map((o) => [nameOf(o), o]));
      expect(byName(render(c.base, c.overlay))).toEqual(byName(parseKYaml(c.output!, "expected.yaml").map((d) => d.value)));
    });
  });
});
