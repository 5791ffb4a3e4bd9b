/**
 * Stage 2: local variable rewriting and shadowing checks.
 *
 * Walks each rule in evaluation scope order (body before head, comprehension bodies before their heads) and
 * gives every declared local (`x := …`, `some x`, `some x in …`, `every k, v in …`) a unique generated name,
 * so that later stages and the planner never see two different variables with one name. `assign` becomes
 * `eq`. Every `_` becomes a unique `$N`.
 *
 * Errors, with OPA's messages (rego_compile_error):
 * - `var x assigned above` / `var x declared above` / `var x referenced above`: a declaration of a name that
 *   the same scope already assigned, declared, or used;
 * - `arg x redeclared`: a function parameter declared again in the body;
 * - `cannot assign to ref` (call, number, …): the left side of `:=` is not a variable or composite of them;
 * - `variables must not shadow input|data (use a different variable name)`.
 *
 * Nested scopes (comprehensions, `every` bodies) may shadow outer names: that declares a new variable.
 */
import type { Body, ElseClause, Expr, RuleHead, Term, VarTerm } from "../parser/nodes.js";
import type { CheckContext, RuleState } from "./check-context.js";
import { isOperator } from "./stage-resolve-refs.js";
import { makeVar, mapChildren, mapSame } from "./term-utils.js";

type Occurrence = "assigned" | "declared" | "arg" | "seen";

interface Binding {
  gen: string;
  occ: Occurrence;
}

class Scopes {
  private readonly stack: Array<Map<string, Binding>> = [];

  push(): void {
    this.stack.push(new Map());
  }

  pop(): void {
    this.stack.pop();
  }

  top(): Map<string, Binding> {
    return this.stack[this.stack.length - 1] as Map<string, Binding>;
  }

  lookup(name: string): Binding | undefined {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const b = (this.stack[i] as Map<string, Binding>).get(name);
      if (b) return b;
    }
    return undefined;
  }
}

export function rewriteLocalsStage(ctx: CheckContext): void {
  for (const rule of ctx.rules) new LocalRewriter(ctx, rule).run();
}

class LocalRewriter {
  private readonly scopes = new Scopes();
  /** Kinds of the nested scopes currently open (empty at rule body level). */
  private readonly nesting: Array<"every" | "comprehension"> = [];

  constructor(
    private readonly ctx: CheckContext,
    private readonly rule: RuleState,
  ) {}

  run(): void {
    const rule = this.rule;
    this.scopes.push();
    const args = rule.head.args?.map((a) => this.declarePattern(a, "arg"));
    const body = this.body(rule.body);
    rule.head = this.head(rule.head, args);
    rule.body = body;
    this.scopes.pop();
    if (rule.else) rule.else = this.elseClause(rule.else, rule.head.args ?? []);
    if (!rule.default) this.hoistHeadTerms();
  }

  /**
   * Moves head keys/values that contain refs or calls into the body, as OPA does (`q := xs[_]` becomes
   * `q := __local0__ if { __local0__ = xs[_] }`): the ref's variables are then bound like any body variable,
   * and the planner only sees plain head terms.
   */
  private hoistHeadTerms(): void {
    const rule = this.rule;
    const hoist = (t: Term | undefined, body: Body): { term: Term | undefined; body: Body } => {
      if (!t || !needsHoisting(t)) return { term: t, body };
      const v = makeVar(this.ctx.newLocal(), t.span);
      rule.hoisted.add(v.name);
      const eq: Expr = {
        type: "Expr",
        span: t.span,
        negated: false,
        expr: { type: "Call", span: t.span, operator: makeVar("eq", t.span), args: [v, t], infix: "=" },
        with: [],
      };
      return { term: v, body: { ...body, exprs: [...body.exprs, eq] } };
    };
    let r = hoist(rule.head.key, rule.body);
    const head = { ...rule.head };
    if (r.term) head.key = r.term;
    r = hoist(rule.head.value, r.body);
    if (r.term) head.value = r.term;
    rule.head = head;
    rule.body = r.body;
    for (let e = rule.else; e; e = e.else) {
      const x = hoist(e.value, e.body);
      if (x.term) e.value = x.term;
      e.body = x.body;
    }
  }

