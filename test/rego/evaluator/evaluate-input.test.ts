import binaryen from "binaryen";
import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy, PolicyEvalError } from "../../../src/rego/evaluator/compiled-policy.js";
import { serializeInput } from "../../../src/rego/evaluator/serialize-input.js";
import { inputAccess, type InputAccess } from "../../../src/rego/planner/input-access.js";
import { BINARY_DECODE_EXPORT, BINARY_EVAL_EXPORT, JSON_MAX_DEPTH, RUNTIME_HELPER_PREFIX } from "../../../src/rego/runtime/runtime-abi.js";
import { wasmApi } from "../../../src/rego/runtime/wasm-api.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

const SOURCE = [
  "package t",
  "whole := input",
  "kind := input.review.object.kind",
  "n := count(input.items) + data.base",
  "names contains x.name if some x in input.items",
  "sum := input.a + input.b",
  "one := input.a / input.b",
  "keys := [k | some k, _ in input.review]",
  "deep := input.review.object.spec.template",
  "nums contains x * 2 if some x in input.nums",
].join("\n");
const ENTRYPOINTS = ["t/whole", "t/kind", "t/n", "t/names", "t/sum", "t/one", "t/keys", "t/deep", "t/nums"];

function compiled(text = SOURCE, entrypoints = ENTRYPOINTS): { wasm: Uint8Array; access: InputAccess } {
  const r = compile({ modules: [{ file: "p.rego", text }], entrypoints, strictBuiltinErrors: true });
  if (!r.wasm || !r.ir) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return { wasm: r.wasm, access: inputAccess(r.ir) };
}

