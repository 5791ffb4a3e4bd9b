/**
 * Stage 6: safety, with body reordering (OPA's `reorderBodyForSafety` and `reorderBodyForClosures`).
 *
 * A variable is safe once some expression binds it: a ref binds the variables in its path
 * (`data.xs[i]` binds `i`), unification binds the unbound side when the other side is known
 * (`x = 1`, `[a, b] = pair`), a builtin or function call binds the variables of its extra output argument
 * (`count(xs, n)`), `some … in` binds its key and value. An expression can run once every variable it reads
 * is safe: call inputs, both sides of a unification that binds nothing, everything under `not`, `with`
 * values, the domain of `every`, and variables a comprehension (or `every` body) shares with the enclosing
 * body. Bodies are reordered so each expression follows the ones that make its inputs safe; among ready
 * expressions the written order is kept. Rule heads (key, value, ref variables), comprehension heads and
 * `else` values must use only variables their body binds.
 *
 * Unsafe variables are reported as `rego_unsafe_var_error: var x is unsafe` at the variable.
 */
import type { Body, ElseClause, Expr, Term, VarTerm, With } from "../parser/nodes.js";
import { lookupBuiltin } from "../builtins/builtin-table.js";
import type { CheckContext, RuleState } from "./check-context.js";
import {
  forEachVar,
  forEachVarInExpr,
  isClosure,
  mapChildren,
  mapSame,
  operatorName,
  refGroundPrefix,
  refStringPath,
} from "./term-utils.js";

export function safetyStage(ctx: CheckContext): void {
  for (const rule of ctx.rules) new SafetyChecker(ctx, rule).run();
}

const ROOTS = new Set(["data", "input"]);
const SKIP_CLOSURES = Object.freeze({ skipClosures: true });

class SafetyChecker {
  private readonly reported = new Set<string>();

  constructor(
    private readonly ctx: CheckContext,
    private readonly rule: RuleState,
  ) {}

  /** Variables of an expression outside closures, without call operators and function-valued `with`s. */
  private exprVars(e: Expr): Set<string> {
    return exprVars(e, (w) => isFunctionReplacement(this.ctx, w));
  }

  run(): void {
    const rule = this.rule;
    const globals = new Set<string>();
    for (const a of rule.head.args ?? []) forEachVar(a, (v) => globals.add(v.name));
    const { body, safe } = this.reorder(rule.body, globals);
    rule.body = body;
    const head = { ...rule.head };
    if (head.ref.type === "Ref") head.ref = { ...head.ref, path: head.ref.path.map((p) => this.headTerm(p, safe)) };
    if (head.key) head.key = this.headTerm(head.key, safe);
    if (head.value) head.value = this.headTerm(head.value, safe);
    rule.head = head;
    if (rule.else) rule.else = this.elseClause(rule.else, globals);
  }

  private elseClause(e: ElseClause, globals: Set<string>): ElseClause {
    const { body, safe } = this.reorder(e.body, globals);
    const out: ElseClause = { ...e, body };
    if (e.value) out.value = this.headTerm(e.value, safe);
    if (e.else) out.else = this.elseClause(e.else, globals);
    return out;
  }

  /** Checks that a head term only uses safe variables; processes closures inside it. */
  private headTerm(t: Term, safe: Set<string>): Term {
    forEachVar(
      t,
      (v) => {
        if (!safe.has(v.name) && !ROOTS.has(v.name)) this.unsafe(v);
      },
      SKIP_CLOSURES,
    );
    return this.closures(t, safe);
  }

