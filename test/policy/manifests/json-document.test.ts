/**
 * `.json` manifests are parsed once, by `JSON.parse` (json-document.ts), where js-yaml's JSON mode used to read them
 * after `JSON.parse` had checked them: on every JSON file of the repository, the generated check trees and hand-written
 * edge cases (numbers, escapes, keys, whitespace and line breaks before the value, nesting), the loader's documents,
 * values and start lines equal js-yaml's JSON reading; past the fast path's depth js-yaml still reads the text, and
 * its depth limit still reports.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { constructFromEvents, CORE_SCHEMA, parseEvents } from "js-yaml";
import { checkScaleTree } from "../../../bench/check-scale-tree.js";
import { jsonDocument, parseJsonText } from "../../../src/policy/manifests/json-document.js";
import { linesAtOffsets } from "../../../src/policy/manifests/line-index.js";
import { loadManifestFile } from "../../../src/policy/manifests/load-manifest-file.js";
import { documentStartOffsets } from "../../../src/policy/manifests/yaml-position-index.js";

/** js-yaml's JSON reading, as the loader did it before: the values and the start lines. */
function reference(text: string): { values: unknown[]; startLines: number[] } {
  const events = parseEvents(text, {});
  return { values: constructFromEvents(events, { source: text, json: true, schema: CORE_SCHEMA }), startLines: linesAtOffsets(text, documentStartOffsets(events, text)) };
}

/** What the loader gives: every document's value (skipped ones included) and start line, by index. */
function loaded(text: string): { values: unknown[]; startLines: number[] } {
  const r = loadManifestFile({ path: "m.json", content: text }, {}, { values: true });
  expect(r.diagnostics).toEqual([]);
  const lines = new Map<number, number>([...r.documents.map((d) => [d.index, d.startLine] as const), ...r.skipped.map((s) => [s.index, s.startLine] as const)]);
  return { values: r.values ?? [], startLines: (r.values ?? []).map((_, i) => lines.get(i) ?? -1) };
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (["node_modules", "dist", ".git", "coverage"].includes(e.name)) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return jsonFiles(path);
    return e.name.endsWith(".json") ? [path] : [];
  });
}

const nest = (depth: number): string => `${'{"a":'.repeat(depth - 1)}{"kind":"X"}${"}".repeat(depth - 1)}`;

const EDGE_CASES = [
  '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}}',
  '\n\n  {"apiVersion":"v1","kind":"ConfigMap","data":{"k":"v"}}\n',
  '\r\n\r\n{"apiVersion":"v1","kind":"A"}',
  '\r\r\t {"apiVersion":"v1","kind":"A"}',
  '\t\n{"apiVersion":"v1",\n\t"kind":"A"}',
  '{"apiVersion":"v1","kind":"A","n":[0,-0,1.0,1e3,1E+2,-2.5e-3,0.1,12345678901234567890,1e400,-1e400,9007199254740993]}',
  '{"apiVersion":"v1","kind":"A","s":["\\"q\\"","\\\\","\\/","\\b\\f\\n\\r\\t","\\u00e9\\u20ac","\\ud83d\\ude00","é€😀","\\u0000",""]}',
  '{"apiVersion":"v1","kind":"A","k":{"":1,"a b":2,"1":3,"true":4,"null":5,"yes":6,"~":7,"__proto__":{"x":1},"constructor":8}}',
  '{"apiVersion":"v1","kind":"A","dup":1,"dup":2,"o":{"z":1,"a":2,"z":3}}',
  '{"apiVersion":"v1","kind":"A","v":[true,false,null,[],{},[[{}]],"yes","0x10","1e3","~"]}',
  '{"apiVersion":"v1","kind":"A","edge":[1.7976931348623157e308,5e-324,1e-400,-1e-400,0e0,-0.0,100000000000000000000000]}',
  '{"apiVersion":"v1","kind":"A","lone":["\\ud800x","\\udfff","\\uFEFF","\\u2028"]}',
  '[{"apiVersion":"v1","kind":"A"}]',
  '"just a string"',
  "42",
  "null",
  '{"apiVersion":"","kind":"A"}',
  '{"kind":"A"}',
  nest(10),
  nest(40),
  nest(41),
  nest(50),
];

describe("JSON manifests", () => {
  test("values and start lines identical to js-yaml's JSON reading: repository files, generated trees, edge cases", () => {
    const generated = Object.entries(checkScaleTree({ files: 400 })).filter(([p]) => p.endsWith(".json")).map(([, t]) => t);
    const repository = jsonFiles(process.cwd())
      .map((p) => readFileSync(p, "utf8"))
      .filter((t) => t.length < 200_000 && "value" in parseJsonText(t));
    expect(generated.length).toBeGreaterThan(90);
    expect(repository.length).toBeGreaterThan(20);
    for (const text of [...EDGE_CASES, ...generated, ...repository]) expect({ text: text.slice(0, 80), ...loaded(text) }).toStrictEqual({ text: text.slice(0, 80), ...reference(text) });
  });

  test("the fast path takes what JSON.parse accepts up to its depth, then leaves it to js-yaml", () => {
    expect(jsonDocument(nest(40), JSON.parse(nest(40)), 40)).toBeDefined();
    expect(jsonDocument(nest(41), JSON.parse(nest(41)), 40)).toBeUndefined();
    expect(jsonDocument("[1e400]", [Infinity], 40)).toBeUndefined();
    expect(jsonDocument("\r\n \r\n[1]", [1], 40)).toEqual({ values: [[1]], startLines: [3] });
    expect(jsonDocument("\r\r[1]", [1], 40)?.startLines).toEqual([3]);
  });

  test("strictness, position and depth limit as before", () => {
    const broken = loadManifestFile({ path: "b.json", content: '{\n  "a": }\n' });
    expect(broken.diagnostics.map((d) => d.code)).toEqual(["manifest_json_syntax"]);
    const deep = loadManifestFile({ path: "d.json", content: nest(70) });
    expect(deep.diagnostics.map((d) => d.code)).toEqual(["manifest_depth_limit"]);
    expect(loadManifestFile({ path: "d.json", content: nest(50) }, {}, { values: true }).values).toEqual([JSON.parse(nest(50))]);
  });

  test("field positions of a JSON document (built lazily by js-yaml) still answer", () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {\n    "name": "web"\n  }\n}\n';
    const [doc] = loadManifestFile({ path: "s.json", content: text }).documents;
    expect(doc?.locate("metadata.name")?.value.line).toBe(5);
  });
});
