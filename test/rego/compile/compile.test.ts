import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { printIr } from "../../../src/rego/ir/print-ir.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

function build(text: string, entrypoints: string[], strict = false): Uint8Array {
  const r = compile({ modules: [{ file: "p.rego", text }], entrypoints, strictBuiltinErrors: strict });
  if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.wasm;
}

async function evalBoth(text: string, ep: string, input?: unknown, data?: unknown): Promise<unknown> {
  const wasm = build(text, [ep]);
  const a = await CompiledPolicy.load(wasm);
  const b = CompiledPolicy.loadSync(wasm);
  if (data !== undefined) {
    a.setData(data);
    b.setData(data);
  }
  const ra = a.evaluate(ep, input);
  const rb = JSON.parse(b.evaluateText(ep, input === undefined ? undefined : JSON.stringify(input))) as unknown;
  expect(rb).toEqual(ra);
  return ra[0]?.result;
}

describe("compile + evaluate", () => {
  test("complete rules, default and input", async () => {
    const src = "package x\ndefault allow := false\nallow if input.user == \"alice\"\n";
    expect(await evalBoth(src, "x/allow", { user: "alice" })).toBe(true);
    expect(await evalBoth(src, "x/allow", { user: "bob" })).toBe(false);
  });

  test("partial sets, objects and iteration", async () => {
    const src = [
      "package x",
      "names contains n if { some p in input.people; n := p.name }",
      "ages[p.name] := p.age if { some p in input.people }",
      "adults := [n | some p in input.people; p.age >= 18; n := p.name]",
    ].join("\n");
    const input = { people: [{ name: "a", age: 20 }, { name: "b", age: 10 }] };
    expect(await evalBoth(src, "x/names", input)).toEqual(["a", "b"]);
    expect(await evalBoth(src, "x/ages", input)).toEqual({ a: 20, b: 10 });
    expect(await evalBoth(src, "x/adults", input)).toEqual(["a"]);
  });

  test("functions, else, negation, every, with", async () => {
    const src = [
      "package x",
      "f(x) := y if { y := x * 2 }",
      "g(x) := \"big\" if { x > 10 } else := \"small\"",
      "r := [f(2), g(20), g(1)]",
      "no_b if not input.b",
      "all_pos if every v in input.xs { v > 0 }",
      "mocked if { no_b with input.b as true }",
      "unmocked if { no_b with input.c as true }",
    ].join("\n");
    expect(await evalBoth(src, "x/r", {})).toEqual([4, "big", "small"]);
    expect(await evalBoth(src, "x/no_b", { b: 1 })).toBeUndefined();
    expect(await evalBoth(src, "x/no_b", {})).toBe(true);
    expect(await evalBoth(src, "x/all_pos", { xs: [1, 2] })).toBe(true);
    expect(await evalBoth(src, "x/all_pos", { xs: [1, -2] })).toBeUndefined();
    expect(await evalBoth(src, "x/mocked", {})).toBeUndefined();
    expect(await evalBoth(src, "x/unmocked", {})).toBe(true);
  });

  test("negation and every over bodies that iterate", async () => {
    const src = [
      "package x",
      "all_known if every v in input.xs { some k in input.known; v == k }",
    ].join("\n");
    expect(await evalBoth(src, "x/all_known", { xs: [1, 2], known: [1, 2, 3] })).toBe(true);
    expect(await evalBoth(src, "x/all_known", { xs: [1, 5], known: [1, 2, 3] })).toBeUndefined();
  });

  test("a relation builtin (walk) yields one solution per result", async () => {
    const src = "package x\nleaves contains [p, v] if { walk(input, [p, v]); is_number(v) }\n";
    expect(await evalBoth(src, "x/leaves", { a: { b: 1 }, c: [2] })).toEqual([[["a", "b"], 1], [["c", 0], 2]]);
  });

  test("base and virtual documents merge under data", async () => {
    const src = "package x\np := 1\n";
    expect(await evalBoth(src, "x", undefined, { x: { q: 2 } })).toEqual({ p: 1, q: 2 });
  });

  test("conflicts abort with eval_conflict_error", async () => {
    const wasm = build("package x\np := 1 if input.a\np := 2 if input.b\n", ["x/p"]);
    const p = await CompiledPolicy.load(wasm);
    expect(() => p.evaluate("x/p", { a: true, b: true })).toThrow(/eval_conflict_error/);
  });

  test("optimized and unoptimized modules agree", async () => {
    const text = "package x\nq contains v * 2 if { some v in input.xs; v > 1 }\n";
    const plain = compile({ modules: [{ file: "p.rego", text }], entrypoints: ["x/q"] });
    const optimized = compile({ modules: [{ file: "p.rego", text }], entrypoints: ["x/q"], optimize: true });
    const a = await CompiledPolicy.load(plain.wasm as Uint8Array);
    const b = await CompiledPolicy.load(optimized.wasm as Uint8Array);
    expect(a.evaluate("x/q", { xs: [1, 2, 3] })).toEqual([{ result: [4, 6] }]);
    expect(b.evaluate("x/q", { xs: [1, 2, 3] })).toEqual([{ result: [4, 6] }]);
  });

  test("multi-value rules with a variable ref head build an object of sets", async () => {
    const src = "package x\nby_team[team] contains name if { some u in input.users; team := u.team; name := u.name }\n";
    const input = { users: [{ team: "a", name: "n1" }, { team: "b", name: "n2" }, { team: "a", name: "n3" }] };
    expect(await evalBoth(src, "x/by_team", input)).toEqual({ a: ["n1", "n3"], b: ["n2"] });
  });

  test("the IR prints", () => {
    const r = compile({ modules: [{ file: "p.rego", text: "package x\np if input.a == 1\n" }], entrypoints: ["x/p"] });
    expect(r.ir && printIr(r.ir)).toContain("function rule$data.x.p");
  });
});
