import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExactNumber, exactNumber, parseCaseFile, parseJsonExact, parseYamlExact, readConformanceCases } from "../../../src/cli/conformance/read-cases.js";

describe("exact numbers", () => {
  it("keeps JS numbers when exact and wraps the rest", () => {
    expect(exactNumber("1")).toBe(1);
    expect(exactNumber("-2.5")).toBe(-2.5);
    expect(exactNumber("1e3")).toBe(1000);
    expect(exactNumber("0.1")).toBe(0.1);
    expect(exactNumber("9007199254740991")).toBe(9007199254740991);
    expect(exactNumber("9007199254740993")).toEqual(new ExactNumber("9007199254740993"));
    expect(exactNumber("123456789012345678901234567890")).toEqual(new ExactNumber("123456789012345678901234567890"));
    expect(exactNumber("0.30000000000000000001")).toEqual(new ExactNumber("0.30000000000000000001"));
    expect(exactNumber("1e400")).toEqual(new ExactNumber("1e400"));
  });

  it("parses JSON with exact numbers, and rejects malformed JSON", () => {
    const v = parseJsonExact('{"a": [1, 18446744073709551617, 1.5, 0.12345678901234567890123], "s": "x\\u00e9", "t": true, "n": null}');
    expect(v).toEqual({
      a: [1, new ExactNumber("18446744073709551617"), 1.5, new ExactNumber("0.12345678901234567890123")],
      s: "xé",
      t: true,
      n: null,
    });
    expect(JSON.stringify(v)).toBe('{"a":[1,"18446744073709551617",1.5,"0.12345678901234567890123"],"s":"xé","t":true,"n":null}');
    for (const bad of ["{", '{"a" 1}', "[1,]", "01", '"x', "tru", "[1] 2"]) expect(() => parseJsonExact(bad)).toThrow();
  });

  it("parses YAML with exact decimal numbers", () => {
    expect(parseYamlExact("a: 18446744073709551617\nb: 2\nc: .5\nd: 0x10\ne: 1.0000000000000000000001\n")).toEqual({
      a: new ExactNumber("18446744073709551617"),
      b: 2,
      c: 0.5,
      d: 16,
      e: new ExactNumber("1.0000000000000000000001"),
    });
  });
});

describe("case files", () => {
  it("types every documented field", () => {
    const fields = {
      note: "x/y",
      modules: ["package a"],
      query: "data.a.p = x",
      data: { n: 1 },
      input: { i: [1] },
      input_term: "{1}",
      want_result: [{ x: 1 }],
      sort_bindings: true,
      want_error: "boom",
      want_error_code: "eval_type_error",
      strict_error: true,
      ignore_generated_vars: false,
      env: { HOME: "/root" },
    };
    const r = parseCaseFile(JSON.stringify({ cases: [fields] }), "v1/x.json");
    expect(r.problems).toEqual([]);
    expect(r.cases[0]).toEqual({ file: "v1/x.json", ...fields });
  });

  it("reports malformed files and cases instead of throwing", () => {
    expect(parseCaseFile("{", "a.json").problems[0]?.message).toContain("cannot parse");
    expect(parseCaseFile('{"x": 1}', "a.json").problems[0]?.message).toContain('"cases" list');
    const r = parseCaseFile('{"cases": [{"query": "x"}, {"note": "n", "query": 1}, {"note": "m", "query": "q", "modules": [1]}, {"note": "ok", "query": "q"}]}', "a.json");
    expect(r.cases.map((c) => c.note)).toEqual(["ok"]);
    expect(r.problems.map((p) => p.message)).toEqual(["cases[0]: missing note", "cases[1] (n): missing query", "cases[2] (m): modules must be a list of strings"]);
    expect(parseCaseFile("cases: [{note: a, query: q, want_result: 3}]", "a.yaml").problems[0]?.message).toContain("want_result must be a list of objects");
  });

  it("reads directories of JSON and YAML files recursively, in sorted order", async () => {
    const root = mkdtempSync(join(tmpdir(), "cases-"));
    mkdirSync(join(root, "v1", "b"), { recursive: true });
    mkdirSync(join(root, "v1", "a"), { recursive: true });
    writeFileSync(join(root, "v1", "b", "t.json"), '{"cases": [{"note": "b/1", "query": "x = 1", "want_result": [{"x": 123456789012345678901}]}]}');
    writeFileSync(join(root, "v1", "a", "t.yaml"), "cases:\n  - note: a/1\n    query: x = 1\n    modules:\n      - |\n        package a\n");
    writeFileSync(join(root, "v1", "a", "README.md"), "ignored");
    const r = await readConformanceCases([join(root, "v1"), join(root, "missing")]);
    expect(r.cases.map((c) => [c.file, c.note])).toEqual([
      [join("v1", "a", "t.yaml"), "a/1"],
      [join("v1", "b", "t.json"), "b/1"],
    ]);
    expect(r.cases[0]?.modules).toEqual(["package a\n"]);
    expect(r.cases[1]?.want_result).toEqual([{ x: new ExactNumber("123456789012345678901") }]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.message).toContain("cannot read directory");
  });
});
