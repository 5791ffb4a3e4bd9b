/**
 * Stage 8: scoping of `some` and `every`.
 *
 * Variables declared inside an `every` (its key/value and anything its body declares) or inside a
 * comprehension belong to that nested scope: the enclosing body and the rule head never see them. Uses
 * outside are left unbound and the safety stage reports them as unsafe; this stage explains such
 * diagnostics by pointing at the nested declaration (a related span: `x is declared inside every here and
 * is not visible outside it`).
 *
 * It also rejects `every` whose key and value are the same variable
 * (rego_compile_error `every: key and value must be different variables`). It reads only the source and
 * the declarations stage 2 recorded, so it runs even after the safety stage failed.
 */
import type { Body, ElseClause, Expr, Term } from "../parser/nodes.js";
import type { CheckContext, RuleState } from "./check-context.js";
import { walkBodyTerms, walkTerms } from "./term-utils.js";

const UNSAFE = /^var (\S+) is unsafe$/;

export function scopesStage(ctx: CheckContext): void {
  for (const rule of ctx.rules) {
    // `every x, x in …` declares x (recorded as a nested declaration): rules without any skip the walk.
    if (!rule.nestedDecls.some((d) => d.scope === "every")) continue;
    checkEveryVars(ctx, rule.source.body);
    for (let e: ElseClause | undefined = rule.source.else; e; e = e.else) checkEveryVars(ctx, e.body);
  }
  for (const d of ctx.diagnostics) {
    if (d.code !== "rego_unsafe_var_error") continue;
    const m = UNSAFE.exec(d.message);
    if (!m) continue;
    const rule = ruleAt(ctx, d.span.file, d.span.start.offset);
    if (!rule) continue;
    const decl = rule.nestedDecls.find((n) => n.name === m[1] && n.span.start.offset !== d.span.start.offset);
    if (!decl) continue;
    const where = decl.scope === "every" ? "inside every" : "inside a comprehension";
    (d.related ??= []).push({
      message: `${decl.name} is declared ${where} here and is not visible outside it`,
      span: decl.span,
    });
  }
}

function ruleAt(ctx: CheckContext, file: string, offset: number): RuleState | undefined {
  return ctx.rules.find(
    (r) => r.file === file && r.source.span.start.offset <= offset && offset <= r.source.span.end.offset,
  );
}

function checkEveryVars(ctx: CheckContext, body: Body): void {
  forEachExpr(body, (e: Expr) => {
    const x = e.expr;
    if (x.type === "Every" && x.key && x.key.name === x.value.name && x.key.name !== "_") {
      ctx.error("rego_compile_error", "every: key and value must be different variables", x.value.span);
    }
  });
}

/** Calls `fn` on every expression of a body, including those nested in `every` bodies and comprehensions. */
function forEachExpr(body: Body, fn: (e: Expr) => void): void {
  for (const e of body.exprs) {
    fn(e);
    if (e.expr.type === "Every") forEachExpr(e.expr.body, fn);
  }
  const nested: Body[] = [];
  const top = { ...body, exprs: body.exprs.filter((e) => e.expr.type !== "Every") };
  for (const e of body.exprs) if (e.expr.type === "Every") collectClosures(e.expr.domain, nested);
  walkBodyTerms(top, (t: Term) => {
    if (t.type === "ArrayComprehension" || t.type === "SetComprehension" || t.type === "ObjectComprehension") {
      nested.push(t.body);
      return false;
    }
    return true;
  });
  for (const b of nested) forEachExpr(b, fn);
}

function collectClosures(t: Term, out: Body[]): void {
  walkTerms(t, (x) => {
    if (x.type === "ArrayComprehension" || x.type === "SetComprehension" || x.type === "ObjectComprehension") {
      out.push(x.body);
      return false;
    }
    return true;
  });
}
