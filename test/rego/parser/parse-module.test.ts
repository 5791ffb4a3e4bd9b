import { parseModule } from "../../../src/rego/parser/parse-module.js";
import { parseQuery } from "../../../src/rego/parser/parse-query.js";
import type { Expr, Module, Rule, Term } from "../../../src/rego/parser/nodes.js";

/** S-expression of a term: operators by builtin name, refs as a.b[x], literals as written. */
function sx(t: Term): string {
  switch (t.type) {
    case "Call": {
      const op = t.operator.type === "Var" ? t.operator.name : sx(t.operator);
      return `(${op} ${t.args.map(sx).join(" ")})`;
    }
    case "Ref":
      return `${sx(t.head)}${t.path.map((p) => (p.type === "String" && /^\w+$/.test(p.value) ? `.${p.value}` : `[${sx(p)}]`)).join("")}`;
    case "Var":
      return t.name;
    case "Number":
      return t.value;
    case "String":
      return JSON.stringify(t.value);
    case "Boolean":
      return String(t.value);
    case "Null":
      return "null";
    case "Array":
      return `[${t.items.map(sx).join(" ")}]`;
    case "Set":
      return `#{${t.items.map(sx).join(" ")}}`;
    case "Object":
      return `{${t.entries.map((e) => `${sx(e.key)}:${sx(e.value)}`).join(" ")}}`;
    default:
      return t.type;
  }
}

function query(src: string): Expr[] {
  const r = parseQuery(src);
  expect(r.diagnostics).toEqual([]);
  return r.query?.body.exprs ?? [];
}

function q1(src: string): string {
  const [e] = query(src);
  if (!e || e.expr.type === "SomeVars" || e.expr.type === "SomeIn" || e.expr.type === "Every") throw new Error("not a term");
  return sx(e.expr);
}

