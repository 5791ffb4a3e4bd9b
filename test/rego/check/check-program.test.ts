/** The shape of the CheckedProgram: resolution, local renaming, reordering, the rule index. */
import type { Body, Expr, RefTerm, Term } from "../../../src/rego/parser/nodes.js";
import { classifyDataRef } from "../../../src/rego/check/classify-data-ref.js";
import { CHECK_STAGES } from "../../../src/rego/check/check-modules.js";
import type { CheckedProgram, CheckedRule } from "../../../src/rego/check/checked-program.js";
import { termText } from "../../../src/rego/check/term-utils.js";
import { brief, check } from "./check-helpers.js";

const T = "package test\n\n";

function ok(...sources: string[]): CheckedProgram {
  const r = check(...sources);
  expect(r.diagnostics.map(brief)).toEqual([]);
  return r.program!;
}

function rule(p: CheckedProgram, name: string, i = 0): CheckedRule {
  const g = p.rules[p.ruleIndex[name]!];
  if (!g) throw new Error(`no group ${name}`);
  return g.rules[i]!;
}

function exprText(e: Expr): string {
  const x = e.expr;
  let s: string;
  switch (x.type) {
    case "SomeVars":
      s = `some ${x.vars.map((v) => v.name).join(", ")}`;
      break;
    case "SomeIn":
      s = `some ${x.key ? `${termText(x.key)}, ` : ""}${termText(x.value)} in ${termText(x.collection)}`;
      break;
    case "Every":
      s = `every ${x.key ? `${x.key.name}, ` : ""}${x.value.name} in ${termText(x.domain)} { ${bodyText(x.body)} }`;
      break;
    default:
      s = termText(x);
  }
  return (e.negated ? "not " : "") + s + e.with.map((w) => ` with ${termText(w.target)} as ${termText(w.value)}`).join("");
}

function bodyText(b: Body): string {
  return b.exprs.map(exprText).join("; ");
}