  private elseClause(e: ElseClause, args: Term[]): ElseClause {
    this.scopes.push();
    for (const a of args) this.reDeclareArgs(a);
    const body = this.body(e.body);
    const out: ElseClause = { ...e, body };
    if (e.value) out.value = this.use(e.value);
    this.scopes.pop();
    if (e.else) out.else = this.elseClause(e.else, args);
    return out;
  }

  /** Makes already-rewritten parameters visible in an else scope. */
  private reDeclareArgs(t: Term): void {
    if (t.type === "Var") this.scopes.top().set(t.name, { gen: t.name, occ: "arg" });
    else if (t.type === "Array" || t.type === "Set") t.items.forEach((i) => this.reDeclareArgs(i));
    else if (t.type === "Object") t.entries.forEach((e) => this.reDeclareArgs(e.value));
  }

  private head(h: RuleHead, args: Term[] | undefined): RuleHead {
    const out: RuleHead = { ...h, ref: this.use(h.ref) as RuleHead["ref"] };
    if (args) out.args = args;
    if (h.key) out.key = this.use(h.key);
    if (h.value) out.value = this.use(h.value);
    return out;
  }

  private body(b: Body): Body {
    const exprs = mapSame(b.exprs, (e) => this.expr(e));
    return exprs === b.exprs ? b : { ...b, exprs };
  }

  private expr(e: Expr): Expr {
    const x = e.expr;
    const withs = mapSame(e.with, (w) => {
      const value = this.use(w.value);
      return value === w.value ? w : { ...w, value };
    });
    switch (x.type) {
      case "SomeVars":
        return { ...e, expr: { ...x, vars: x.vars.map((v) => this.declareVar(v, "declared")) }, with: withs };
      case "SomeIn": {
        const collection = this.use(x.collection);
        const key = x.key ? this.declarePattern(x.key, "declared") : undefined;
        const value = this.declarePattern(x.value, "declared");
        const s: typeof x = { ...x, value, collection };
        if (key) s.key = key;
        return { ...e, expr: s, with: withs };
      }
      case "Every": {
        const domain = this.use(x.domain);
        this.scopes.push();
        this.nesting.push("every");
        const key = x.key ? this.declareVar(x.key, "declared") : undefined;
        // `every x, x in …` is reported by the scopes stage; declare the name once here.
        const value = key && x.value.name !== "_" && x.key?.name === x.value.name ? { ...x.value, name: key.name } : this.declareVar(x.value, "declared");
        const body = this.body(x.body);
        this.nesting.pop();
        this.scopes.pop();
        const ev: typeof x = { ...x, value, domain, body };
        if (key) ev.key = key;
        return { ...e, expr: ev, with: withs };
      }
      default:
        break;
    }
    if (x.type === "Call" && isOperator(x.operator, "assign") && x.args.length === 2) {
      const [lhs, rhs] = x.args as [Term, Term];
      const value = this.use(rhs);
      const target = this.assignTarget(lhs);
      const op: VarTerm = makeVar("eq", x.operator.span);
      return { ...e, expr: { ...x, operator: op, args: [target, value], infix: "=" }, with: withs };
    }
    const expr = this.use(x);
    return expr === x && withs === e.with ? e : { ...e, expr, with: withs };
  }

  private assignTarget(t: Term): Term {
    switch (t.type) {
      case "Var":
        return this.declareVar(t, "assigned");
      case "Array":
        return { ...t, items: t.items.map((i) => this.assignTarget(i)) };
      case "Object":
        return { ...t, entries: t.entries.map((en) => ({ ...en, value: this.assignTarget(en.value) })) };
      case "Null":
      case "Boolean":
      case "Number":
      case "String":
        return t;
      default:
        this.ctx.error("rego_compile_error", `cannot assign to ${termTypeName(t)}`, t.span);
        return t;
    }
  }