function mod(src: string, regoVersion: "v0" | "v1" = "v1"): Module {
  const r = parseModule(src, { file: "m.rego", regoVersion });
  expect(r.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`)).toEqual([]);
  if (!r.module) throw new Error("no module");
  return r.module;
}

function rule(src: string, regoVersion: "v0" | "v1" = "v1"): Rule {
  const m = mod(`package t\n${src}`, regoVersion);
  const r = m.rules[0];
  if (!r) throw new Error("no rule");
  return r;
}

describe("operator precedence (as OPA's grammar)", () => {
  it.each([
    ["1 + 2 * 3", "(plus 1 (mul 2 3))"],
    ["1 - 2 - 3", "(minus (minus 1 2) 3)"],
    ["8 / 4 % 3 * 2", "(mul (rem (div 8 4) 3) 2)"],
    ["(1 + 2) * 3", "(mul (plus 1 2) 3)"],
    ["a | b & c", "(or a (and b c))"],
    ["a & b - c", "(and a (minus b c))"],
    ["x == 1 + 2", "(equal x (plus 1 2))"],
    ["x < y == true", "(equal (lt x y) true)"],
    ["x in xs == true", "(internal.member_2 x (equal xs true))"],
    ["k, v in obj", "(internal.member_3 k v obj)"],
    ["x := 1 + 2", "(assign x (plus 1 2))"],
    ["x = y | z", "(eq x (or y z))"],
    ["x != -1", "(neq x -1)"],
    ["x - -1", "(minus x -1)"],
    ["1 / 0", "(div 1 0)"],
    ["f(x)[0].y", "(f x)[0].y"],
    ["data.p.f(1)", "(data.p.f 1)"],
    ["[1, 2][i]", "[1 2][i]"],
    ["a.b[c][\"d-e\"]", 'a.b[c]["d-e"]'],
  ])("%s", (src, want) => {
    expect(q1(src)).toBe(want);
  });

  it("keeps big and exotic numbers exact", () => {
    expect(q1("x = 123456789012345678901234567890")).toBe("(eq x 123456789012345678901234567890)");
    expect(q1("x = 1e400")).toBe("(eq x 1e400)");
    expect(q1("x = -.5")).toBe("(eq x -0.5)");
  });

  it("reads `set()` as the empty set and `{}` as the empty object", () => {
    expect(q1("x = set()")).toBe("(eq x #{})");
    expect(q1("x = {}")).toBe("(eq x {})");
    expect(q1('x = {1, "a"}')).toBe('(eq x #{1 "a"})');
  });

  it("prefers comprehensions for `{a | b}` and `[a | b]`", () => {
    const [e] = query("x = {a | b}");
    expect(e?.expr.type === "Call" && e.expr.args[1]?.type).toBe("SetComprehension");
    expect(q1("x = {(a | b)}")).toBe("(eq x #{(or a b)})");
    const [f] = query("x = [a | b, c]");
    expect(f?.expr.type === "Call" && sx(f.expr.args[1] as Term)).toBe("[(or a b) c]");
  });

  it("does not treat whitespace-separated brackets as refs", () => {
    expect(q1("x = a[1]")).toBe("(eq x a[1])");
    expect(parseQuery("x = a [1]").diagnostics[0]?.message).toBe("unexpected [ token: expected \\n or ; or eof");
    expect(parseQuery("x = [a [1]]").diagnostics[0]?.message).toBe('unexpected [ token: expected "," or "]"');
  });
});

describe("bodies and expressions", () => {
  it("separates expressions by newlines and semicolons", () => {
    expect(query("a; b\nc").map((e) => (e.expr.type === "Var" ? e.expr.name : "?"))).toEqual(["a", "b", "c"]);
  });

  it("parses some, every, not and chained with", () => {
    const es = query("some x, y\nsome k, v in obj\nsome z in zs\nnot p with input as 1 with data.a.b as {\"c\": 2}\nevery i, e in xs { e > i }");
    expect(es.map((e) => e.expr.type)).toEqual(["SomeVars", "SomeIn", "SomeIn", "Var", "Every"]);
    const [sv, si, sz, np, ev] = es;
    expect(sv?.expr.type === "SomeVars" && sv.expr.vars.map((v) => v.name)).toEqual(["x", "y"]);
    expect(si?.expr.type === "SomeIn" && [si.expr.key && sx(si.expr.key), sx(si.expr.value), sx(si.expr.collection)]).toEqual(["k", "v", "obj"]);
    expect(sz?.expr.type === "SomeIn" && sz.expr.key).toBeUndefined();
    expect(np?.negated).toBe(true);
    expect(np?.with.map((w) => `${sx(w.target)}=${sx(w.value)}`)).toEqual(["input=1", 'data.a.b={"c":2}']);
    expect(ev?.expr.type === "Every" && [ev.expr.key?.name, ev.expr.value.name, sx(ev.expr.domain), ev.expr.body.exprs.length]).toEqual(["i", "e", "xs", 1]);
  });

  it("parses template strings into text and expression parts", () => {
    const [e] = query('x = $"a {b + 1} \\{c} {d with input as 1}"');
    const t = e?.expr.type === "Call" ? e.expr.args[1] : undefined;
    if (t?.type !== "TemplateString") throw new Error("expected template");
    expect(t.raw).toBe(false);
    expect(t.parts.map((p) => (p.type === "TemplateText" ? p.value : p.type === "Expr" && p.expr.type === "Call" ? sx(p.expr) : p.type))).toEqual(["a ", "(plus b 1)", " {c} ", "Expr"]);
    const last = t.parts[3];
    expect(last?.type === "Expr" && last.with.length).toBe(1);
  });

  it("gives every node a span in the right file", () => {
    const r = parseModule("package t\n\np := [1,\n  2]\n", { file: "spans.rego" });
    const rule0 = r.module?.rules[0];
    expect(rule0?.span).toMatchObject({ file: "spans.rego", start: { line: 3, column: 1 }, end: { line: 4, column: 5 } });
    const arr = rule0?.head.value;
    expect(arr?.span).toMatchObject({ start: { line: 3, column: 6, offset: 16 }, end: { line: 4, column: 5 } });
    expect(arr?.type === "Array" && arr.items[1]?.span.start).toEqual({ offset: 22, line: 4, column: 3 });
  });
});

describe("rules", () => {
  it("classifies v1 rule forms", () => {
    const m = mod(`package t
p := 1
q = 2
r if input.x > 1
s contains x if { some x in [1] }
o[k] := v if { some k, v in {"a": 1} }
a.b.c := 1
a.b[k] := 1 if { k := "x" }
f(x) := x + 1
g(x) if { x > 1 }
default d := false
`);
    expect(m.rules.map((r) => r.kind)).toEqual(["complete", "complete", "complete", "partial-set", "partial-object", "complete", "partial-object", "function", "function", "complete"]);
    const [p, q, r, s, o, abc, , f, g, d] = m.rules;
    expect(p?.head).toMatchObject({ assign: true, value: { type: "Number", value: "1" } });
    expect(p?.bodyImplied).toBe(true);
    expect(q?.head.assign).toBe(false);
    expect(r?.if).toBe(true);
    expect(r?.head).toMatchObject({ valueImplied: true, value: { type: "Boolean", value: true } });
    expect(r?.body.exprs).toHaveLength(1);
    expect(s?.head).toMatchObject({ contains: true, key: { type: "Var", name: "x" }, ref: { type: "Var", name: "s" } });
    expect(s?.head.value).toBeUndefined();
    expect(o?.head.ref.type === "Ref" && sx(o.head.ref)).toBe("o[k]");
    expect(abc?.head.ref.type === "Ref" && sx(abc.head.ref)).toBe("a.b.c");
    expect(f?.head.args?.map(sx)).toEqual(["x"]);
    expect(g?.head.valueImplied).toBe(true);
    expect(d?.default).toBe(true);
  });

  it("reads v0 forms: p[x] { } partial sets, p[k] = v { } partial objects, several bodies", () => {
    const m = mod(
      `package t
p[x] { x := 1 }
o[k] = v { k := "a"; v := 1 }
multi { true } { false }
bare[1]
`,
      "v0",
    );
    expect(m.rules.map((r) => r.kind)).toEqual(["partial-set", "partial-object", "complete", "complete", "partial-set"]);
    expect(m.rules[0]?.head).toMatchObject({ ref: { type: "Var", name: "p" }, key: { type: "Var", name: "x" } });
    expect(m.rules[2]?.head).toEqual(m.rules[3]?.head);
    expect(m.rules[2]?.head).not.toBe(m.rules[3]?.head);
    expect(m.rules[4]?.bodyImplied).toBe(true);
    expect(m.v1Syntax).toBe(false);
  });

  it("in v1, p[x] if { } is a single-value rule p[x] = true", () => {
    const r = rule("p[x] if { x := 1 }");
    expect(r.kind).toBe("partial-object");
    expect(r.head.key).toBeUndefined();
    expect(r.head.valueImplied).toBe(true);
  });

  it("parses else chains, with and without values and if", () => {
    const r = rule("f(x) := 1 if { x > 1 } else := 2 if x > 0 else = 3");
    expect(r.else?.value && sx(r.else.value)).toBe("2");
    expect(r.else?.assign).toBe(true);
    expect(r.else?.body.exprs).toHaveLength(1);
    expect(r.else?.else).toMatchObject({ assign: false, value: { value: "3" } });
    expect(r.else?.else?.body.exprs).toEqual([]);
    const v0 = rule("p { false } else { true }", "v0");
    expect(v0.else?.value).toBeUndefined();
  });

  it("treats keywords as names in v0 unless imported, and reserves them in v1", () => {
    expect(rule("if = 1", "v0").head.ref).toMatchObject({ type: "Var", name: "if" });
    expect(rule("every[x] { x := in }", "v0").kind).toBe("partial-set");
    const imported = mod("package t\nimport future.keywords.if\nimport future.keywords.contains\np contains 1 if true", "v0");
    expect(imported.rules[0]?.head.contains).toBe(true);
    expect(imported.v1Syntax).toBe(false);
    const everyImportsIn = mod("package t\nimport future.keywords.every\np { every x in [1] { x } }", "v0");
    expect(everyImportsIn.rules[0]?.body.exprs[0]?.expr.type).toBe("Every");
    const regoV1 = mod("package t\nimport rego.v1\np contains 1 if true", "v0");
    expect(regoV1.v1Syntax).toBe(true);
    expect(parseModule("package t\nif := 1", { file: "m.rego" }).diagnostics[0]?.message).toBe("unexpected if keyword");
  });

  it("allows keywords as the first term of a ref and after dots", () => {
    const r = rule("p if { in.foo == input.if; contains.x; not.y }");
    expect(r.body.exprs.map((e) => (e.expr.type === "Call" || e.expr.type === "Ref" ? sx(e.expr) : e.expr.type))).toEqual(["(equal in.foo input.if)", "contains.x", "not.y"]);
  });

  it("records imports with aliases and package paths", () => {
    const m = mod('package a.b["c-d"]\nimport data.x.y as z\nimport input\nimport future.keywords\np := 1');
    expect(sx(m.package.path)).toBe('a.b["c-d"]');
    expect(m.imports.map((i) => `${sx(i.path)}${i.alias ? ` as ${i.alias.name}` : ""}`)).toEqual(["data.x.y as z", "input", "future.keywords"]);
  });

  it("attaches METADATA blocks to the following package or rule", () => {
    const m = mod("# METADATA\n# title: pkg\npackage t\n\n# METADATA\n#  description: indented\n#\n# custom: {a: 1}\np := 1\n\n# METADATA\n# title: dangling\n");
    expect(m.metadata.map((b) => [b.attachedTo, b.yaml])).toEqual([
      [{ kind: "package" }, "title: pkg\n"],
      [{ kind: "rule", index: 0 }, " description: indented\n\ncustom: {a: 1}\n"],
      [{ kind: "none" }, "title: dangling\n"],
    ]);
    expect(m.comments).toHaveLength(8);
  });

  it("parses opa-eval style queries", () => {
    expect(q1("data.x.p = y")).toBe("(eq data.x.p y)");
    expect(q1("data.p.f(1)")).toBe("(data.p.f 1)");
    expect(q1('x = $"{1}"').startsWith("(eq x ")).toBe(true);
    expect(query("data = x")).toHaveLength(1);
  });
});