  private unsafe(v: VarTerm): void {
    if (this.rule.hoisted.has(v.name)) return;
    const display = this.rule.localNames.get(v.name) ?? v.name;
    const key = `${v.name}@${v.span.start.offset}`;
    if (this.reported.has(v.name) || this.reported.has(key)) return;
    this.reported.add(v.name);
    this.reported.add(key);
    this.ctx.error("rego_unsafe_var_error", `var ${display} is unsafe`, v.span);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Reordering
  // ---------------------------------------------------------------------------------------------------------

  reorder(body: Body, globals: Set<string>): { body: Body; safe: Set<string> } {
    const safe = new Set(globals);
    const outer = new Set<string>();
    const varsOf = new Map<Expr, Set<string>>();
    for (const e of body.exprs) {
      const vs = this.exprVars(e);
      varsOf.set(e, vs);
      for (const v of vs) outer.add(v);
    }
    const needOf = new Map<Expr, Set<string>>();
    const needs = (e: Expr): Set<string> => {
      let n = needOf.get(e);
      if (!n) {
        n = this.needs(e, outer, varsOf.get(e));
        needOf.set(e, n);
      }
      return n;
    };
    const pending = [...body.exprs];
    const ordered: Expr[] = [];
    for (let progress = true; progress && pending.length > 0; ) {
      progress = false;
      for (let i = 0; i < pending.length; ) {
        const e = pending[i] as Expr;
        const need = needs(e);
        let ready = true;
        let out: Set<string> | undefined;
        for (const v of need) {
          if (safe.has(v)) continue;
          out ??= this.outputs(e, safe);
          if (!out.has(v)) {
            ready = false;
            break;
          }
        }
        out ??= this.outputs(e, safe);
        if (!ready) {
          i++;
          continue;
        }
        ordered.push(this.exprClosures(e, safe));
        for (const v of out) safe.add(v);
        pending.splice(i, 1);
        progress = true;
      }
    }
    for (const e of pending) {
      const out = this.outputs(e, safe);
      const need = needs(e);
      forEachVarInExpr(
        e,
        (v) => {
          if (need.has(v.name) && !safe.has(v.name) && !out.has(v.name) && !ROOTS.has(v.name)) this.unsafe(v);
        },
        { skipClosures: false },
      );
      ordered.push(e);
    }
    return { body: { ...body, exprs: ordered }, safe };
  }

  /** Variables that must be safe before `e` runs, or be bound by `e` itself. */
  private needs(e: Expr, outer: Set<string>, vars: Set<string> | undefined): Set<string> {
    const base = vars ?? this.exprVars(e);
    let need: Set<string> | undefined;
    // Variables a closure shares with the enclosing body are inputs of the expression holding the closure.
    visitClosureVars(e, (name) => {
      if (outer.has(name) && !base.has(name)) (need ??= new Set(base)).add(name);
    });
    return need ?? base;
  }

  /** Variables `e` binds when evaluated with `safe` bound. */
  outputs(e: Expr, safe: Set<string>): Set<string> {
    const out = new Set<string>();
    if (e.negated) return out;
    for (const w of e.with) {
      if (isFunctionReplacement(this.ctx, w)) continue;
      let ok = true;
      forEachVar(w.value, (v) => {
        if (!safe.has(v.name) && !ROOTS.has(v.name)) ok = false;
      });
      if (!ok) return out;
    }
    const x = e.expr;
    switch (x.type) {
      case "SomeVars":
        return out;
      case "SomeIn": {
        refOutputs(x.collection, safe, out);
        if (allKnown(x.collection, safe, out)) {
          if (x.key) patternVars(x.key, out);
          patternVars(x.value, out);
        }
        return out;
      }
      case "Every":
        refOutputs(x.domain, safe, out);
        return out;
      case "Call": {
        const name = operatorName(x.operator);
        if ((name === "eq" || name === "assign") && x.args.length === 2) {
          for (const a of x.args) refOutputs(a, safe, out);
          unify(x.args[0] as Term, x.args[1] as Term, safe, out);
          return out;
        }
        const arity = this.arity(x.operator, name);
        for (const a of x.args) refOutputs(a, safe, out);
        if (arity !== undefined && x.args.length === arity + 1) {
          const inputs = x.args.slice(0, arity);
          if (inputs.every((a) => allKnown(a, safe, out))) {
            const last = x.args[arity] as Term;
            forEachVar(last, (v) => out.add(v.name), SKIP_CLOSURES);
          }
        }
        return out;
      }
      default:
        refOutputs(x, safe, out);
        return out;
    }
  }

  private arity(op: Term, name: string | undefined): number | undefined {
    if (name === undefined) return undefined;
    if (op.type === "Ref" && op.head.type === "Var" && op.head.name === "data") {
      const g = this.ctx.groupForPath(refGroundPrefix(op));
      return g?.kind === "function" ? g.arity : undefined;
    }
    const b = lookupBuiltin(name);
    if (!b || b.decl.variadic) return undefined;
    return b.decl.result ? b.decl.args.length : undefined;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Closures
  // ---------------------------------------------------------------------------------------------------------

  /** Reorders the bodies of closures (comprehensions, `every`) inside `e`, with `safe` as their globals. */
  private exprClosures(e: Expr, safe: Set<string>): Expr {
    const x = e.expr;
    let expr: Expr["expr"];
    switch (x.type) {
      case "SomeVars":
        expr = x;
        break;
      case "SomeIn": {
        const s: typeof x = { ...x, value: this.closures(x.value, safe), collection: this.closures(x.collection, safe) };
        if (x.key) s.key = this.closures(x.key, safe);
        expr = s;
        break;
      }
      case "Every": {
        const inner = new Set(safe);
        if (x.key) inner.add(x.key.name);
        inner.add(x.value.name);
        const { body } = this.reorder(x.body, inner);
        expr = { ...x, domain: this.closures(x.domain, safe), body };
        break;
      }
      default:
        expr = this.closures(x, safe);
    }
    const withs = mapSame(e.with, (w) => {
      const value = this.closures(w.value, safe);
      return value === w.value ? w : { ...w, value };
    });
    return expr === x && withs === e.with ? e : { ...e, expr, with: withs };
  }

  private closures(t: Term, safe: Set<string>): Term {
    switch (t.type) {
      case "Ref":
      case "Call":
      case "Array":
      case "Set":
      case "Object":
        return mapChildren(t, (c) => this.closures(c, safe));
      case "ArrayComprehension":
      case "SetComprehension": {
        const r = this.reorder(t.body, safe);
        return { ...t, body: r.body, term: this.headTerm(t.term, r.safe) };
      }
      case "ObjectComprehension": {
        const r = this.reorder(t.body, safe);
        return { ...t, body: r.body, key: this.headTerm(t.key, r.safe), value: this.headTerm(t.value, r.safe) };
      }
      case "TemplateString": {
        const parts = mapSame(t.parts, (p) => (p.type === "Expr" ? this.exprClosures(p, safe) : p));
        return parts === t.parts ? t : { ...t, parts };
      }
      default:
        return t;
    }
  }
}

// -----------------------------------------------------------------------------------------------------------
// Variable sets
// -----------------------------------------------------------------------------------------------------------

/**
 * True when a `with` replaces a function (builtin or user function) by another function named as its value
 * (`with time.now_ns as opa.runtime`, `with data.x.f as count`): the value is a function reference, not a
 * term with variables.
 */
export function isFunctionReplacement(ctx: CheckContext, w: With): boolean {
  const target = w.target;
  const root = target.type === "Var" ? target.name : target.head.type === "Var" ? target.head.name : undefined;
  if (root === "input") return false;
  if (root === "data") {
    const name = target.type === "Ref" ? refStringPath(target)?.join(".") : undefined;
    if (name === undefined || ctx.groups.get(name)?.kind !== "function") return false;
  }
  const v = w.value;
  if (v.type !== "Var" && v.type !== "Ref") return false;
  const name = v.type === "Var" ? v.name : refStringPath(v)?.join(".");
  if (name === undefined) return false;
  if (lookupBuiltin(name)) return true;
  return ctx.groups.get(name)?.kind === "function";
}

/** Variables of an expression outside closures (and outside `every` bodies), without call operators. */
function exprVars(e: Expr, skipWith: (w: With) => boolean): Set<string> {
  const out = new Set<string>();
  const add = (v: VarTerm): void => {
    if (!ROOTS.has(v.name)) out.add(v.name);
  };
  const x = e.expr;
  switch (x.type) {
    case "SomeVars":
      break;
    case "SomeIn":
      if (x.key) forEachVar(x.key, add, SKIP_CLOSURES);
      forEachVar(x.value, add, SKIP_CLOSURES);
      forEachVar(x.collection, add, SKIP_CLOSURES);
      break;
    case "Every":
      forEachVar(x.domain, add, SKIP_CLOSURES);
      break;
    default:
      forEachVar(x, add, SKIP_CLOSURES);
  }
  for (const w of e.with) if (!skipWith(w)) forEachVar(w.value, add, SKIP_CLOSURES);
  return out;
}

/** Calls `fn` for each variable used inside closures of `e` (comprehensions and `every` bodies). */
function visitClosureVars(e: Expr, fn: (name: string) => void): void {
  const inTerm = (t: Term): void => {
    if (isClosure(t)) {
      forEachVar(t, (v) => fn(v.name));
      return;
    }
    switch (t.type) {
      case "Ref":
        inTerm(t.head);
        t.path.forEach(inTerm);
        return;
      case "Call":
        t.args.forEach(inTerm);
        return;
      case "Array":
      case "Set":
        t.items.forEach(inTerm);
        return;
      case "Object":
        t.entries.forEach((en) => {
          inTerm(en.key);
          inTerm(en.value);
        });
        return;
      case "TemplateString":
        for (const p of t.parts) if (p.type === "Expr") visitClosureVars(p, fn);
        return;
      default:
        return;
    }
  };
  const x = e.expr;
  switch (x.type) {
    case "SomeVars":
      return;
    case "SomeIn":
      if (x.key) inTerm(x.key);
      inTerm(x.value);
      inTerm(x.collection);
      break;
    case "Every":
      inTerm(x.domain);
      for (const be of x.body.exprs) forEachVarInExpr(be, (v) => fn(v.name));
      break;
    default:
      inTerm(x);
  }
  for (const w of e.with) inTerm(w.value);
}

function isSafeVar(name: string, safe: Set<string>, out: Set<string>): boolean {
  return ROOTS.has(name) || safe.has(name) || out.has(name);
}

/** Every variable of `t` (outside closures) is safe or already output. */
function allKnown(t: Term, safe: Set<string>, out: Set<string>): boolean {
  let ok = true;
  forEachVar(
    t,
    (v) => {
      if (!isSafeVar(v.name, safe, out)) ok = false;
    },
    SKIP_CLOSURES,
  );
  return ok;
}

/** Adds the variables that refs in `t` bind: path variables of refs whose head is safe. */
function refOutputs(t: Term, safe: Set<string>, out: Set<string>): void {
  switch (t.type) {
    case "Ref": {
      const headSafe =
        t.head.type === "Var" ? isSafeVar(t.head.name, safe, out) : !isClosure(t.head) && allKnown(t.head, safe, out);
      if (t.head.type !== "Var") refOutputs(t.head, safe, out);
      for (const p of t.path) {
        if (headSafe) patternVars(p, out, safe);
        refOutputs(p, safe, out);
      }
      return;
    }
    case "Call":
      t.args.forEach((a) => refOutputs(a, safe, out));
      return;
    case "Array":
    case "Set":
      t.items.forEach((i) => refOutputs(i, safe, out));
      return;
    case "Object":
      t.entries.forEach((en) => {
        refOutputs(en.key, safe, out);
        refOutputs(en.value, safe, out);
      });
      return;
    default:
      return;
  }
}

/** Variables in positions a match can bind: the term itself if a var, or inside arrays/objects (values). */
function patternVars(t: Term, out: Set<string>, safe?: Set<string>): void {
  switch (t.type) {
    case "Var":
      if (!ROOTS.has(t.name) && !safe?.has(t.name)) out.add(t.name);
      return;
    case "Array":
      t.items.forEach((i) => patternVars(i, out, safe));
      return;
    case "Object":
      t.entries.forEach((en) => patternVars(en.value, out, safe));
      return;
    default:
      return;
  }
}

/** Unification `a = b`: adds variables bound once `safe` ∪ `out` are known. Iterates to a fixpoint. */
function unify(a: Term, b: Term, safe: Set<string>, out: Set<string>): void {
  for (;;) {
    const before = out.size;
    unify1(a, b, safe, out);
    if (out.size === before) return;
  }
}

function unify1(a: Term, b: Term, safe: Set<string>, out: Set<string>): void {
  if (a.type === "Var" && !isSafeVar(a.name, safe, out)) {
    if (allKnown(b, safe, out)) out.add(a.name);
    return;
  }
  if (b.type === "Var" && !isSafeVar(b.name, safe, out)) {
    if (allKnown(a, safe, out)) out.add(b.name);
    return;
  }
  if (a.type === "Array" && b.type === "Array") {
    if (a.items.length !== b.items.length) return;
    a.items.forEach((x, i) => unify1(x, b.items[i] as Term, safe, out));
    return;
  }
  if (a.type === "Object" && b.type === "Object") {
    for (const ea of a.entries) {
      const eb = b.entries.find((x) => sameKey(x.key, ea.key));
      if (eb) unify1(ea.value, eb.value, safe, out);
    }
    return;
  }
  if ((a.type === "Array" || a.type === "Object") && allKnown(b, safe, out)) {
    patternVars(a, out, safe);
    return;
  }
  if ((b.type === "Array" || b.type === "Object") && allKnown(a, safe, out)) {
    patternVars(b, out, safe);
  }
}

function sameKey(a: Term, b: Term): boolean {
  if (a.type === "Var" && b.type === "Var") return a.name === b.name;
  return sameScalar(a, b);
}

function sameScalar(a: Term, b: Term): boolean {
  if (a.type === "String" && b.type === "String") return a.value === b.value;
  if (a.type === "Number" && b.type === "Number") return a.value === b.value;
  if (a.type === "Boolean" && b.type === "Boolean") return a.value === b.value;
  return a.type === "Null" && b.type === "Null";
}
