/**
 * Differential tests: Fleetward's renderer against the output of a real Kustomize (v5.5.0, `kubectl kustomize`) on
 * generated and hand-written kustomization trees (test/fixtures/kustomize-differential/, made by
 * scripts/kustomize-differential/generate.mjs; the binary is not needed here).
 *
 * Judged like the shared conformance cases: both YAML streams parsed, documents compared in order as data; where
 * Kustomize failed, the render must fail too, with error diagnostics that have a `render_…` code and a file:line. Known failures are `differential` in
 * conformance/kustomize-known-failures.json (name → reason): a listed case that passes fails the test as much as an
 * unlisted one that fails. `DIFFERENTIAL_REPORT=1` prints every failure with its first difference.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { MemoryFs, renderKustomization } from "../../src/render/index.js";

interface DifferentialCase {
  name: string;
  files: Record<string, string>;
  run: string;
  order: "legacy" | "none";
  expected?: string;
  error?: boolean;
  kustomizeError?: string;
  features: string[];
}

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");
const fixtures = join(repo, "test/fixtures/kustomize-differential");
const cases: DifferentialCase[] = readdirSync(fixtures)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .flatMap((f) => (JSON.parse(readFileSync(join(fixtures, f), "utf8")) as { cases: DifferentialCase[] }).cases);
const knownFile = join(repo, "conformance/kustomize-known-failures.json");
const known: Record<string, string> = existsSync(knownFile)
  ? ((JSON.parse(readFileSync(knownFile, "utf8")) as { differential?: Record<string, string> }).differential ?? {})
  : {};

/** The first place where two JSON values differ, as a JSON pointer with both values; undefined when equal. */
export function firstDifference(expected: unknown, actual: unknown, at = ""): string | undefined {
  if (Object.is(expected, actual)) return undefined;
  const bothArrays = Array.isArray(expected) && Array.isArray(actual);
  const bothObjects = isObject(expected) && isObject(actual);
  if (bothArrays) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      const d = firstDifference(expected[i], actual[i], `${at}/${i}`);
      if (d) return d;
    }
    return undefined;
  }
  if (bothObjects) {
    for (const key of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
      const d = firstDifference(expected[key], actual[key], `${at}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`);
      if (d) return d;
    }
    return undefined;
  }
  return `${at || "/"}: expected ${brief(expected)}, got ${brief(actual)}`;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function brief(x: unknown): string {
  const s = x === undefined ? "nothing" : JSON.stringify(x);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** Kustomize's output as data: one value per document (an empty stream is no documents). */
export function parseStream(text: string): unknown[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`expected output does not parse: ${doc.errors[0]?.message}`);
    return doc.toJS();
  });
}

const idOf = (o: unknown): string => {
  const m = isObject(o) && isObject(o.metadata) ? o.metadata : {};
  return `${isObject(o) ? String(o.kind) : "?"}/${String(m.namespace ?? "")}/${String(m.name)}`;
};

/** Why the render of a case disagrees with Kustomize, or undefined when it agrees. */
export function judge(c: DifferentialCase): string | undefined {
  let result;
  try {
    result = renderKustomization(new MemoryFs(c.files), c.run === "." ? "" : c.run, { reorder: c.order });
  } catch (e) {
    return `render threw: ${e instanceof Error ? e.message : String(e)}`;
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (c.error) {
    if (result.ok) return `Kustomize fails (${c.kustomizeError ?? "?"}), the render succeeded`;
    const vague = errors.find((d) => !/^render_[a-z0-9_]+$/.test(d.code) || d.file === "" || !(d.line >= 1));
    return vague || errors.length === 0 ? `the render fails without a code and file:line: ${JSON.stringify(vague ?? null)}` : undefined;
  }
  if (!result.ok) return `render failed: ${errors.map((d) => `${d.file}:${d.line}: ${d.code}: ${d.message}`).join("; ")}`;
  const expected = parseStream(c.expected ?? "");
  const actual = result.objects.map((o) => o.object);
  if (expected.length !== actual.length || expected.some((e, i) => idOf(e) !== idOf(actual[i]))) {
    return `objects: expected [${expected.map(idOf).join(", ")}], got [${actual.map(idOf).join(", ")}]`;
  }
  for (let i = 0; i < expected.length; i++) {
    const d = firstDifference(expected[i], JSON.parse(JSON.stringify(actual[i])));
    if (d) return `${idOf(expected[i])} ${d}`;
  }
  return undefined;
}

describe("differential fixtures against Kustomize v5.5.0", () => {
  const verdicts = new Map(cases.map((c) => [c.name, judge(c)]));

  afterAll(() => {
    const failed = [...verdicts.values()].filter(Boolean).length;
    if (process.env.DIFFERENTIAL_REPORT) {
      for (const [name, why] of verdicts) if (why) console.log(`${name}: ${why}`);
    }
    console.log(`differential: ${cases.length - failed} passed, ${failed} failed (${Object.keys(known).length} known)`);
  });

  it("has the fixtures (a few hundred cases, some where Kustomize fails) and unique names", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.error).length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it("lists only existing cases as known failures", () => {
    const names = new Set(cases.map((c) => c.name));
    expect(Object.keys(known).filter((n) => !names.has(n))).toEqual([]);
  });

  it.each(cases.map((c) => [c.name]))("%s", (name) => {
    const why = verdicts.get(name);
    if (known[name] !== undefined) {
      if (!why) throw new Error(`${name} passes now: remove it from "differential" in conformance/kustomize-known-failures.json`);
      return;
    }
    if (why) throw new Error(why);
  });
});

describe("the differential judge", () => {
  it("finds the first difference by JSON pointer, ignoring key order", () => {
    expect(firstDifference({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toBeUndefined();
    expect(firstDifference({ a: { "x/y": [1, 2] } }, { a: { "x/y": [1, 3] } })).toBe("/a/x~1y/1: expected 2, got 3");
    expect(firstDifference({ a: 1 }, { a: 1, b: null })).toBe("/b: expected nothing, got null");
    expect(firstDifference([1], [1, 2])).toBe("/1: expected nothing, got 2");
    expect(firstDifference({ n: 1 }, { n: "1" })).toBe('/n: expected 1, got "1"');
  });

  it("reads a Kustomize stream as documents in order", () => {
    expect(parseStream("a: 1\n---\nb: \"yes\"\n")).toEqual([{ a: 1 }, { b: "yes" }]);
    expect(parseStream("")).toEqual([]);
    expect(() => parseStream("a: [1\n")).toThrow(/does not parse/);
  });
});