describe("checked program", () => {
  it("runs named stages in OPA's order", () => {
    expect(CHECK_STAGES.map((s) => s.name)).toEqual([
      "resolve-refs",
      "rewrite-locals",
      "rego-metadata",
      "rule-index",
      "rule-conflicts",
      "recursion",
      "safety",
      "calls",
      "scopes",
      "types",
    ]);
  });

  it("reorders a body so bindings come before uses", () => {
    const p = ok(`${T}p := y if {\n\ty = x + 1\n\tx = 2\n}`);
    expect(bodyText(rule(p, "data.test.p").body)).toBe("eq(x, 2); eq(y, plus(x, 1))");
  });

  it("moves negations after the expressions binding their variables", () => {
    const p = ok(`${T}p if {\n\tnot data.a[x]\n\tx = 1\n}`);
    expect(bodyText(rule(p, "data.test.p").body)).toBe("eq(x, 1); not data.a[x]");
  });

  it("moves comprehensions after the expressions binding the variables they share", () => {
    const p = ok(`${T}p := ys if {\n\tys = [y | y = x]\n\tx = 1\n}`);
    expect(bodyText(rule(p, "data.test.p").body)).toBe("eq(x, 1); eq(ys, [y | …])");
  });

  it("orders comprehension and every bodies too", () => {
    const p = ok(`${T}p := [y | y = x + 1; x = 1]\nq if {\n\tevery v in [1] {\n\t\tw > v\n\t\tw = 2\n\t}\n}`);
    const head = rule(p, "data.test.p").head.value!;
    expect(head.type).toBe("ArrayComprehension");
    expect(bodyText((head as Extract<Term, { type: "ArrayComprehension" }>).body)).toBe("eq(x, 1); eq(y, plus(x, 1))");
    const every = rule(p, "data.test.q").body.exprs[0]!;
    expect(exprText(every)).toBe("every __local0__ in [1] { eq(w, 2); gt(w, __local0__) }");
  });

  it("renames declared locals, keeps what was written, and turns := into =", () => {
    const p = ok(`${T}p := x if {\n\tx := 1\n\tys := [x | some x in [2]]\n\tcount(ys) > 0\n}`);
    const r = rule(p, "data.test.p");
    expect(termText(r.head.value!)).toBe("__local0__");
    // The right-hand side is rewritten before the variable it assigns is declared.
    expect(r.localNames).toEqual({ __local0__: "x", __local1__: "x", __local2__: "ys" });
    expect(bodyText(r.body)).toBe("eq(__local0__, 1); eq(__local2__, [__local1__ | …]); gt(count(__local2__), 0)");
  });

  it("never generates a name the source already uses", () => {
    const p = ok(`${T}p := __local0__ if {\n\t__local0__ = 1\n\ty := 2\n\ty > 0\n}`);
    const r = rule(p, "data.test.p");
    expect(termText(r.head.value!)).toBe("__local0__");
    expect(Object.keys(r.localNames)).toEqual(["__local1__"]);
  });

  it("gives every wildcard its own name", () => {
    const p = ok(`${T}p if {\n\tdata.a[_] = data.b[_]\n}`);
    expect(bodyText(rule(p, "data.test.p").body)).toBe("eq(data.a[$0], data.b[$1])");
  });

  it("resolves same-package rules, imports and function calls to data refs", () => {
    const p = ok(
      `${T}import data.lib.util as u\nimport input.user\n\nq := 1\np if {\n\tq\n\tu.f(user.name)\n\tg(1)\n}\ng(x) := x`,
      "package lib.util\n\nf(x) := x",
    );
    expect(bodyText(rule(p, "data.test.p").body)).toBe("data.test.q; data.lib.util.f(input.user.name); data.test.g(1)");
    expect(p.modules[0]!.imports.map((i) => `${i.path.join(".")} as ${i.name}`)).toEqual([
      "data.lib.util as u",
      "input.user as user",
    ]);
  });

  it("lets locals shadow rules and imports", () => {
    const p = ok(`${T}q := 1\np := q if {\n\tq := 2\n}`);
    expect(bodyText(rule(p, "data.test.p").body)).toBe("eq(__local0__, 2)");
  });

  it("keeps builtin names, even inside a package that defines a rule with the same first segment", () => {
    const p = ok(`${T}time := 1\np := time.now_ns()`);
    const r = rule(p, "data.test.p");
    expect(bodyText(r.body)).toBe("eq(__local0__, time.now_ns())");
  });

  it("moves head refs and calls into the body", () => {
    const p = ok(`${T}xs := {1, 2}\nq := xs[_]\nf(x) := count(x)`);
    expect(termText(rule(p, "data.test.q").head.value!)).toBe("__local0__");
    expect(bodyText(rule(p, "data.test.q").body)).toBe("eq(__local0__, data.test.xs[$0])");
    expect(bodyText(rule(p, "data.test.f").body)).toBe("eq(__local1__, count(x))");
  });

  it("accepts functions replaced by functions with `with`", () => {
    const p = ok(`${T}f(_) := 2\np := y if {\n\ty = f([1]) with f as count\n}\nq := x if {\n\tx = time.now_ns() with time.now_ns as opa.runtime\n}`);
    expect(bodyText(rule(p, "data.test.p").body)).toBe("eq(y, data.test.f([1])) with data.test.f as count");
  });

  it("indexes rules by path with kinds, arity, defaults, dependencies and an evaluation order", () => {
    const p = ok(
      `${T}default allow := false\nallow if count(violations) == 0\nviolations contains msg if {\n\tsome c in input.containers\n\tnot ok(c)\n\tmsg := c.name\n}\nok(c) if c.image != ""\nlabels[k] := v if some k, v in input.labels\na.b.c := 1`,
    );
    expect(p.rules.map((g) => `${g.name}:${g.kind}${g.arity === undefined ? "" : `/${g.arity}`}`)).toEqual([
      "data.test.a.b.c:complete",
      "data.test.allow:complete",
      "data.test.labels:partial-object",
      "data.test.ok:function/1",
      "data.test.violations:partial-set",
    ]);
    const allow = p.rules[p.ruleIndex["data.test.allow"]!]!;
    expect(allow.defaultRule?.default).toBe(true);
    expect(allow.rules).toHaveLength(1);
    expect(allow.dependsOn).toEqual(["data.test.violations"]);
    expect(p.rules[p.ruleIndex["data.test.violations"]!]!.dependsOn).toEqual(["data.test.ok"]);
    const order = p.evaluationOrder;
    expect(order.indexOf("data.test.ok")).toBeLessThan(order.indexOf("data.test.violations"));
    expect(order.indexOf("data.test.violations")).toBeLessThan(order.indexOf("data.test.allow"));
    expect(p.packages).toEqual(["data.test"]);
    expect(Object.keys(p.functions)).toEqual(["data.test.ok"]);
    expect(p.ruleTypes["data.test.a.b.c"]).toEqual({ kind: "number" });
  });

  it("treats rules under a data ref with variables as dependencies only when their path can match", () => {
    const p = ok("package test\n\np := data[x].allow if x := \"primary\"", "package primary\n\nallow := true", "package other\n\ndeny := true");
    expect(p.rules[p.ruleIndex["data.test.p"]!]!.dependsOn).toEqual(["data.primary.allow"]);
  });

  it("does not trust rule types where `with` may replace the value, or where clauses disagree", () => {
    const p = ok(
      `${T}q := 1\np if {\n\tcount(data.test.q) > 0 with data.test.q as [1]\n}\nr := 1 if false\nelse := "a"\ns if upper(r)`,
    );
    expect(p.ruleTypes["data.test.r"]).toEqual({ kind: "any", of: [{ kind: "number" }, { kind: "string" }] });
  });

  it("produces plain JSON data", () => {
    const p = ok(`${T}p := x if {\n\tx := [y | some y in input.ys]\n}`);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});

describe("classifyDataRef", () => {
  const T2 = "package x\n\n";
  const p = (() => {
    const r = check(`${T2}p := 1\nq contains 1\na.b.c := 2`, "package y\n\nallow := true");
    return r.program!;
  })();
  const ref = (text: string): RefTerm => {
    const r = check(`package probe\n\nz := ${text}`);
    const body = r.program!.rules[0]!.rules[0]!.body;
    const eq = body.exprs[0]!.expr as Extract<Term, { type: "Call" }>;
    return eq.args[1] as RefTerm;
  };

  it("tells virtual, base and mixed reads apart", () => {
    expect(classifyDataRef(p, ref("data.x.p"))).toEqual({ groups: ["data.x.p"], readsBase: false });
    expect(classifyDataRef(p, ref("data.x.a.b.c.d"))).toEqual({ groups: ["data.x.a.b.c"], readsBase: false });
    expect(classifyDataRef(p, ref("data.x"))).toEqual({ groups: ["data.x.a.b.c", "data.x.p", "data.x.q"], readsBase: true });
    expect(classifyDataRef(p, ref("data.config.limit"))).toEqual({ groups: [], readsBase: true });
    expect(classifyDataRef(p, ref("data[k].allow"))).toEqual({ groups: ["data.y.allow"], readsBase: true });
    expect(classifyDataRef(p, ref("input.x"))).toEqual({ groups: [], readsBase: false });
  });
});
