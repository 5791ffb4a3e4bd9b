import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy, PolicyEvalError, toEvalError } from "../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

function wasm(text: string, entrypoints: string[], strict = false): Uint8Array {
  const r = compile({ modules: [{ file: "p.rego", text }], entrypoints, strictBuiltinErrors: strict });
  if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.wasm;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof PolicyEvalError ? e.code : `not a PolicyEvalError: ${String(e)}`;
  }
  return "no error";
}

describe("CompiledPolicy", () => {
  const src = [
    "package t",
    "typed := count(input.n)",
    "divided := input.a / input.b",
    "hosted := units.parse_bytes(input.size)",
    "big := input.n * 10",
    "members := {x | some x in input.set}",
  ].join("\n");

  test("strict: type errors abort with eval_type_error on both SDK paths", async () => {
    const w = wasm(src, ["t/typed"], true);
    const a = await CompiledPolicy.load(w, { strictBuiltinErrors: true });
    const b = CompiledPolicy.loadSync(w, { strictBuiltinErrors: true });
    expect(codeOf(() => a.evaluate("t/typed", { n: 1 }))).toBe("eval_type_error");
    expect(codeOf(() => b.evaluateText("t/typed", '{"n": 1}'))).toBe("eval_type_error");
  });

  test("strict: native builtin errors start with the call's location, as OPA's do", () => {
    const p = CompiledPolicy.loadSync(wasm(src, ["t/typed"], true), { strictBuiltinErrors: true });
    let error: unknown;
    try {
      p.evaluateText("t/typed", '{"n": 1}');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyEvalError);
    expect((error as PolicyEvalError).code).toBe("eval_type_error");
    expect((error as PolicyEvalError).message).toBe("p.rego:2: eval_type_error: count: operand 1 must be one of {array, object, set, string} but got number");
  });

  test("not strict: a type error makes the call undefined, as in OPA", () => {
    const p = CompiledPolicy.loadSync(wasm(src, ["t/typed"]));
    expect(p.evaluate("t/typed", { n: 1 })).toEqual([]);
    expect(p.evaluate("t/typed", { n: [1, 2] })).toEqual([{ result: 2 }]);
  });

  test("builtin errors are undefined unless strict", async () => {
    const lax = await CompiledPolicy.load(wasm(src, ["t/divided", "t/hosted"]));
    expect(lax.evaluate("t/divided", { a: 1, b: 0 })).toEqual([]);
    expect(lax.evaluate("t/hosted", { size: "12 parsecs" })).toEqual([]);
    expect(lax.evaluate("t/hosted", { size: "2KiB" })).toEqual([{ result: 2048 }]);
    const strictWasm = wasm(src, ["t/divided", "t/hosted"], true);
    const strict = CompiledPolicy.loadSync(strictWasm, { strictBuiltinErrors: true });
    expect(codeOf(() => strict.evaluate("t/divided", { a: 1, b: 0 }))).toBe("eval_builtin_error");
    expect(codeOf(() => strict.evaluate("t/hosted", { size: "12 parsecs" }))).toBe("eval_builtin_error");
  });

  test("evaluateText keeps numbers exact and reads Rego value input with sets", () => {
    const p = CompiledPolicy.loadSync(wasm(src, ["t/big", "t/members"]));
    expect(p.evaluateText("t/big", '{"n": 123456789012345678901234567890}')).toBe('[{"result":1234567890123456789012345678900}]');
    expect(p.evaluateText("t/members", '{"set": {3, 1, 2}}', "value")).toBe('[{"result":[1,2,3]}]');
  });

  test("data is set from JS values or JSON text", () => {
    const p = CompiledPolicy.loadSync(wasm("package t\nv := data.cfg.level\n", ["t/v"]));
    p.setData({ cfg: { level: 3 } });
    expect(p.evaluate("t/v")).toEqual([{ result: 3 }]);
    p.setData('{"cfg": {"level": 4}}');
    expect(p.evaluateText("t/v", undefined)).toBe('[{"result":4}]');
    expect(codeOf(() => p.evaluateText("t/nope", undefined))).toBe("eval_internal_error");
  });

  test("evaluateJson: same result sets as evaluate, data kept, memory grown for big inputs, errors mapped", async () => {
    const text = "package t\nn := count(input.items) + data.base\nnames contains x.name if some x in input.items\none := input.a / input.b\n";
    const w = wasm(text, ["t/n", "t/names", "t/one"], true);
    for (const p of [await CompiledPolicy.load(w, { strictBuiltinErrors: true }), CompiledPolicy.loadSync(w, { strictBuiltinErrors: true })]) {
      p.setData({ base: 100 });
      const small = { items: [{ name: "b" }, { name: "a" }, { name: "é✓" }] };
      expect(p.evaluateJson("t/n", JSON.stringify(small))).toEqual(p.evaluate("t/n", small));
      expect(p.evaluateJson("t/names", JSON.stringify(small))).toEqual([{ result: ["a", "b", "é✓"] }]);
      const big = { items: Array.from({ length: 50_000 }, (_, i) => ({ name: `item-${i}` })) };
      expect(p.evaluateJson("t/n", JSON.stringify(big))).toEqual([{ result: 50_100 }]);
      expect(p.evaluateJson("t/n", JSON.stringify(small))).toEqual([{ result: 103 }]);
      expect(p.evaluateJson("t/n", undefined)).toEqual([]);
      expect(codeOf(() => p.evaluateJson("t/one", '{"a": 1, "b": 0}'))).toBe("eval_builtin_error");
      expect(codeOf(() => p.evaluateJson("t/n", "{not json"))).toBe("eval_internal_error");
      expect(codeOf(() => p.evaluateJson("t/nope", "{}"))).toBe("eval_internal_error");
    }
  });

  test("prepareJsonInput: evaluateJson's results for every entrypoint, parsed again after other evaluations", () => {
    const text = "package t\nn := count(input.items) + data.base\nnames contains x.name if some x in input.items\none := input.a / input.b\n";
    const p = CompiledPolicy.loadSync(wasm(text, ["t/n", "t/names", "t/one"], true), { strictBuiltinErrors: true });
    p.setData({ base: 100 });
    const first = JSON.stringify({ items: [{ name: "b" }, { name: "a" }], a: 1, b: 2 });
    const second = JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ name: `item-${i}` })), a: 3, b: 0 });
    const prepared = p.prepareJsonInput(first);
    const expected = ["t/n", "t/names", "t/one"].map((ep) => p.evaluateJson(ep, first));
    expect(["t/n", "t/names", "t/one"].map((ep) => prepared(ep))).toEqual(expected);
    // Another input in between (big enough to overwrite the first one's memory), an error, new data: still right.
    const other = p.prepareJsonInput(second);
    expect(other("t/n")).toEqual([{ result: 20_100 }]);
    expect(codeOf(() => other("t/one"))).toBe("eval_builtin_error");
    expect(prepared("t/names")).toEqual(expected[1]);
    expect(other("t/n")).toEqual([{ result: 20_100 }]);
    expect(p.evaluate("t/n", { items: [] })).toEqual([{ result: 100 }]);
    p.setData({ base: 1 });
    expect(prepared("t/n")).toEqual([{ result: 3 }]);
    expect(p.prepareJsonInput(undefined)("t/n")).toEqual([]);
    expect(codeOf(() => p.prepareJsonInput("{not json")("t/n"))).toBe("eval_internal_error");
    expect(codeOf(() => prepared("t/nope"))).toBe("eval_internal_error");
  });

  test("thrown strings map to OPA codes", () => {
    expect(toEvalError("eval_conflict_error: complete rules must not produce multiple outputs").code).toBe("eval_conflict_error");
    expect(toEvalError({ message: "not implemented: built-in function 3: x" }).code).toBe("eval_builtin_error");
    expect(toEvalError(new Error("boom")).code).toBe("eval_internal_error");
  });
});
