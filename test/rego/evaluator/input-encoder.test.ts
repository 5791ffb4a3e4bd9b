import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateManifests } from "../../../bench/generate-manifests.js";
import { compileCase } from "../../../src/cli/conformance/run-conformance.js";
import { caseValueJson } from "../../../src/cli/conformance/run-conformance.js";
import { readConformanceCases } from "../../../src/cli/conformance/read-cases.js";
import { buildGatekeeperInput, buildReview } from "../../../src/policy/gatekeeper/build-review.js";
import { compile } from "../../../src/rego/compile.js";
import { InputEncoder, WHOLE_VALUE } from "../../../src/rego/evaluator/input-encoder.js";
import { inputAccess, type InputAccess } from "../../../src/rego/planner/input-access.js";
import { JSON_MAX_DEPTH } from "../../../src/rego/runtime/runtime-abi.js";
import { InputEncoder as OracleEncoder } from "./input-encoder-oracle.js";

/**
 * The input encoder writes exactly the bytes of the encoder it replaced (kept as the oracle in
 * input-encoder-oracle.ts), with its generated writers and with its fallback where code generation is disallowed:
 * on the OPA conformance inputs pruned by their programs' access trees and whole, on generated manifests under the
 * bundled library's access trees, and on random values with the odd members JSON.stringify has rules for (getters,
 * inherited and non-enumerable members, toJSON, boxed primitives, null prototypes, holes, surrogate keys, deep
 * nesting). A thrown error must be the same too.
 */

interface Encoder {
  buffer: Uint8Array;
  encode(value: unknown, access: InputAccess, start: number): number;
}

function grown(buffer: Uint8Array, min: number): Uint8Array {
  const out = new Uint8Array(Math.max(min, buffer.length * 2));
  out.set(buffer);
  return out;
}

// Tiny buffers at first, so that growth happens in the middle of values.
const encoder = new InputEncoder(new Uint8Array(8), grown);
const oracle = new OracleEncoder(new Uint8Array(8), grown);

/** The bytes written from a non-zero offset (as into module memory after the data), or what was thrown. */
function bytesOf(e: Encoder, value: unknown, access: InputAccess): string {
  try {
    const end = e.encode(value, access, 3);
    return Buffer.from(e.buffer.subarray(3, end)).toString("hex");
  } catch (error) {
    return `threw ${String(error)}`;
  }
}

/** Runs `fn` with code generation from strings refused (as under --disallow-code-generation-from-strings). */
function withoutCodeGeneration<T>(fn: () => T): T {
  const saved = globalThis.Function;
  globalThis.Function = function refuse(): never {
    throw new EvalError("Code generation from strings disallowed for this context");
  } as unknown as FunctionConstructor;
  try {
    return fn();
  } finally {
    globalThis.Function = saved;
  }
}

/** A copy of an access tree: writers are made once per tree, so a copy gets new ones. */
function copyOf(a: InputAccess): InputAccess {
  return { whole: a.whole, keys: new Map([...a.keys].map(([k, c]) => [k, copyOf(c)])), ...(a.each !== undefined ? { each: copyOf(a.each) } : {}) };
}

/** Values whose new bytes differ from the oracle's, generated and interpreted, as [label, new, oracle]. */
function differences(values: readonly unknown[], access: InputAccess, label: string): string[][] {
  const interpretedAccess = copyOf(access);
  // The fallback's writers are made now, with code generation refused; they are used afterwards.
  withoutCodeGeneration(() => bytesOf(encoder, values[0], interpretedAccess));
  const out: string[][] = [];
  values.forEach((v, i) => {
    const expected = bytesOf(oracle, v, access);
    const generated = bytesOf(encoder, v, access);
    const interpreted = bytesOf(encoder, v, interpretedAccess);
    if (generated !== expected) out.push([`${label} #${i} generated`, generated, expected]);
    if (interpreted !== expected) out.push([`${label} #${i} interpreted`, interpreted, expected]);
  });
  return out;
}

test("OPA conformance inputs: the same bytes pruned by each case's access tree and whole", async () => {
  const { cases } = await readConformanceCases(["test/fixtures/opa-conformance/v1", "test/fixtures/opa-conformance/v1-supplement"]);
  let compared = 0;
  const differ: string[][] = [];
  for (const c of cases) {
    if (c.input === undefined) continue;
    const compiled = compileCase(c);
    if (compiled?.ir === undefined) continue;
    const input: unknown = JSON.parse(caseValueJson(c.input));
    differ.push(...differences([input], inputAccess(compiled.ir), c.note), ...differences([input], WHOLE_VALUE, `${c.note} whole`));
    compared++;
  }
  expect(compared).toBeGreaterThan(100);
  expect(differ).toEqual([]);
}, 600_000);

