/** Random images and `images:` entries (oracle/make-images-fixture.mjs) checked against `kubectl kustomize` (v5.5.0). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { parseKYaml } from "../../../src/render/kyaml.js";
import { applyImage, type ImageEntry } from "../../../src/render/transformers/index.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

interface OracleCase {
  deployment: JsonObject;
  entries: ImageEntry[];
  output?: string;
  error?: string;
}
const fixture = JSON.parse(readFileSync(new URL("./oracle/images-fixture.json", import.meta.url), "utf8")) as { cases: OracleCase[] };

describe("images against Kustomize v5.5.0 on random images and entries", () => {
  it("every case rendered", () => expect(fixture.cases.filter((c) => c.error)).toEqual([]));
  fixture.cases.forEach((c, i) => {
    it(`case ${i}: ${c.entries.map((e) => e.name).join(", ")}`, () => {
      const object = structuredClone(c.deployment);
      for (const e of c.entries) applyImage(object, e);
      expect(object).toEqual(parseKYaml(c.output!, "expected.yaml")[0]!.value);
    });
  });
});
