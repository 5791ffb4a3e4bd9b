/**
 * Negative cases for the compile checks: each source must produce exactly the listed diagnostics
 * (code, file:line:col and message), in order.
 */
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import type { RefTerm, StringTerm, VarTerm } from "../../../src/rego/parser/nodes.js";
import { checkModules } from "../../../src/rego/check/check-modules.js";
import { check, brief } from "./check-helpers.js";

interface ErrorCase {
  name: string;
  sources: string[];
  want: string[];
}

const T = "package test\n\n";

const cases: ErrorCase[] = [
  // ---- unsafe variables ------------------------------------------------------------------------------
  { name: "unbound var in comparison", sources: [`${T}p if { x > 1 }`], want: ["rego_unsafe_var_error test-0.rego:3:8 var x is unsafe"] },
  { name: "unbound partial set member", sources: [`${T}p contains x if { true }`], want: ["rego_unsafe_var_error test-0.rego:3:12 var x is unsafe"] },
  { name: "unbound head value", sources: [`${T}p := y if { x := 1 }`], want: ["rego_unsafe_var_error test-0.rego:3:6 var y is unsafe"] },
  { name: "negation needs bound vars", sources: [`${T}p if { not data.a[x] }`], want: ["rego_unsafe_var_error test-0.rego:3:19 var x is unsafe"] },
  { name: "comprehension head var unbound", sources: [`${T}p := [y | x := 1]`], want: ["rego_unsafe_var_error test-0.rego:3:7 var y is unsafe"] },
  { name: "with value unbound", sources: [`${T}p if { data.a with input as x }`], want: ["rego_unsafe_var_error test-0.rego:3:29 var x is unsafe"] },
  { name: "every domain unbound", sources: [`${T}p if { every v in xs { v > 0 } }`], want: ["rego_unsafe_var_error test-0.rego:3:19 var xs is unsafe"] },
  { name: "builtin input unbound", sources: [`${T}p if { count(x) > 0 }`], want: ["rego_unsafe_var_error test-0.rego:3:14 var x is unsafe"] },
  { name: "both sides of unification unbound", sources: [`${T}p if { x = y }`], want: ["rego_unsafe_var_error test-0.rego:3:8 var x is unsafe", "rego_unsafe_var_error test-0.rego:3:12 var y is unsafe"] },
  { name: "wildcard as builtin input", sources: [`${T}p if { count(_) > 0 }`], want: ["rego_unsafe_var_error test-0.rego:3:14 var _ is unsafe"] },
  { name: "else value unbound", sources: [`${T}p := 1 if { false } else := z`], want: ["rego_unsafe_var_error test-0.rego:3:29 var z is unsafe"] },
  { name: "function result unbound", sources: [`${T}f(x) := y if { x > 0 }`], want: ["rego_unsafe_var_error test-0.rego:3:9 var y is unsafe"] },
  { name: "object key in ref head unbound", sources: [`${T}p[k] := 1 if { true }`], want: ["rego_unsafe_var_error test-0.rego:3:3 var k is unsafe"] },
  { name: "var only bound in negation", sources: [`${T}p := x if { not x = 1 }`], want: ["rego_unsafe_var_error test-0.rego:3:17 var x is unsafe"] },
  { name: "template string var unbound", sources: [`${T}p := $"{x}"`], want: ["rego_unsafe_var_error test-0.rego:3:9 var x is unsafe"] },

  // ---- some / every scoping ----------------------------------------------------------------------------
  {
    name: "every value var not visible after every",
    sources: [`${T}p if {\n\tevery v in [1] { v > 0 }\n\tv > 1\n}`],
    want: ["rego_unsafe_var_error test-0.rego:5:2 var v is unsafe"],
  },
  {
    name: "some in a comprehension is not visible outside",
    sources: [`${T}p := x if { y := [x | some x in [1]] }`],
    want: ["rego_unsafe_var_error test-0.rego:3:6 var x is unsafe"],
  },
  { name: "every key and value the same", sources: [`${T}p if { every x, x in [1] { true } }`], want: ["rego_compile_error test-0.rego:3:17 every: key and value must be different variables"] },

  // ---- recursion ----------------------------------------------------------------------------------------
  { name: "self recursion", sources: [`${T}p if { p }`], want: ["rego_recursion_error test-0.rego:3:1 rule data.test.p is recursive: data.test.p -> data.test.p"] },
  {
    name: "mutual recursion",
    sources: [`${T}p if { q }\nq if { p }`],
    want: [
      "rego_recursion_error test-0.rego:3:1 rule data.test.p is recursive: data.test.p -> data.test.q -> data.test.p",
      "rego_recursion_error test-0.rego:4:1 rule data.test.q is recursive: data.test.q -> data.test.p -> data.test.q",
    ],
  },
  { name: "recursive function", sources: [`${T}f(x) := f(x)`], want: ["rego_recursion_error test-0.rego:3:1 rule data.test.f is recursive: data.test.f -> data.test.f"] },
  {
    name: "recursion across packages",
    sources: ["package a\n\np if data.b.q", "package b\n\nq if data.a.p"],
    want: [
      "rego_recursion_error test-0.rego:3:1 rule data.a.p is recursive: data.a.p -> data.b.q -> data.a.p",
      "rego_recursion_error test-1.rego:3:1 rule data.b.q is recursive: data.b.q -> data.a.p -> data.b.q",
    ],
  },
  { name: "recursion through the package document", sources: [`${T}p := data.test`], want: ["rego_recursion_error test-0.rego:3:1 rule data.test.p is recursive: data.test.p -> data.test.p"] },
  { name: "recursion through an import alias", sources: [`${T}import data.test.q as r\n\np if r\nq if p`], want: [
    "rego_recursion_error test-0.rego:5:1 rule data.test.p is recursive: data.test.p -> data.test.q -> data.test.p",
    "rego_recursion_error test-0.rego:6:1 rule data.test.q is recursive: data.test.q -> data.test.p -> data.test.q",
  ] },

  // ---- conflicts ----------------------------------------------------------------------------------------
  { name: "complete vs partial set", sources: [`${T}p := 1\np contains 2`], want: ["rego_type_error test-0.rego:3:1 conflicting rules data.test.p found"] },
  { name: "function arity mismatch", sources: [`${T}f(x) := 1\nf(x, y) := 2`], want: ["rego_type_error test-0.rego:3:1 conflicting rules data.test.f found"] },
  { name: "function vs complete rule", sources: [`${T}f(x) := 1\nf := 2`], want: ["rego_type_error test-0.rego:3:1 conflicting rules data.test.f found"] },
  { name: "multiple default rules", sources: [`${T}default p := 1\ndefault p := 2`], want: ["rego_type_error test-0.rego:3:1 multiple default rules data.test.p found"] },
  { name: "rule conflicts with rules below it", sources: [`${T}p := 1\np.q := 2`], want: ["rego_type_error test-0.rego:3:1 rule data.test.p conflicts with [data.test.p.q]"] },
  { name: "package conflicts with rule", sources: ["package a\n\nb := 1", "package a.b\n\nc := 1"], want: ["rego_type_error test-0.rego:3:1 package data.a.b conflicts with rule data.a.b"] },
  { name: "conflict across modules", sources: [`${T}p := 1`, `${T}p contains 1`], want: ["rego_type_error test-0.rego:3:1 conflicting rules data.test.p found"] },

  // ---- calls ----------------------------------------------------------------------------------------------
  { name: "undefined function", sources: [`${T}p if { foo(1) }`], want: ["rego_type_error test-0.rego:3:8 undefined function foo"] },
  { name: "undefined dotted function", sources: [`${T}p if { strings.nope("a") }`], want: ["rego_type_error test-0.rego:3:8 undefined function strings.nope"] },
  { name: "undefined data function", sources: [`${T}p if { data.x.f(1) }`], want: ["rego_type_error test-0.rego:3:8 undefined function data.x.f"] },
  { name: "calling a rule that is not a function", sources: [`${T}q := 1\np if { q(1) }`], want: ["rego_type_error test-0.rego:4:8 undefined function data.test.q"] },
  {
    name: "nested call with an output argument",
    sources: [`${T}p := count([1], 2)`],
    want: ["rego_type_error test-0.rego:3:6 count: too many arguments\n\thave: (array<number>, number)\n\twant: (any<string, array[any], object[any: any], set[any]>, number)"],
  },
  { name: "too few arguments", sources: [`${T}p := substring("a", 1)`], want: ["rego_type_error test-0.rego:3:6 substring: too few arguments\n\thave: (string, number)\n\twant: (string, number, number, string)"] },
  { name: "too many arguments at top level", sources: [`${T}p if { count([1], 1, 2) }`], want: ["rego_type_error test-0.rego:3:8 count: too many arguments\n\thave: (array<number>, number, number)\n\twant: (any<string, array[any], object[any: any], set[any]>, number)"] },
  { name: "user function arity", sources: [`${T}f(x) := x\np := f(1, 2)`], want: ["rego_type_error test-0.rego:4:6 data.test.f: too many arguments\n\thave: (number, number)\n\twant: (any, any)"] },
  { name: "deprecated builtin in v1", sources: [`${T}p if { any([true]) }`], want: ["rego_type_error test-0.rego:3:8 deprecated built-in function calls in expression: any"] },
  { name: "function replaced by a function of another arity", sources: [`${T}f(x) := x\np if { f(1) with f as concat }`], want: ["rego_type_error test-0.rego:4:13 data.test.f: arity mismatch\n\thave: (string, any<array[string], set[string]>)\n\twant: (any, any)"] },
  { name: "with target that is not input, data or a function", sources: [`${T}p if { data.a with foo as 1 }`], want: ["rego_compile_error test-0.rego:3:20 with keyword target must reference existing input, data, or a function"] },

  // ---- types ----------------------------------------------------------------------------------------------
  { name: "count of a number", sources: [`${T}p if { count(1) > 0 }`], want: ["rego_type_error test-0.rego:3:8 count: invalid argument(s)\n\thave: (number)\n\twant: (any<string, array[any], object[any: any], set[any]>, number)"] },
  { name: "string plus number", sources: [`${T}p := "a" + 1`], want: ["rego_type_error test-0.rego:3:6 plus: invalid argument(s)\n\thave: (string, number)\n\twant: (number, number, number)"] },
  { name: "variable used with two types", sources: [`${T}p if {\n\tx := 1\n\tx = "a"\n}`], want: ["rego_type_error test-0.rego:5:2 match error\n\tleft  : number\n\tright : string"] },
  { name: "array length mismatch", sources: [`${T}p if { [1, 2] = [1] }`], want: ["rego_type_error test-0.rego:3:8 match error\n\tleft  : array<number, number>\n\tright : array<number>"] },
  { name: "object value type mismatch", sources: [`${T}p if { {"a": 1} = {"a": "x"} }`], want: ["rego_type_error test-0.rego:3:8 match error\n\tleft  : object<a: number>\n\tright : object<a: string>"] },
  { name: "concat of numbers", sources: [`${T}p := concat(",", [1, 2])`], want: ["rego_type_error test-0.rego:3:6 concat: invalid argument(s)\n\thave: (string, array<number, number>)\n\twant: (string, any<array[string], set[string]>, string)"] },
  { name: "type flows through builtin output", sources: [`${T}p if {\n\tn := count([1])\n\tupper(n)\n}`], want: ["rego_type_error test-0.rego:5:2 upper: invalid argument(s)\n\thave: (number)\n\twant: (string, string)"] },
  { name: "object.get on a string", sources: [`${T}p := object.get("a", "b", 1)`], want: ["rego_type_error test-0.rego:3:6 object.get: invalid argument(s)\n\thave: (string, string, number)\n\twant: (object[any: any], any, any, any)"] },
  { name: "sum of strings", sources: [`${T}p := sum(["a"])`], want: ["rego_type_error test-0.rego:3:6 sum: invalid argument(s)\n\thave: (array<string>)\n\twant: (any<array[number], set[number]>, number)"] },
  { name: "string minus number", sources: [`${T}p := "a" - 1`], want: ["rego_type_error test-0.rego:3:6 minus: invalid argument(s)\n\thave: (string, number)\n\twant: (any<number, set[any]>, any<number, set[any]>, any<number, set[any]>)"] },
  { name: "nested call result type", sources: [`${T}p := upper(count([1]))`], want: ["rego_type_error test-0.rego:3:6 upper: invalid argument(s)\n\thave: (number)\n\twant: (string, string)"] },
  { name: "set operator on numbers", sources: [`${T}p := 1 | 2`], want: ["rego_type_error test-0.rego:3:6 or: invalid argument(s)\n\thave: (number, number)\n\twant: (set[any], set[any], set[any])"] },
  { name: "type error inside a comprehension", sources: [`${T}p := [y | y := lower(1)]`], want: ["rego_type_error test-0.rego:3:16 lower: invalid argument(s)\n\thave: (number)\n\twant: (string, string)"] },

  { name: "type of a complete rule flows into refs to it", sources: [`${T}q := 1\np if { count(data.test.q) > 0 }`], want: ["rego_type_error test-0.rego:4:8 count: invalid argument(s)\n\thave: (number)\n\twant: (any<string, array[any], object[any: any], set[any]>, number)"] },
  { name: "type of a same-package rule named without data", sources: [`${T}q := "a"\np := q + 1`], want: ["rego_type_error test-0.rego:4:6 plus: invalid argument(s)\n\thave: (string, number)\n\twant: (number, number, number)"] },
  { name: "type selected inside a rule's object value", sources: [`${T}q := {"a": 1}\np := upper(q.a)`], want: ["rego_type_error test-0.rego:4:6 upper: invalid argument(s)\n\thave: (number)\n\twant: (string, string)"] },

  // ---- local variables ------------------------------------------------------------------------------------
  { name: "assigned twice", sources: [`${T}p if {\n\tx := 1\n\tx := 2\n}`], want: ["rego_compile_error test-0.rego:5:2 var x assigned above"] },
  { name: "declared twice", sources: [`${T}p if {\n\tsome x\n\tsome x\n\tx = 1\n}`], want: ["rego_compile_error test-0.rego:5:7 var x declared above"] },
  { name: "assigned after use", sources: [`${T}p if {\n\tx == 1\n\tx := 2\n}`], want: ["rego_compile_error test-0.rego:5:2 var x referenced above"] },
  { name: "assigned after some", sources: [`${T}p if {\n\tsome x\n\tx := 1\n}`], want: ["rego_compile_error test-0.rego:5:2 var x declared above"] },
  { name: "function argument reassigned", sources: [`${T}f(x) := y if {\n\tx := 1\n\ty := x\n}`], want: ["rego_compile_error test-0.rego:4:2 arg x redeclared"] },
  { name: "assigning input", sources: [`${T}p if { input := 1 }`], want: ["rego_compile_error test-0.rego:3:8 variables must not shadow input (use a different variable name)"] },
  { name: "assigning to a ref", sources: [`${T}p if { data.x := 1 }`], want: ["rego_compile_error test-0.rego:3:8 cannot assign to ref"] },

  // ---- imports --------------------------------------------------------------------------------------------
  { name: "two imports bind one name", sources: [`${T}import data.a.x\nimport data.b.x`], want: ["rego_compile_error test-0.rego:4:1 import must not shadow import data.a.x"] },
  { name: "import alias and plain import bind one name", sources: [`${T}import data.a.y as x\nimport input.x`], want: ["rego_compile_error test-0.rego:4:1 import must not shadow import data.a.y as x"] },
];

