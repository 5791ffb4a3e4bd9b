/** Random replacements (oracle/make-replacements-fixture.mjs) checked against `kubectl kustomize` (v5.5.0). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { parseKYaml } from "../../../src/render/kyaml.js";
import { RenderError } from "../../../src/render/render-error.js";
import { applyReplacements, type Replacement } from "../../../src/render/transformers/index.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

interface OracleCase {
  replacements: Replacement[];
  output?: string;
  error?: string;
}
const fixture = JSON.parse(readFileSync(new URL("./oracle/replacements-fixture.json", import.meta.url), "utf8")) as {
  resources: JsonObject[];
  cases: OracleCase[];
};
const key = (o: unknown): string => `${String((o as JsonObject)["kind"])}/${String(((o as JsonObject)["metadata"] as JsonObject)["name"])}`;
const byKey = (os: unknown[]): Record<string, unknown> => Object.fromEntries(os.map((o) => [key(o), o]));

describe("replacements against Kustomize v5.5.0 on random replacements", () => {
  it("holds cases that succeed and cases that fail", () => {
    expect(fixture.cases.filter((c) => c.output).length).toBeGreaterThan(30);
    expect(fixture.cases.filter((c) => c.error).length).toBeGreaterThan(10);
  });
  fixture.cases.forEach((c, i) => {
    const describeCase = c.replacements.map((r) => `${r.source?.fieldPath ?? "name"} -> ${r.targets?.[0]?.fieldPaths?.[0]}`).join("; ");
    it(`case ${i}: ${describeCase}${c.error ? " (fails)" : ""}`, () => {
      const resources = fixture.resources.map((object) => ({ object: structuredClone(object) }));
      const run = (): void => applyReplacements(resources, structuredClone(c.replacements));
      if (c.error) {
        expect(run).toThrow(RenderError);
        return;
      }
      run();
      expect(byKey(resources.map((r) => r.object))).toEqual(byKey(parseKYaml(c.output!, "expected.yaml").map((d) => d.value)));
    });
  });
});
