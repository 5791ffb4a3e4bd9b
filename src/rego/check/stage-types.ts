/**
 * Stage 9: the static type errors OPA reports (rego_type_error), on the safety-ordered bodies.
 *
 * Variable types flow in evaluation order: a variable unified with a typed term (`x := [1, 2]`) or bound as
 * a builtin's output (`count(xs, n)`, `n := count(xs)`) takes that type. Then:
 * - a builtin argument whose type cannot unify with the declared parameter:
 *   `count: invalid argument(s)` with `have: (number)` / `want: (any<string, array[any], object[any: any],
 *   set[any]>)` lines (this covers arithmetic operands: `"a" + 1` is `plus: invalid argument(s)`);
 * - a unification of two terms whose types cannot unify: `match error` with `left  : …` / `right : …`
 *   lines (`x := 1; x = "a"`, `[a, b] = [1]`).
 * Unknown types (`any`: input, base documents, user function results) never produce errors. Rules are
 * checked in evaluation order, recording the value type of each complete rule (`ruleTypes`: the union of
 * its head, else and default values), so refs to it are typed (`count(data.x.q)` with `q := 1` is an
 * error). Inside an expression with `with` modifiers rule values may be replaced, so refs there stay `any`.
 */
import type { Body, CallTerm, ElseClause, Expr, Term } from "../parser/nodes.js";
import { lookupBuiltin } from "../builtins/builtin-table.js";
import { printType, T_BOOLEAN, typesUnify, unionOf, type RegoType } from "../builtins/rego-type.js";
import type { CheckContext, RuleState } from "./check-context.js";
import { operatorName, refGroundPrefix } from "./term-utils.js";
import { termType, type RuleRefTyper } from "./type-infer.js";

export function typesStage(ctx: CheckContext): void {
  // Groups in evaluation order, so a rule's value type is known before the rules that refer to it.
  for (const name of ctx.evaluationOrder) {
    const g = ctx.groups.get(name);
    if (!g) continue;
    const all = g.defaultRule ? [g.defaultRule, ...g.rules] : g.rules;
    const values: RegoType[] = [];
    for (const rule of all) checkRule(ctx, rule, values);
    if (g.kind === "complete" && values.length === all.length + countElses(all)) {
      ctx.ruleTypes.set(name, unionOf(values));
    }
  }
}

function countElses(rules: RuleState[]): number {
  let n = 0;
  for (const r of rules) for (let e = r.else; e; e = e.else) n++;
  return n;
}

/** Checks one rule; pushes the types of its head value and else values onto `values`. */
function checkRule(ctx: CheckContext, rule: RuleState, values: RegoType[]): void {
  const checker = new TypeChecker(ctx);
  const env = new Map<string, RegoType>();
  checker.body(rule.body, env);
  if (rule.head.key) checker.term(rule.head.key, env);
  if (rule.head.value) {
    checker.term(rule.head.value, env);
    values.push(checker.typeOf(rule.head.value, env));
  } else {
    values.push(T_BOOLEAN);
  }
  for (let e: ElseClause | undefined = rule.else; e; e = e.else) {
    const envElse = new Map<string, RegoType>();
    checker.body(e.body, envElse);
    if (e.value) {
      checker.term(e.value, envElse);
      values.push(checker.typeOf(e.value, envElse));
    } else {
      values.push(T_BOOLEAN);
    }
  }
}

class TypeChecker {
  /** False while checking an expression with `with` modifiers: they may replace rule values. */
  private useRuleTypes = true;

  constructor(private readonly ctx: CheckContext) {}

  /** The static type of a term; refs to complete rules whose value type is known use it. */
  typeOf(t: Term, env: Map<string, RegoType>): RegoType {
    return termType(t, env, this.useRuleTypes ? this.ruleRefType : undefined);
  }

  private readonly ruleRefType: RuleRefTyper = (ref) => {
    if (ref.head.type !== "Var" || ref.head.name !== "data") return undefined;
    const g = this.ctx.groupForPath(refGroundPrefix(ref));
    const type = g && this.ctx.ruleTypes.get(g.name);
    return g && type ? { type, consumed: g.path.length - 1 } : undefined;
  };

