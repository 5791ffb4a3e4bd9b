import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

function evaluate(texts: string[], entrypoint: string, data?: unknown, input?: unknown): unknown {
  const modules = texts.map((text, i) => ({ file: `m${i}.rego`, text }));
  const r = compile({ modules, entrypoints: [entrypoint] });
  if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  const policy = CompiledPolicy.loadSync(r.wasm);
  if (data !== undefined) policy.setData(JSON.stringify(data));
  return policy.evaluate(entrypoint, input);
}

describe("planner: refs into data", () => {
  test("a constant integer key reads array elements and, in objects, the member named by its text", () => {
    const text = "package t\nel := data.base.arr[1]\nmember := data.base.obj[1]\nnone := data.base.obj[7]\n";
    const data = { base: { arr: ["a", "b"], obj: { "1": "one", "7x": "no" } } };
    expect(evaluate([text], "t/el", data)).toEqual([{ result: "b" }]);
    expect(evaluate([text], "t/member", data)).toEqual([{ result: "one" }]);
    expect(evaluate([text], "t/none", data)).toEqual([]);
  });

  test("a package without rules is an empty object, merged with the base data at its path", () => {
    const texts = ["package a.b\n", "package t\nempty := data.a.b\nmerged := data.c\n", "package c\n"];
    expect(evaluate(texts, "t/empty")).toEqual([{ result: {} }]);
    expect(evaluate(texts, "t/merged", { c: { k: 1 } })).toEqual([{ result: { k: 1 } }]);
  });

  test("a dynamic key into data evaluates only the document it names, base data when no rule is there", () => {
    const texts = [
      "package t\np := data[name].v if name := input.name\n",
      "package animals\nv := \"woof\"\n",
    ];
    // Building the whole `data` document here would evaluate t.p itself (endless recursion).
    expect(evaluate(texts, "t/p", { plain: { v: 3 } }, { name: "animals" })).toEqual([{ result: "woof" }]);
    expect(evaluate(texts, "t/p", { plain: { v: 3 } }, { name: "plain" })).toEqual([{ result: 3 }]);
    expect(evaluate(texts, "t/p", { plain: { v: 3 } }, { name: "other" })).toEqual([]);
  });
});

describe("planner: query packages", () => {
  test("a query package is reachable as an entrypoint but is not part of `data` (a query reading data does not read itself)", () => {
    const modules = [
      { file: "a.rego", text: "package a\nb := 1\n" },
      { file: "q.rego", text: "package query\nq contains x if x = data\n" },
    ];
    const r = compile({ modules, entrypoints: ["query/q"], queryPackages: ["data.query"] });
    if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    const policy = CompiledPolicy.loadSync(r.wasm);
    policy.setData(JSON.stringify({ base: true }));
    expect(policy.evaluate("query/q")).toEqual([{ result: [{ a: { b: 1 }, base: true }] }]);
  });
});

describe("planner: rule groups beneath an object-valued group", () => {
  test("documents of nested groups are merged into the object; sets are united", () => {
    const text = [
      "package t",
      "p[k].n := 1 if some k in [\"a\", \"b\"]",
      "p.c.n := 2",
      "p.a.m := 3",
      "s[k] contains v if some k, v in {\"x\": 1, \"y\": 2}",
      "s.x contains 9",
      "s.z contains 0",
    ].join("\n");
    expect(evaluate([text], "t/p")).toEqual([{ result: { a: { n: 1, m: 3 }, b: { n: 1 }, c: { n: 2 } } }]);
    expect(evaluate([text], "t/s")).toEqual([{ result: { x: [1, 9], y: [2], z: [0] } }]);
  });

  test("a nested group placing a value inside one of the group's rule values is a conflict", () => {
    const text = "package t\np[k] := {\"a\": 1} if k := \"q\"\np.q.b := 2\n";
    expect(() => evaluate([text], "t/p")).toThrow(/eval_conflict_error/);
  });
});

describe("planner: function parameters", () => {
  test("a template string parameter is compared once the body has bound its variables", () => {
    const text = "package t\nf($\"{x}-{y}\") := true if {\n  x = \"a\"\n  y = input.y\n}\nyes := f(\"a-b\")\nno := f(\"a-c\")\n";
    expect(evaluate([text], "t/yes", undefined, { y: "b" })).toEqual([{ result: true }]);
    expect(evaluate([text], "t/no", undefined, { y: "b" })).toEqual([]);
  });

  test("an argument that is an unbound variable is bound by a ref in another argument first", () => {
    const text = "package t\nfixpoints contains i if {\n  some i\n  i == input.xs[i]\n}\n";
    expect(evaluate([text], "t/fixpoints", undefined, { xs: [0, 5, 2, 1] })).toEqual([{ result: [0, 2] }]);
  });
});
