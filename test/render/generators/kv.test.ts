import { describe, expect, it } from "@jest/globals";
import { parseEnvFile, parseFileSource, parseLiteral } from "../../../src/render/generators/kv.js";

describe("key/value sources as Kustomize v5.5.0 reads them", () => {
  it("env files: comments, blank lines, BOM, CRLF, leading space, quotes kept, a key without = is empty", () => {
    const text = "\uFEFF# comment\r\n  FOO=bar\r\n\nBAZ=\"quoted\"\nEMPTY=\nNOEQ\nSP = x \nQ2='single'\nD=x=y\n=nokey\n";
    expect(parseEnvFile(text)).toEqual([
      { key: "FOO", value: "bar" },
      { key: "BAZ", value: '"quoted"' },
      { key: "EMPTY", value: "" },
      { key: "NOEQ", value: "" },
      { key: "SP ", value: " x " },
      { key: "Q2", value: "'single'" },
      { key: "D", value: "x=y" },
    ]);
  });
  it("literals: split at the first =, matching quotes removed", () => {
    expect(parseLiteral("D=x=y")).toEqual({ key: "D", value: "x=y" });
    expect(parseLiteral("B=\"two\"")).toEqual({ key: "B", value: "two" });
    expect(parseLiteral("C='three'")).toEqual({ key: "C", value: "three" });
    expect(parseLiteral("x=\"y")).toEqual({ key: "x", value: '"y' });
    expect(parseLiteral("a b=1")).toEqual({ key: "a b", value: "1" });
  });
  it("file sources: the key defaults to the file's name", () => {
    expect(parseFileSource("dir/f.txt")).toEqual({ key: "f.txt", path: "dir/f.txt" });
    expect(parseFileSource("k2=dir/f.txt")).toEqual({ key: "k2", path: "dir/f.txt" });
    expect(() => parseFileSource("=f.txt")).toThrow(/missing key name/);
    expect(() => parseFileSource("k=")).toThrow(/missing file path/);
  });
});
