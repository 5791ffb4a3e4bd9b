/** Expected results are what `kubectl kustomize` (Kustomize v5.5.0) printed for an overlay merging into a base. */
import { describe, expect, it } from "@jest/globals";
import { contentHash, generateConfigMap, generateSecret, mergeGenerated } from "../../../src/render/generators/index.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

const none = (): undefined => undefined;
// base: namePrefix b-, namespace ns1, generators cm (labels x,z; no hash), cm2, s (type foo)
const baseCm: JsonObject = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "b-cm", namespace: "ns1", labels: { x: "base", z: "base" } },
  data: { A: "1", B: "2" },
};

describe("mergeGenerated", () => {
  it("merge: existing name, namespace, labels and data under the generated ones", () => {
    const gen = generateConfigMap({ name: "cm", namespace: "ns1", behavior: "merge", literals: ["B=3", "C=4"], options: { labels: { z: "ov" } } }, undefined, none);
    const before = structuredClone(baseCm);
    const { object, needsHash } = mergeGenerated(baseCm, gen, "merge", false);
    expect(object).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "b-cm", namespace: "ns1", labels: { x: "base", z: "ov" } },
      data: { A: "1", B: "3", C: "4" },
    });
    expect(needsHash).toBe(false);
    expect(baseCm).toEqual(before);
  });

  it("merge into a Secret takes the generated type, and hashes the merged data", () => {
    const base = generateSecret({ name: "s", literals: ["A=1"], type: "foo" }, undefined, none).object;
    (base["metadata"] as JsonObject)["name"] = "b-s";
    const gen = generateSecret({ name: "s", behavior: "merge", literals: ["B=2"] }, undefined, none);
    const { object, needsHash } = mergeGenerated(base, gen, "merge", true);
    expect(object).toEqual({ apiVersion: "v1", kind: "Secret", metadata: { name: "b-s" }, type: "Opaque", data: { A: "MQ==", B: "Mg==" } });
    expect(needsHash).toBe(true);
    expect(contentHash(object)).toBe("t9gtd5587h"); // b-s-t9gtd5587h
  });

  it("replace: only the generated data, metadata merged", () => {
    const existing: JsonObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c1", annotations: { a: "b" } }, data: { A: "1" } };
    const gen = generateConfigMap({ name: "c1", behavior: "replace", literals: ["Z=9"] }, undefined, none);
    expect(mergeGenerated(existing, gen, "replace", true)).toEqual({
      object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c1", annotations: { a: "b" } }, data: { Z: "9" } },
      needsHash: true,
    });
  });

  it("hashes only when both the existing and the generated object want it", () => {
    const on = generateConfigMap({ name: "c", literals: ["B=1"] }, undefined, none);
    const off = generateConfigMap({ name: "c", literals: ["B=1"], options: { disableNameSuffixHash: true } }, undefined, none);
    const existing: JsonObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } };
    expect(mergeGenerated(existing, off, "merge", true).needsHash).toBe(false);
    expect(mergeGenerated(existing, on, "replace", false).needsHash).toBe(false);
    expect(mergeGenerated(existing, on, "merge", true).needsHash).toBe(true);
  });

  it("create on an existing id is an error", () => {
    const gen = generateConfigMap({ name: "c1", literals: ["B=1"] }, undefined, none);
    expect(() => mergeGenerated(baseCm, gen, "create", true)).toThrow(expect.objectContaining({ code: "render_generator_exists" }));
  });
});