/** The same module without the binary input exports (as a module built by OPA). */
function withoutBinaryExports(wasm: Uint8Array): Uint8Array {
  const m = binaryen.readBinary(wasm);
  try {
    m.removeExport(BINARY_EVAL_EXPORT);
    m.removeExport(BINARY_DECODE_EXPORT);
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

/** What a call returns or throws, comparable with toEqual. */
function outcome(fn: () => unknown): unknown {
  try {
    return { value: fn() };
  } catch (e) {
    return e instanceof PolicyEvalError ? { code: e.code, message: e.message } : { thrown: String(e) };
  }
}

function nested(depth: number): unknown {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}

const SAMPLES: unknown[] = [
  undefined,
  null,
  {},
  { items: [{ name: "b" }, { name: "a" }, { name: "é✓" }, { name: "\ud83d" }], a: 1, b: 2 },
  { a: 2 ** 40, b: 0.1, nums: [1, -0, 2.5, 2 ** 60, 1e21, 123456789012345680000] },
  { a: 1, b: 0 },
  { a: "x", b: 1 },
  { review: { z: 1, a: { toJSON: () => "j" }, m: undefined, object: { kind: "Pod", spec: { template: { x: [1, { y: "q\"\n" }] } } } } },
  { review: { object: { kind: { toJSON: (k: string) => `kind from ${k}` } } } },
  { review: nested(JSON_MAX_DEPTH - 3) },
  { review: nested(JSON_MAX_DEPTH + 3) },
  { items: Array.from({ length: 30_000 }, (_, i) => ({ name: `item-${i}`, extra: "pruned away" })) },
  [1, 2, 3],
  "text",
  7,
];

describe("CompiledPolicy.evaluateInput / prepareInput (binary input format)", () => {
  const { wasm, access } = compiled();

  test("linked policies keep the binary input exports (and still drop the fw_ helpers)", () => {
    const exports = wasmApi.Module.exports(new wasmApi.Module(wasm)).map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining([BINARY_EVAL_EXPORT, BINARY_DECODE_EXPORT]));
    expect(exports.filter((name) => name.startsWith(RUNTIME_HELPER_PREFIX))).toEqual([]);
    expect(CompiledPolicy.loadSync(wasm).readsBinaryInput).toBe(true);
  });

  test("evaluateInput: evaluateJson(serializeInput(...))'s results and errors, for every entrypoint, pruned or whole", () => {
    const p = CompiledPolicy.loadSync(wasm, { strictBuiltinErrors: true });
    p.setData({ base: 100 });
    const whole: InputAccess = { whole: true, keys: new Map() };
    for (const input of SAMPLES) {
      for (const acc of [access, whole]) {
        for (const ep of ENTRYPOINTS) {
          const expected = outcome(() => p.evaluateJson(ep, serializeInput(input, acc)));
          expect([ep, outcome(() => p.evaluateInput(ep, input, acc))]).toEqual([ep, expected]);
        }
      }
    }
    expect(outcome(() => p.evaluateInput("t/kind", { review: nested(JSON_MAX_DEPTH + 3) }, whole))).toEqual({
      code: "eval_internal_error",
      message: "opa_eval: failed to parse input",
    });
    expect(outcome(() => p.evaluateInput("t/nope", {}))).toEqual({ code: "eval_internal_error", message: "unknown entrypoint t/nope" });
    // What serialization throws is thrown as it is (as serializeInput throws it).
    expect(() => p.evaluateInput("t/whole", { a: 1n })).toThrow(TypeError);
  });

  test("keys distinct in JS but one in UTF-8 (lone surrogates are U+FFFD) are one member, the last value, as in JSON", () => {
    const p = CompiledPolicy.loadSync(compiled('package t\nx := input["\\ufffd"]\nn := count(input)\nks := [k | some k, _ in input]', ["t/x", "t/n", "t/ks"]).wasm);
    const whole: InputAccess = { whole: true, keys: new Map() };
    const leaf = (): InputAccess => ({ whole: true, keys: new Map() });
    const pruned: InputAccess = { whole: false, keys: new Map([["\ud800", leaf()], ["\udc00", leaf()]]) };
    for (const input of [{ "\ud800": 1, "\udc00": 2 }, { "\ufffd": 1, "\ud800": 2 }, { a: { "\udc00": 1, "\ud800": 2 } }]) {
      for (const acc of [whole, pruned]) {
        for (const ep of ["t/x", "t/n", "t/ks"]) {
          const expected = outcome(() => p.evaluateJson(ep, serializeInput(input, acc)));
          expect([input, ep, outcome(() => p.evaluateInput(ep, input, acc))]).toEqual([input, ep, expected]);
          expect([input, ep, outcome(() => p.prepareInput(input, acc)(ep))]).toEqual([input, ep, expected]);
        }
      }
    }
    expect(p.evaluateInput("t/x", { "\ud800": 1, "\udc00": 2 })).toEqual([{ result: 2 }]);
    expect(p.evaluateInput("t/n", { "\ud800": 1, "\udc00": 2 }, pruned)).toEqual([{ result: 1 }]);
  });

  test("prepareInput: prepareJsonInput's results, decoded again after other evaluations and new data", () => {
    const p = CompiledPolicy.loadSync(wasm, { strictBuiltinErrors: true });
    p.setData({ base: 100 });
    for (const input of SAMPLES) {
      const viaJson = p.prepareJsonInput(serializeInput(input, access));
      const expected = ENTRYPOINTS.map((ep) => outcome(() => viaJson(ep)));
      const prepared = p.prepareInput(input, access);
      expect(ENTRYPOINTS.map((ep) => outcome(() => prepared(ep)))).toEqual(expected);
    }
    const first = p.prepareInput({ items: [{ name: "b" }, { name: "a" }], a: 1, b: 2 }, access);
    expect(first("t/n")).toEqual([{ result: 102 }]);
    // A bigger input in between overwrites the first one's memory (and grows it); an error; new data.
    const other = p.prepareInput({ items: Array.from({ length: 40_000 }, (_, i) => ({ name: `item-${i}` })), a: 3, b: 0 }, access);
    expect(other("t/n")).toEqual([{ result: 40_100 }]);
    expect(outcome(() => other("t/one"))).toMatchObject({ code: "eval_builtin_error" });
    expect(first("t/names")).toEqual([{ result: ["a", "b"] }]);
    expect(p.evaluateInput("t/n", { items: [] }, access)).toEqual([{ result: 100 }]);
    p.setData({ base: 1 });
    expect(first("t/n")).toEqual([{ result: 3 }]);
    expect(other("t/n")).toEqual([{ result: 40_001 }]);
    // Serialization errors are thrown when preparing (callers fall back on them), not when evaluating.
    expect(() => p.prepareInput({ items: [1n] }, access)).toThrow(TypeError);
  });

  test("result sets are new objects every call (also the empty ones read without JSON.parse)", () => {
    const p = CompiledPolicy.loadSync(compiled("package t\nnone := [x | some x in input.xs]\nshort := {\"k\": input.k}\n", ["t/none", "t/short"]).wasm);
    const first = p.evaluateInput("t/none", { xs: [] });
    expect(first).toEqual([{ result: [] }]);
    (first[0]?.result as unknown[]).push("changed");
    first.push({ result: "extra" });
    expect(p.evaluateInput("t/none", { xs: [] })).toEqual([{ result: [] }]);
    const none = p.evaluateInput("t/short", {});
    expect(none).toEqual([]);
    none.push({ result: 1 });
    expect(p.evaluateInput("t/short", {})).toEqual([]);
    // ASCII and non-ASCII results, short and long.
    expect(p.evaluateInput("t/short", { k: "abc" })).toEqual([{ result: { k: "abc" } }]);
    expect(p.evaluateInput("t/short", { k: "é😀" })).toEqual([{ result: { k: "é😀" } }]);
    expect(p.evaluateInput("t/short", { k: "x".repeat(100) })).toEqual([{ result: { k: "x".repeat(100) } }]);
  });

  test("a toJSON that evaluates while its input is written: prepared inputs stay right, evaluateInput refuses", () => {
    const p = CompiledPolicy.loadSync(wasm, { strictBuiltinErrors: true });
    p.setData({ base: 100 });
    let inner: unknown;
    const input = { items: [{ name: { toJSON: () => ((inner = p.prepareInput({ items: [1, 2, 3] }, access)("t/n")), "outer") } }] };
    expect(p.prepareInput(input, access)("t/names")).toEqual([{ result: ["outer"] }]);
    expect(inner).toEqual([{ result: 103 }]);
    const nested = { items: [{ name: { toJSON: () => ((inner = p.evaluateInput("t/n", { items: [] }, access)), "outer") } }] };
    expect(outcome(() => p.evaluateInput("t/names", nested, access))).toMatchObject({ code: "eval_internal_error" });
    expect(inner).toEqual([{ result: 100 }]);
    expect(p.evaluateInput("t/names", { items: [{ name: "after" }] }, access)).toEqual([{ result: ["after"] }]);
  });

  test("a module without the binary exports (built by OPA) takes the JSON path with the same results", () => {
    const plain = CompiledPolicy.loadSync(withoutBinaryExports(wasm), { strictBuiltinErrors: true });
    const binary = CompiledPolicy.loadSync(wasm, { strictBuiltinErrors: true });
    expect(plain.readsBinaryInput).toBe(false);
    for (const p of [plain, binary]) p.setData({ base: 100 });
    for (const input of SAMPLES) {
      for (const ep of ENTRYPOINTS) {
        expect(outcome(() => plain.evaluateInput(ep, input, access))).toEqual(outcome(() => binary.evaluateInput(ep, input, access)));
        expect(outcome(() => plain.prepareInput(input, access)(ep))).toEqual(outcome(() => binary.prepareInput(input, access)(ep)));
      }
    }
  });

  test("property: random inputs give the same results through the binary and the JSON path", () => {
    const p = CompiledPolicy.loadSync(wasm, { strictBuiltinErrors: true });
    p.setData({ base: 0 });
    let seed = 99;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const keys = ["review", "object", "kind", "spec", "template", "items", "name", "a", "b", "nums", "é", ""];
    const scalars: unknown[] = [null, true, false, 0, -0, 1, -3, 0.5, 2 ** 33, 1e300, 1e-300, NaN, "", "Pod", "é😀", "\udc00", "a\"b\\c\u0001", undefined];
    const gen = (depth: number): unknown => {
      const r = rand(depth > 5 ? 2 : 4);
      if (r === 0 || r === 1) return scalars[rand(scalars.length)];
      if (r === 2) return Array.from({ length: rand(4) }, () => gen(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = rand(5); i > 0; i--) o[keys[rand(keys.length)] as string] = gen(depth + 1);
      return o;
    };
    for (let i = 0; i < 400; i++) {
      const input = gen(0);
      for (const ep of ENTRYPOINTS) {
        const expected = outcome(() => p.evaluateJson(ep, serializeInput(input, access)));
        expect([input, ep, outcome(() => p.evaluateInput(ep, input, access))]).toEqual([input, ep, expected]);
      }
    }
  });
});
