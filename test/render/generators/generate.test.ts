/**
 * Expected objects and hash suffixes are what `kubectl kustomize` (Kustomize v5.5.0) printed for the same entries
 * (the kustomization is quoted above each case).
 */
import { describe, expect, it } from "@jest/globals";
import {
  contentHash,
  generateConfigMap,
  generateSecret,
  goJson,
  type GeneratorArgs,
  type GeneratorOptions,
  type GeneratorReadFile,
} from "../../../src/render/generators/index.js";
import { RenderError } from "../../../src/render/render-error.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

const files: Record<string, string | Uint8Array> = {
  "a.env": "# c\nFOO=bar\nQ=\"x\"\n",
  "f.txt": "line1\nline2\n",
  "bin.dat": Uint8Array.from({ length: 256 }, (_, i) => i),
  "u.txt": Buffer.from("café \u2028 <b>&amp;</b> \u{1F600}\n", "utf8"),
  "long.txt": "x".repeat(60),
};
const readFile: GeneratorReadFile = (path) => files[path];
const hashedName = (object: JsonObject): string => `${(object["metadata"] as JsonObject)["name"] as string}-${contentHash(object)}`;

describe("configMapGenerator", () => {
  it("literals, env files and files, with Kustomize's hash suffix", () => {
    // - name: cm / literals: [A=1, B=two] / envs: [a.env] / files: [f.txt]
    const { object, needsHash, behavior } = generateConfigMap(
      { name: "cm", literals: ["A=1", "B=two"], envs: ["a.env"], files: ["f.txt"] },
      undefined,
      readFile,
    );
    expect(object).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cm" },
      data: { A: "1", B: "two", FOO: "bar", Q: '"x"', "f.txt": "line1\nline2\n" },
    });
    expect([needsHash, behavior]).toEqual([true, "create"]);
    expect(hashedName(object)).toBe("cm-mtf5m69k44");
  });

  it("puts bytes that are not UTF-8 in binaryData (base64 in 70-column lines), UTF-8 bytes in data", () => {
    // - name: bin / files: [bin.dat, u.txt]
    const { object } = generateConfigMap({ name: "bin", files: ["bin.dat", "u.txt"] }, undefined, readFile);
    const bin = (object["binaryData"] as Record<string, string>)["bin.dat"]!;
    expect(bin.split("\n").map((l) => l.length)).toEqual([70, 70, 70, 70, 64, 0]);
    expect(Buffer.from(bin.replace(/\n/g, ""), "base64")).toEqual(Buffer.from(files["bin.dat"] as Uint8Array));
    expect(object["data"]).toEqual({ "u.txt": "café \u2028 <b>&amp;</b> \u{1F600}\n" });
    expect(hashedName(object)).toBe("bin-9867kthhtf");
  });

  it("hashes keys in UTF-8 byte order", () => {
    // - name: keys / literals: ["é=1", "z=2", "Z=3", "😀=4", "ｚ=5"]
    const { object } = generateConfigMap({ name: "keys", literals: ["é=1", "z=2", "Z=3", "\u{1F600}=4", "ｚ=5"] }, undefined, readFile);
    expect(hashedName(object)).toBe("keys-469cb4f5m4");
  });

  it("hashes an empty ConfigMap; the name takes no part in the hash", () => {
    // - name: e
    expect(hashedName(generateConfigMap({ name: "e" }, undefined, readFile).object)).toBe("e-6ct58987ht");
    // namePrefix: p- / - name: cm / literals: [A=1]
    const { object } = generateConfigMap({ name: "cm", literals: ["A=1"] }, undefined, readFile);
    expect(hashedName(object)).toBe("cm-89g4tffbfk");
    (object["metadata"] as JsonObject)["name"] = "p-cm";
    expect(hashedName(object)).toBe("p-cm-89g4tffbfk");
  });

  it("merges generatorOptions under the entry's options", () => {
    const { object, needsHash } = generateConfigMap(
      { name: "c", namespace: "ns", literals: ["X=<&>"], options: { labels: { l: "v", g: "local" }, annotations: { an: "v" }, immutable: true } },
      { labels: { g: "o", h: "o" }, disableNameSuffixHash: true },
      readFile,
    );
    expect(object).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", namespace: "ns", labels: { g: "local", h: "o", l: "v" }, annotations: { an: "v" } },
      data: { X: "<&>" },
      immutable: true,
    });
    expect(needsHash).toBe(false);
  });

  it("rejects bad entries with stable codes", () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(RenderError);
        return (e as RenderError).code;
      }
      return "no error";
    };
    expect(code(() => generateConfigMap({ literals: ["a=1"] }, undefined, readFile))).toBe("render_generator_name");
    expect(code(() => generateConfigMap({ name: "c", literals: ["=x"] }, undefined, readFile))).toBe("render_generator_source");
    expect(code(() => generateConfigMap({ name: "c", literals: ["x"] }, undefined, readFile))).toBe("render_generator_source");
    expect(code(() => generateConfigMap({ name: "c", literals: ["A=1", "A=2"] }, undefined, readFile))).toBe("render_generator_duplicate_key");
    expect(code(() => generateConfigMap({ name: "c", files: ["f.txt", "f.txt"] }, undefined, readFile))).toBe("render_generator_duplicate_key");
    expect(code(() => generateConfigMap({ name: "c", files: ["nofile.txt"] }, undefined, readFile))).toBe("render_missing_file");
    expect(code(() => generateConfigMap({ name: "c", files: ["a=b=c"] }, undefined, readFile))).toBe("render_generator_source");
    expect(code(() => generateConfigMap({ name: "c", behavior: "upsert" }, undefined, readFile))).toBe("render_generator_behavior");
    const bad = (args: unknown, global?: unknown): string => code(() => generateConfigMap(args as GeneratorArgs, global as GeneratorOptions, readFile));
    expect(bad({ name: "c", literals: "A=1" })).toBe("render_generator_entry");
    expect(bad({ name: "c", files: [{ path: "f.txt" }] })).toBe("render_generator_entry");
    expect(bad({ name: ["c"] })).toBe("render_generator_entry");
    expect(bad({ name: "c", options: { labels: ["a"] } })).toBe("render_generator_entry");
    expect(bad({ name: "c", options: { disableNameSuffixHash: "yes" } })).toBe("render_generator_entry");
    expect(bad({ name: "c" }, { annotations: "x" })).toBe("render_generator_entry");
    expect(bad("c")).toBe("render_generator_entry");
  });
});