/**
 * The parser already rejects bad import roots; the checker must still reject them in a module built some
 * other way. These parse a valid import and then rename parts of its path in the tree.
 */
const importCases: Array<{ name: string; source: string; rename: (parts: string[]) => string[]; want: string }> = [
  {
    name: "unknown import root",
    source: `${T}import data.bar.baz`,
    rename: (p) => ["foo", ...p.slice(1)],
    want: "rego_compile_error test-0.rego:3:8 invalid import foo.bar.baz: path must begin with one of {data, future, input, rego}, got foo",
  },
  {
    name: "unknown future keyword",
    source: `${T}import future.keywords.in`,
    rename: (p) => [...p.slice(0, 2), "nope"],
    want: "rego_compile_error test-0.rego:3:8 invalid import future.keywords.nope, must be future.keywords or one of future.keywords.{contains, every, if, in}",
  },
  {
    name: "unknown rego import",
    source: `${T}import rego.v1`,
    rename: () => ["rego", "v2"],
    want: "rego_compile_error test-0.rego:3:8 invalid import rego.v2, must be rego.v1",
  },
];

describe("compile check errors", () => {
  it("has at least 50 negative cases", () => {
    expect(cases.length + importCases.length).toBeGreaterThanOrEqual(50);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { program, diagnostics } = check(...c.sources);
    expect(diagnostics.map(brief)).toEqual(c.want);
    expect(program).toBeUndefined();
  });

  it("explains unsafe variables declared in a nested scope", () => {
    const every = check(`${T}p if {\n\tevery v in [1] { v > 0 }\n\tv > 1\n}`).diagnostics;
    expect(every.map((d) => d.related?.map((r) => `${r.span.start.line}:${r.span.start.column} ${r.message}`))).toEqual([
      ["4:8 v is declared inside every here and is not visible outside it"],
    ]);
    const compr = check(`${T}p := x if { y := [x | some x in [1]] }`).diagnostics;
    expect(compr.map((d) => d.related?.map((r) => `${r.span.start.line}:${r.span.start.column} ${r.message}`))).toEqual([
      ["3:28 x is declared inside a comprehension here and is not visible outside it"],
    ]);
  });

  it.each(importCases.map((c) => [c.name, c] as const))("%s (tree built without the parser's checks)", (_name, c) => {
    const parsed = parseModule(c.source, { file: "test-0.rego", regoVersion: "v1" });
    const mod = parsed.module!;
    const imp = mod.imports[0]!;
    expect(imp.path.type).toBe("Ref");
    const ref = imp.path as RefTerm;
    const parts = c.rename([(ref.head as VarTerm).name, ...ref.path.map((p) => (p as StringTerm).value)]);
    imp.path = { ...ref, head: { ...(ref.head as VarTerm), name: parts[0]! }, path: parts.slice(1).map((v) => ({ type: "String", value: v, span: ref.span })) };
    const { program, diagnostics } = checkModules([mod]);
    expect(diagnostics.map(brief)).toEqual([c.want]);
    expect(program).toBeUndefined();
  });
});
