/**
 * Stage 7: function calls (rego_type_error unless noted).
 * - `undefined function foo`: neither a builtin nor a user function (for `data.…` calls: no function rule
 *   at that path);
 * - `count: too many arguments` / `count: too few arguments` (with `have:`/`want:` lines): a call of a builtin
 *   or user function with the wrong number of arguments. A call written as an expression may pass one extra
 *   argument, the output (`count(xs, n)`); a call nested in another term may not;
 * - `deprecated built-in function calls in expression: any`: deprecated builtins in v1 modules (as OPA's v1
 *   compiler reports them);
 * - `data.x.f: arity mismatch`: `with` replacing a function by a function of another arity;
 * - `with` targets must be `input…`, `data…`, or the name of a function or builtin
 *   (rego_compile_error `with keyword target must reference existing input, data, or a function`).
 */
import type { Body, CallTerm, ElseClause, Expr, RefTerm, Term, VarTerm, With } from "../parser/nodes.js";
import { lookupBuiltin } from "../builtins/builtin-table.js";
import { printType, T_ANY, type FunctionType } from "../builtins/rego-type.js";
import type { CheckContext, RuleState } from "./check-context.js";
import { operatorName, refStringPath } from "./term-utils.js";
import { termType } from "./type-infer.js";

export function callsStage(ctx: CheckContext): void {
  for (const rule of ctx.rules) {
    const mod = ctx.modules[rule.module];
    const rejectDeprecated = ctx.opts.rejectDeprecatedBuiltins ?? mod?.v1 ?? true;
    new CallChecker(ctx, rule, rejectDeprecated).run();
  }
}

class CallChecker {
  constructor(
    private readonly ctx: CheckContext,
    private readonly rule: RuleState,
    private readonly rejectDeprecated: boolean,
  ) {}

  run(): void {
    const r = this.rule;
    if (r.head.ref.type === "Ref") r.head.ref.path.forEach((p) => this.term(p));
    r.head.args?.forEach((a) => this.term(a));
    if (r.head.key) this.term(r.head.key);
    if (r.head.value) this.term(r.head.value);
    this.body(r.body);
    for (let e: ElseClause | undefined = r.else; e; e = e.else) {
      if (e.value) this.term(e.value);
      this.body(e.body);
    }
  }

  private body(b: Body): void {
    for (const e of b.exprs) this.expr(e);
  }

  private expr(e: Expr): void {
    const x = e.expr;
    switch (x.type) {
      case "SomeVars":
        break;
      case "SomeIn":
        if (x.key) this.term(x.key);
        this.term(x.value);
        this.term(x.collection);
        break;
      case "Every":
        this.term(x.domain);
        this.body(x.body);
        break;
      case "Call":
        this.call(x, true);
        break;
      default:
        this.term(x);
    }
    for (const w of e.with) {
      this.withTarget(w);
      this.term(w.value);
    }
  }

  private term(t: Term): void {
    switch (t.type) {
      case "Call":
        this.call(t, false);
        return;
      case "Ref":
        this.term(t.head);
        t.path.forEach((p) => this.term(p));
        return;
      case "Array":
      case "Set":
        t.items.forEach((i) => this.term(i));
        return;
      case "Object":
        t.entries.forEach((en) => {
          this.term(en.key);
          this.term(en.value);
        });
        return;
      case "ArrayComprehension":
      case "SetComprehension":
        this.term(t.term);
        this.body(t.body);
        return;
      case "ObjectComprehension":
        this.term(t.key);
        this.term(t.value);
        this.body(t.body);
        return;
      case "TemplateString":
        for (const p of t.parts) if (p.type === "Expr") this.expr(p);
        return;
      default:
        return;
    }
  }

  private call(c: CallTerm, topLevel: boolean): void {
    c.args.forEach((a) => this.term(a));
    const name = operatorName(c.operator);
    if (name === undefined) {
      this.ctx.error("rego_type_error", "undefined function", c.operator.span);
      return;
    }
    let decl: FunctionType;
    if (c.operator.type === "Ref" && c.operator.head.type === "Var" && c.operator.head.name === "data") {
      const g = this.ctx.groups.get(name);
      if (!g || g.kind !== "function") {
        this.ctx.error("rego_type_error", `undefined function ${name}`, c.operator.span);
        return;
      }
      const arity = g.arity ?? 0;
      decl = { kind: "function", args: Array.from({ length: arity }, () => T_ANY), result: T_ANY };
    } else {
      const b = lookupBuiltin(name);
      if (!b) {
        this.ctx.error("rego_type_error", `undefined function ${name}`, c.operator.span);
        return;
      }
      if (b.deprecated && this.rejectDeprecated) {
        this.ctx.error("rego_type_error", `deprecated built-in function calls in expression: ${name}`, c.operator.span);
      }
      decl = b.decl;
    }
    if (decl.variadic) return;
    const max = decl.args.length + (topLevel && decl.result ? 1 : 0);
    const min = decl.args.length;
    if (c.args.length > max || c.args.length < min) {
      const what = c.args.length > max ? "too many arguments" : "too few arguments";
      const have = `(${c.args.map((a) => printType(termType(a, new Map()))).join(", ")})`;
      const want = wantText(decl);
      this.ctx.error("rego_type_error", `${name}: ${what}\n\thave: ${have}\n\twant: ${want}`, c.span);
    }
  }

  private withTarget(w: With): void {
    const t = w.target;
    const targetFn = this.functionType(t);
    if (targetFn) {
      // A function replaced by another function must take as many arguments.
      const valueFn = w.value.type === "Var" || w.value.type === "Ref" ? this.functionType(w.value) : undefined;
      if (valueFn && valueFn.args.length !== targetFn.args.length && !targetFn.variadic && !valueFn.variadic) {
        const have = `(${valueFn.args.map(printType).join(", ")})`;
        this.ctx.error(
          "rego_type_error",
          `${operatorName(t) ?? "function"}: arity mismatch\n\thave: ${have}\n\twant: ${wantText(targetFn)}`,
          w.span,
        );
      }
      return;
    }
    const root = t.type === "Var" ? t.name : t.head.type === "Var" ? t.head.name : undefined;
    if (root === "input" || root === "data") return;
    this.ctx.error(
      "rego_compile_error",
      "with keyword target must reference existing input, data, or a function",
      t.span,
    );
  }

  /** The signature of a builtin or user function named by `t`, if it names one. */
  private functionType(t: VarTerm | RefTerm): FunctionType | undefined {
    const name = t.type === "Var" ? t.name : refStringPath(t)?.join(".");
    if (name === undefined) return undefined;
    if (name.startsWith("data.")) {
      const g = this.ctx.groups.get(name);
      if (g?.kind !== "function") return undefined;
      return { kind: "function", args: Array.from({ length: g.arity ?? 0 }, () => T_ANY), result: T_ANY };
    }
    return lookupBuiltin(name)?.decl;
  }
}

/** OPA's `want:` line: the parameters followed by the result (the optional output argument). */
function wantText(decl: FunctionType): string {
  const all = decl.result ? [...decl.args, decl.result] : [...decl.args];
  return `(${all.map(printType).join(", ")})`;
}