test("generated manifests under the bundled library's access trees: the same bytes", () => {
  const library = "policies/library";
  const manifests = generateManifests(600, 23);
  const inputs = manifests.flatMap((m) => {
    const review = buildReview(m);
    return review.ok ? [buildGatekeeperInput(review.review, { repos: ["registry.example.com/"], labels: [{ key: "app" }] })] : [];
  });
  expect(inputs.length).toBeGreaterThan(500);
  const differ: string[][] = [];
  let trees = 0;
  for (const dir of readdirSync(library)) {
    for (const file of readdirSync(join(library, dir)).filter((f) => f.endsWith(".rego") && !f.endsWith("_test.rego"))) {
      const text = readFileSync(join(library, dir, file), "utf8");
      const pkg = /^package\s+(\S+)/m.exec(text)?.[1];
      const compiled = compile({ modules: [{ file, text }], entrypoints: [`${pkg?.replaceAll(".", "/")}/violation`] });
      if (compiled.ir === undefined) throw new Error(`${file}: ${compiled.diagnostics.map((d) => d.message).join("; ")}`);
      const access = inputAccess(compiled.ir);
      expect(access.whole).toBe(false);
      differ.push(...differences(inputs, access, file));
      trees++;
    }
  }
  expect(trees).toBeGreaterThanOrEqual(8);
  expect(differ).toEqual([]);
}, 300_000);

/** Random values with every kind of member JSON.stringify treats specially, from a seed. */
function randomValues(count: number, seed: number): unknown[] {
  let s = seed;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
  const keys = ["a", "b", "kind", "spec", "items", "name", "é", "\ud800", "\udc00", "", "0", "toJSON", "constructor", "k".repeat(40)];
  const scalars: unknown[] = [null, true, false, 0, -0, 7, -3, 2 ** 31, 2 ** 53 - 1, 2 ** 60, 0.1, 1e21, NaN, Infinity, "", "x", "é😀", "\ud83d", "y".repeat(60), "ü".repeat(50), undefined, () => 1, Symbol("s")];
  const odd = (depth: number): unknown => {
    switch (rand(10)) {
      case 0:
        return { toJSON: (k: string) => `toJSON of ${k}` };
      case 1:
        return new Number(rand(5));
      case 2:
        return Object.assign(new String("boxed"), { extra: 1 });
      case 3:
        return new Boolean(rand(2) === 1);
      case 4:
        return Object.assign(Object.create(null) as object, { a: gen(depth + 1) });
      case 5:
        return Object.defineProperty({ a: 1 }, "b", { value: 2, enumerable: false });
      case 6:
        return Object.assign(Object.create({ a: "inherited", get b() { return "inherited getter"; } }) as object, { name: "own" });
      case 7:
        return { get a() { return "getter"; }, b: 2 };
      case 8:
        // eslint-disable-next-line no-sparse-arrays
        return [1, , 3];
      default:
        return new Date(0);
    }
  };
  const gen = (depth: number): unknown => {
    const r = rand(depth > 6 ? 2 : 6);
    if (r === 0) return scalars[rand(scalars.length)];
    if (r === 1) return depth > 8 ? null : odd(depth);
    if (r === 2) return Array.from({ length: rand(4) }, () => gen(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = rand(6); i > 0; i--) o[keys[rand(keys.length)] as string] = gen(depth + 1);
    return o;
  };
  return Array.from({ length: count }, () => gen(0));
}

/** Random access trees over the same keys, some nodes whole, some iterated. */
function randomAccess(seed: number): InputAccess {
  let s = seed;
  const rand = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s % n;
  };
  const keys = ["a", "b", "kind", "spec", "items", "name", "é", "\ud800", "\udc00", "", "0", "toJSON", "constructor", "k".repeat(40)];
  const node = (depth: number): InputAccess => {
    if (depth > 4 || rand(4) === 0) return { whole: true, keys: new Map() };
    const n: InputAccess = { whole: false, keys: new Map() };
    for (let i = rand(5); i > 0; i--) n.keys.set(keys[rand(keys.length)] as string, node(depth + 1));
    if (rand(3) === 0) n.each = node(depth + 1);
    return n;
  };
  return node(0);
}

test("random values with getters, toJSON, boxed primitives, hidden and inherited members: the same bytes or error", () => {
  const differ: string[][] = [];
  for (let t = 0; t < 40; t++) differ.push(...differences(randomValues(60, 1000 + t), randomAccess(7 + t), `tree ${t}`));
  // Also a BigInt (JSON.stringify's TypeError) and nesting past the parser's limit (an invalid value).
  let deep: unknown = "leaf";
  for (let i = 0; i < JSON_MAX_DEPTH + 2; i++) deep = i % 2 === 0 ? [deep] : { a: deep };
  const each: InputAccess = { whole: false, keys: new Map(), each: { whole: true, keys: new Map() } };
  differ.push(...differences([{ a: 1n }, [2n], deep, { a: deep }], each, "special"));
  expect(bytesOf(encoder, deep, each)).toBe("00");
  expect(bytesOf(encoder, { a: 1n }, each)).toMatch(/^threw TypeError/);
  expect(differ).toEqual([]);
});
