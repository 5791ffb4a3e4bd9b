/** Random `$(VAR)` strings (oracle/make-vars-fixture.mjs) checked against `kubectl kustomize` (v5.5.0). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { parseKYaml } from "../../../src/render/kyaml.js";
import { substituteVars } from "../../../src/render/transformers/index.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

const fixture = JSON.parse(readFileSync(new URL("./oracle/vars-fixture.json", import.meta.url), "utf8")) as {
  values: Record<string, unknown>;
  cases: Array<{ pod: JsonObject; output?: string; error?: string }>;
};

describe("$(VAR) substitution against Kustomize v5.5.0 on random strings", () => {
  it("every case rendered", () => expect(fixture.cases.filter((c) => c.error)).toEqual([]));
  fixture.cases.forEach((c, i) => {
    it(`case ${i}`, () => {
      const pod = structuredClone(c.pod);
      substituteVars(pod, new Map(Object.entries(fixture.values)));
      const expected = parseKYaml(c.output!, "expected.yaml").map((d) => d.value as JsonObject).find((o) => o["kind"] === "Pod");
      expect(pod).toEqual(expected);
    });
  });
});
