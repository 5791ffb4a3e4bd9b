import { compile } from "../../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../../runtime/ensure-runtime-built.js";
import { call, failure } from "./call-host-builtin.js";

beforeAll(() => ensureRuntimeBuilt());

const v = (name: string) => ({ type: "var", value: name });
const s = (value: string) => ({ type: "string", value });
const n = (value: number) => ({ type: "number", value });
const t = { type: "boolean", value: true };
const op = (...names: string[]) => ({ type: "ref", value: [v(names[0] ?? ""), ...names.slice(1).map(s)] });

function parse(text: string): Record<string, unknown> {
  return call("rego.parse_module", "x.rego", text) as Record<string, unknown>;
}

function rules(text: string): Array<Record<string, unknown>> {
  return parse(`package p\n${text}`).rules as Array<Record<string, unknown>>;
}

describe("rego.parse_module", () => {
  test("package path starts with data, then strings; imports keep their refs and aliases", () => {
    const m = parse("package foo.bar\n\nimport rego.v1\nimport data.a as b\nimport input");
    expect(m.package).toEqual({ path: [v("data"), s("foo"), s("bar")] });
    expect(m.imports).toEqual([
      { path: { type: "ref", value: [v("rego"), s("v1")] } },
      { path: { type: "ref", value: [v("data"), s("a")] }, alias: "b" },
      { path: v("input") },
    ]);
    expect(m.rules).toBeUndefined();
  });

  test("a complete rule: name, ref, implied value true, body expressions as operator calls with their index", () => {
    expect(rules("q if { a = true; not x; y := 1 }")).toEqual([{
      head: { name: "q", ref: [v("q")], value: t },
      body: [
        { index: 0, terms: [op("eq"), v("a"), t] },
        { index: 1, terms: v("x"), negated: true },
        { index: 2, terms: [op("assign"), v("y"), n(1)] },
      ],
    }]);
  });

  test("a rule without a body has OPA's body [true]; default and assign are flagged", () => {
    expect(rules("default r := null")).toEqual([
      { default: true, head: { name: "r", ref: [v("r")], value: { type: "null", value: null }, assign: true }, body: [{ index: 0, terms: t }] },
    ]);
  });

  test("contains heads have a key and no value; ref heads no name; functions args; else chains", () => {
    const [set, obj, fn] = rules("c contains x if { x := 1 }\na.b[k] := 2 if { k := \"z\" }\nf(x) := 1 if { x > 0 } else := 2");
    expect(set?.head).toEqual({ name: "c", ref: [v("c")], key: v("x") });
    expect(obj?.head).toEqual({ ref: [v("a"), s("b"), v("k")], value: n(2), assign: true });
    expect(fn?.head).toEqual({ name: "f", ref: [v("f")], args: [v("x")], value: n(1), assign: true });
    expect(fn?.else).toEqual({ head: { name: "f", ref: [v("f")], args: [v("x")], value: n(2), assign: true }, body: [{ index: 0, terms: t }] });
  });

  test("composite terms, calls, comprehensions, some, every and with", () => {
    const [rule] = rules([
      "q if {",
      "  o := {\"k\": [1, false], \"s\": {2}}",
      "  count(xs) > 0",
      "  some i, j",
      "  some k, e in xs",
      "  every w in xs { w != 3 }",
      "  zs := {z: 1 | some z in xs}",
      "  data.d.e with input.a as [y | y := 1]",
      "}",
    ].join("\n"));
    const body = rule?.body as Array<Record<string, unknown>>;
    expect(body[0]?.terms).toEqual([op("assign"), v("o"), {
      type: "object",
      value: [[s("k"), { type: "array", value: [n(1), { type: "boolean", value: false }] }], [s("s"), { type: "set", value: [n(2)] }]],
    }]);
    expect(body[1]?.terms).toEqual([op("gt"), { type: "call", value: [op("count"), v("xs")] }, n(0)]);
    expect(body[2]?.terms).toEqual({ symbols: [v("i"), v("j")] });
    expect(body[3]?.terms).toEqual({ symbols: [{ type: "call", value: [op("internal", "member_3"), v("k"), v("e"), v("xs")] }] });
    expect(body[4]?.terms).toEqual({ value: v("w"), domain: v("xs"), body: [{ index: 0, terms: [op("neq"), v("w"), n(3)] }] });
    expect(body[5]?.terms).toEqual([op("assign"), v("zs"), {
      type: "objectcomprehension",
      value: { key: v("z"), value: n(1), body: [{ index: 0, terms: { symbols: [{ type: "call", value: [op("internal", "member_2"), v("z"), v("xs")] }] } }] },
    }]);
    expect(body[6]).toEqual({
      index: 6,
      terms: { type: "ref", value: [v("data"), s("d"), s("e")] },
      with: [{
        target: { type: "ref", value: [v("input"), s("a")] },
        value: { type: "arraycomprehension", value: { term: v("y"), body: [{ index: 0, terms: [op("assign"), v("y"), n(1)] }] } },
      }],
    });
  });

  test("parse errors are OPA's rego_parse_error with file and row, the line and a caret (leading tabs dropped)", () => {
    expect(failure("rego.parse_module", "x.rego", "package foo.")).toBe(
      "eval_builtin_error: rego.parse_module: 1 error occurred: x.rego:1: rego_parse_error: unexpected eof token: expected ident"
      + "\n\tpackage foo.\n\t            ^",
    );
    expect(failure("rego.parse_module", "t.rego", "package a\n\tp := [1,")).toMatch(/t\.rego:2: rego_parse_error: unexpected eof token\n\tp := \[1,\n\t {8}\^$/);
    expect(failure("rego.parse_module", "m.rego", "package a\np := ")).toContain("m.rego:2: rego_parse_error: unexpected eof token");
    expect(failure("rego.parse_module", "x.rego", 1)).toMatch(/^eval_type_error: rego\.parse_module: operand 2 must be string/);
  });

  test("in a compiled policy, a linter walks the AST: the rules that call http.send in body or head, by name", () => {
    const text = [
      "package lint",
      "calls contains name if {",
      "  module := rego.parse_module(\"in.rego\", input.text)",
      "  some rule in module.rules",
      "  walk(rule, [_, node])",
      "  node.type == \"ref\"",
      "  node.value[0].value == \"http\"",
      "  node.value[1].value == \"send\"",
      "  name := rule.head.name",
      "}",
    ].join("\n");
    const r = compile({ modules: [{ file: "lint.rego", text }], entrypoints: ["lint/calls"] });
    if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    const policy = CompiledPolicy.loadSync(r.wasm, { strictBuiltinErrors: true });
    const module = "package x\n\na if { http.send({}) }\nb if { true }\nc := count([1 | http.send({})])\n";
    expect(policy.evaluateText("lint/calls", JSON.stringify({ text: module }))).toBe('[{"result":["a","c"]}]');
  });
});