describe("secretGenerator", () => {
  it("base64 values (70-column lines once long), the type, and the hash", () => {
    // - name: s / type: kubernetes.io/tls / literals: [tls.crt=abc] / files: [long.txt]
    const { object } = generateSecret({ name: "s", type: "kubernetes.io/tls", literals: ["tls.crt=abc"], files: ["long.txt"] }, undefined, readFile);
    expect(object).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s" },
      type: "kubernetes.io/tls",
      data: {
        "long.txt": "eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eH\nh4eHh4eHh4\n",
        "tls.crt": "YWJj",
      },
    });
    expect(hashedName(object)).toBe("s-g2ff575cch");
  });

  it("defaults the type to Opaque; immutable is not hashed", () => {
    // - name: s / literals: [a=1] / options: {immutable: true}
    const { object } = generateSecret({ name: "s", literals: ["a=1"], options: { immutable: true } }, undefined, readFile);
    expect(object["type"]).toBe("Opaque");
    expect(object["immutable"]).toBe(true);
    expect(hashedName(object)).toBe("s-25khgmg44c");
  });
});

describe("goJson", () => {
  it("escapes as Go's encoding/json and sorts keys by UTF-8 bytes", () => {
    expect(goJson({ b: "<&>\u2028", a: [1, { z: 1, y: 2 }], "ｚ": 1, "\u{1F600}": 2 })).toBe(
      '{"a":[1,{"y":2,"z":1}],"b":"\\u003c\\u0026\\u003e\\u2028","ｚ":1,"\u{1F600}":2}',
    );
  });
});