  /** Declares every variable of a pattern (`[a, b]`, `{"k": v}`); other terms are uses. */
  private declarePattern(t: Term, occ: Occurrence): Term {
    switch (t.type) {
      case "Var":
        return this.declareVar(t, occ);
      case "Array":
        return { ...t, items: t.items.map((i) => this.declarePattern(i, occ)) };
      case "Set":
        return { ...t, items: t.items.map((i) => this.declarePattern(i, occ)) };
      case "Object":
        return { ...t, entries: t.entries.map((en) => ({ ...en, key: this.use(en.key), value: this.declarePattern(en.value, occ) })) };
      default:
        return this.use(t);
    }
  }

  private declareVar(v: VarTerm, occ: Occurrence): VarTerm {
    if (v.name === "_") return this.wildcard(v);
    if (v.name === "input" || v.name === "data") {
      this.ctx.error("rego_compile_error", `variables must not shadow ${v.name} (use a different variable name)`, v.span);
      return v;
    }
    const top = this.scopes.top();
    const prev = top.get(v.name);
    if (prev) {
      const message =
        prev.occ === "seen"
          ? `var ${v.name} referenced above`
          : prev.occ === "assigned"
            ? `var ${v.name} assigned above`
            : prev.occ === "declared"
              ? `var ${v.name} declared above`
              : `arg ${v.name} redeclared`;
      this.ctx.error("rego_compile_error", message, v.span);
    }
    if (occ === "arg") {
      top.set(v.name, { gen: v.name, occ });
      return v;
    }
    const gen = this.ctx.newLocal();
    this.rule.localNames.set(gen, v.name);
    const nested = this.nesting[this.nesting.length - 1];
    if (nested) this.rule.nestedDecls.push({ name: v.name, span: v.span, scope: nested });
    top.set(v.name, { gen, occ });
    return { ...v, name: gen };
  }

  private wildcard(v: VarTerm): VarTerm {
    const gen = this.ctx.newWildcard();
    this.rule.localNames.set(gen, "_");
    return { ...v, name: gen };
  }

  /** Rewrites variable uses in a term (declarations inside comprehensions are handled in their scope). */
  private use(t: Term): Term {
    switch (t.type) {
      case "Var": {
        if (t.name === "_") return this.wildcard(t);
        const b = this.scopes.lookup(t.name);
        if (b) return b.gen === t.name ? t : { ...t, name: b.gen };
        if (t.name !== "data" && t.name !== "input") this.scopes.top().set(t.name, { gen: t.name, occ: "seen" });
        return t;
      }
      case "Ref":
      case "Call":
      case "Array":
      case "Set":
      case "Object":
        return mapChildren(t, (c) => this.use(c));
      case "ArrayComprehension":
      case "SetComprehension": {
        this.scopes.push();
        this.nesting.push("comprehension");
        const body = this.body(t.body);
        const term = this.use(t.term);
        this.nesting.pop();
        this.scopes.pop();
        return { ...t, term, body };
      }
      case "ObjectComprehension": {
        this.scopes.push();
        this.nesting.push("comprehension");
        const body = this.body(t.body);
        const key = this.use(t.key);
        const value = this.use(t.value);
        this.nesting.pop();
        this.scopes.pop();
        return { ...t, key, value, body };
      }
      case "TemplateString": {
        const parts = mapSame(t.parts, (p) => (p.type === "Expr" ? this.expr(p) : p));
        return parts === t.parts ? t : { ...t, parts };
      }
      default:
        return t;
    }
  }
}

/** A head term with a ref or call outside closures (a term that must be evaluated, not just built). */
function needsHoisting(t: Term): boolean {
  switch (t.type) {
    case "Ref":
    case "Call":
    case "TemplateString":
      return true;
    case "Array":
    case "Set":
      return t.items.some(needsHoisting);
    case "Object":
      return t.entries.some((e) => needsHoisting(e.key) || needsHoisting(e.value));
    default:
      return false;
  }
}

function termTypeName(t: Term): string {
  switch (t.type) {
    case "Ref":
      return "ref";
    case "Call":
      return "call";
    case "Set":
      return "set";
    case "ArrayComprehension":
      return "arraycomprehension";
    case "SetComprehension":
      return "setcomprehension";
    case "ObjectComprehension":
      return "objectcomprehension";
    case "TemplateString":
      return "templatestring";
    default:
      return t.type.toLowerCase();
  }
}