  body(b: Body, env: Map<string, RegoType>): void {
    for (const e of b.exprs) this.expr(e, env);
  }

  private expr(e: Expr, env: Map<string, RegoType>): void {
    const saved = this.useRuleTypes;
    if (e.with.length > 0) this.useRuleTypes = false;
    try {
      this.exprInner(e, env);
    } finally {
      this.useRuleTypes = saved;
    }
  }

  private exprInner(e: Expr, env: Map<string, RegoType>): void {
    const x = e.expr;
    for (const w of e.with) this.term(w.value, env);
    switch (x.type) {
      case "SomeVars":
        return;
      case "SomeIn":
        this.term(x.collection, env);
        return;
      case "Every": {
        this.term(x.domain, env);
        this.body(x.body, new Map(env));
        return;
      }
      case "Call":
        this.call(x, env, !e.negated, true);
        return;
      default:
        this.term(x, env);
    }
  }

  /** Checks calls nested anywhere in `t`. */
  term(t: Term, env: Map<string, RegoType>): void {
    switch (t.type) {
      case "Call":
        this.call(t, env, false, false);
        return;
      case "Ref":
        this.term(t.head, env);
        t.path.forEach((p) => this.term(p, env));
        return;
      case "Array":
      case "Set":
        t.items.forEach((i) => this.term(i, env));
        return;
      case "Object":
        t.entries.forEach((en) => {
          this.term(en.key, env);
          this.term(en.value, env);
        });
        return;
      case "ArrayComprehension":
      case "SetComprehension": {
        const inner = new Map(env);
        this.body(t.body, inner);
        this.term(t.term, inner);
        return;
      }
      case "ObjectComprehension": {
        const inner = new Map(env);
        this.body(t.body, inner);
        this.term(t.key, inner);
        this.term(t.value, inner);
        return;
      }
      case "TemplateString":
        for (const p of t.parts) if (p.type === "Expr") this.expr(p, new Map(env));
        return;
      default:
        return;
    }
  }

  private call(c: CallTerm, env: Map<string, RegoType>, bind: boolean, topLevel: boolean): void {
    c.args.forEach((a) => this.term(a, env));
    const name = operatorName(c.operator);
    if (name === undefined) return;
    if ((name === "eq" || name === "assign") && c.args.length === 2 && topLevel) {
      this.unify(c, c.args[0] as Term, c.args[1] as Term, env, bind);
      return;
    }
    if (c.operator.type === "Ref" && c.operator.head.type === "Var" && c.operator.head.name === "data") return;
    const b = lookupBuiltin(name);
    if (!b || b.decl.variadic) return;
    const params = b.decl.args;
    if (c.args.length < params.length) return; // arity errors come from the calls stage
    const have = c.args.slice(0, params.length).map((a) => this.typeOf(a, env));
    if (have.some((t, i) => !typesUnify(t, params[i] as RegoType))) {
      this.ctx.error(
        "rego_type_error",
        `${name}: invalid argument(s)\n\thave: (${have.map(printType).join(", ")})\n\twant: (${[...params, ...(b.decl.result ? [b.decl.result] : [])].map(printType).join(", ")})`,
        c.span,
      );
      return;
    }
    const out = c.args[params.length];
    if (bind && out && b.decl.result && c.args.length === params.length + 1) this.bindOutput(out, b.decl.result, env);
  }

  private unify(c: CallTerm, a: Term, b: Term, env: Map<string, RegoType>, bind: boolean): void {
    const ta = this.typeOf(a, env);
    const tb = this.typeOf(b, env);
    if (!typesUnify(ta, tb)) {
      this.ctx.error("rego_type_error", `match error\n\tleft  : ${printType(ta)}\n\tright : ${printType(tb)}`, c.span);
      return;
    }
    if (!bind) return;
    if (a.type === "Var" && !env.has(a.name)) this.bindOutput(a, tb, env);
    else if (b.type === "Var" && !env.has(b.name)) this.bindOutput(b, ta, env);
  }

  private bindOutput(t: Term, type: RegoType, env: Map<string, RegoType>): void {
    if (t.type === "Var" && !env.has(t.name) && !t.name.startsWith("$")) env.set(t.name, type);
  }
}

