/**
 * Small helpers over the AST used by every check stage: building refs, naming operators, collecting
 * variables. They never mutate their input.
 */
import type { SourceSpan } from "../diagnostics.js";
import type { Body, Expr, RefTerm, Term, VarTerm } from "../parser/nodes.js";
import { WILDCARD, type RefPatternElement } from "./check-context.js";

/** The name of a call operator as written: `count`, `strings.replace_n`, `data.x.f`; undefined if not static. */
export function operatorName(op: VarTerm | RefTerm): string | undefined {
  if (op.type === "Var") return op.name;
  const parts = refStringPath(op);
  return parts?.join(".");
}

/** The path pattern of a ref with a var head: strings stay, scalars that are not strings become null, anything
 * else (variables, refs, calls, composites) becomes `WILDCARD`. */
export function refPattern(ref: RefTerm): RefPatternElement[] {
  const out: RefPatternElement[] = [ref.head.type === "Var" ? ref.head.name : WILDCARD];
  for (const p of ref.path) {
    if (p.type === "String") out.push(p.value);
    else if (p.type === "Number" || p.type === "Boolean" || p.type === "Null") out.push(null);
    else out.push(WILDCARD);
  }
  return out;
}

/** `a.b.c` as `["a", "b", "c"]` when the ref's head is a var and every path element is a string. */
export function refStringPath(ref: RefTerm): string[] | undefined {
  if (ref.head.type !== "Var") return undefined;
  const out = [ref.head.name];
  for (const p of ref.path) {
    if (p.type !== "String") return undefined;
    out.push(p.value);
  }
  return out;
}

/** The leading all-string part of a ref (after the head var): `data.a.b[x].c` gives `["data", "a", "b"]`. */
export function refGroundPrefix(ref: RefTerm): string[] {
  const out: string[] = [];
  if (ref.head.type !== "Var") return out;
  out.push(ref.head.name);
  for (const p of ref.path) {
    if (p.type !== "String") break;
    out.push(p.value);
  }
  return out;
}

export function makeVar(name: string, span: SourceSpan): VarTerm {
  return { type: "Var", name, span };
}

export function makeString(value: string, span: SourceSpan): Term {
  return { type: "String", value, span };
}

/** A ref `root.p1.p2…` (string path elements) spanning `span`. */
export function makeRef(parts: readonly string[], span: SourceSpan, rest: readonly Term[] = []): RefTerm {
  const [root, ...path] = parts;
  return {
    type: "Ref",
    span,
    head: makeVar(root ?? "data", span),
    path: [...path.map((p) => makeString(p, span)), ...rest],
  };
}

/** Printable form of a path: `data.a.b`. */
export function pathKey(parts: readonly string[]): string {
  return parts.join(".");
}

/** Human form of a term for messages (`data.x.p`, `x`, `"a"`, `1`). */
export function termText(t: Term): string {
  switch (t.type) {
    case "Var":
      return t.name;
    case "String":
      return JSON.stringify(t.value);
    case "Number":
      return t.value;
    case "Boolean":
      return String(t.value);
    case "Null":
      return "null";
    case "Ref": {
      let s = termText(t.head);
      for (const p of t.path) {
        s += p.type === "String" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value) ? `.${p.value}` : `[${termText(p)}]`;
      }
      return s;
    }
    case "Call":
      return `${termText(t.operator)}(${t.args.map(termText).join(", ")})`;
    case "Array":
      return `[${t.items.map(termText).join(", ")}]`;
    case "Set":
      return t.items.length === 0 ? "set()" : `{${t.items.map(termText).join(", ")}}`;
    case "Object":
      return `{${t.entries.map((e) => `${termText(e.key)}: ${termText(e.value)}`).join(", ")}}`;
    case "ArrayComprehension":
      return `[${termText(t.term)} | …]`;
    case "SetComprehension":
      return `{${termText(t.term)} | …}`;
    case "ObjectComprehension":
      return `{${termText(t.key)}: ${termText(t.value)} | …}`;
    case "TemplateString":
      return '$"…"';
  }
}

/** Options for `forEachVar`. */
export interface VarWalkOptions {
  /** Do not enter comprehension bodies/heads (closures). */
  skipClosures?: boolean;
  /** Do not report the operator of calls (`count` in `count(x)`). Default true. */
  skipCallOperators?: boolean;
}

/** Calls `fn` for each variable occurrence in a term, in source order. */
export function forEachVar(t: Term, fn: (v: VarTerm) => void, opts: VarWalkOptions = {}): void {
  visitVars(t, fn, opts, opts.skipClosures ?? false, opts.skipCallOperators ?? true);
}

// A plain recursive function (no per-call closure): this walk runs for nearly every term in every stage.
function visitVars(x: Term, fn: (v: VarTerm) => void, opts: VarWalkOptions, skipClosures: boolean, skipOps: boolean): void {
  switch (x.type) {
    case "Var":
      fn(x);
      return;
    case "Ref":
      visitVars(x.head, fn, opts, skipClosures, skipOps);
      for (const p of x.path) visitVars(p, fn, opts, skipClosures, skipOps);
      return;
    case "Call":
      if (!skipOps) visitVars(x.operator, fn, opts, skipClosures, skipOps);
      for (const a of x.args) visitVars(a, fn, opts, skipClosures, skipOps);
      return;
    case "Array":
    case "Set":
      for (const i of x.items) visitVars(i, fn, opts, skipClosures, skipOps);
      return;
    case "Object":
      for (const e of x.entries) {
        visitVars(e.key, fn, opts, skipClosures, skipOps);
        visitVars(e.value, fn, opts, skipClosures, skipOps);
      }
      return;
    case "ArrayComprehension":
    case "SetComprehension":
      if (skipClosures) return;
      visitVars(x.term, fn, opts, skipClosures, skipOps);
      forEachVarInBody(x.body, fn, opts);
      return;
    case "ObjectComprehension":
      if (skipClosures) return;
      visitVars(x.key, fn, opts, skipClosures, skipOps);
      visitVars(x.value, fn, opts, skipClosures, skipOps);
      forEachVarInBody(x.body, fn, opts);
      return;
    case "TemplateString":
      for (const p of x.parts) if (p.type === "Expr") forEachVarInExpr(p, fn, opts);
      return;
    default:
      return;
  }
}

export function forEachVarInExpr(e: Expr, fn: (v: VarTerm) => void, opts: VarWalkOptions = {}): void {
  const x = e.expr;
  switch (x.type) {
    case "SomeVars":
      for (const v of x.vars) fn(v);
      break;
    case "SomeIn":
      if (x.key) forEachVar(x.key, fn, opts);
      forEachVar(x.value, fn, opts);
      forEachVar(x.collection, fn, opts);
      break;
    case "Every":
      if (x.key) fn(x.key);
      fn(x.value);
      forEachVar(x.domain, fn, opts);
      if (!opts.skipClosures) forEachVarInBody(x.body, fn, opts);
      break;
    default:
      forEachVar(x, fn, opts);
  }
  for (const w of e.with) {
    forEachVar(w.target, fn, opts);
    forEachVar(w.value, fn, opts);
  }
}

export function forEachVarInBody(b: Body, fn: (v: VarTerm) => void, opts: VarWalkOptions = {}): void {
  for (const e of b.exprs) forEachVarInExpr(e, fn, opts);
}

/** Calls `fn` on every term nested in `t` (pre-order, including `t`); return false from `fn` to skip children. */
export function walkTerms(t: Term, fn: (x: Term) => boolean | void): void {
  if (fn(t) === false) return;
  switch (t.type) {
    case "Ref":
      walkTerms(t.head, fn);
      for (const p of t.path) walkTerms(p, fn);
      return;
    case "Call":
      walkTerms(t.operator, fn);
      for (const a of t.args) walkTerms(a, fn);
      return;
    case "Array":
    case "Set":
      for (const i of t.items) walkTerms(i, fn);
      return;
    case "Object":
      for (const e of t.entries) {
        walkTerms(e.key, fn);
        walkTerms(e.value, fn);
      }
      return;
    case "ArrayComprehension":
    case "SetComprehension":
      walkTerms(t.term, fn);
      walkBodyTerms(t.body, fn);
      return;
    case "ObjectComprehension":
      walkTerms(t.key, fn);
      walkTerms(t.value, fn);
      walkBodyTerms(t.body, fn);
      return;
    case "TemplateString":
      for (const p of t.parts) if (p.type === "Expr") walkExprTerms(p, fn);
      return;
    default:
      return;
  }
}

export function walkExprTerms(e: Expr, fn: (x: Term) => boolean | void, skipWithTargets = false): void {
  const x = e.expr;
  switch (x.type) {
    case "SomeVars":
      for (const v of x.vars) walkTerms(v, fn);
      break;
    case "SomeIn":
      if (x.key) walkTerms(x.key, fn);
      walkTerms(x.value, fn);
      walkTerms(x.collection, fn);
      break;
    case "Every":
      if (x.key) walkTerms(x.key, fn);
      walkTerms(x.value, fn);
      walkTerms(x.domain, fn);
      walkBodyTerms(x.body, fn);
      break;
    default:
      walkTerms(x, fn);
  }
  for (const w of e.with) {
    if (!skipWithTargets) walkTerms(w.target, fn);
    walkTerms(w.value, fn);
  }
}

export function walkBodyTerms(b: Body, fn: (x: Term) => boolean | void, skipWithTargets = false): void {
  for (const e of b.exprs) walkExprTerms(e, fn, skipWithTargets);
}

/** True for comprehension terms (closures: their bodies have their own scope). */
export function isClosure(t: Term): boolean {
  return t.type === "ArrayComprehension" || t.type === "SetComprehension" || t.type === "ObjectComprehension";
}

/** `xs.map(fn)`, but returns `xs` itself when `fn` returned every element unchanged (saves copying trees). */
export function mapSame<T>(xs: T[], fn: (x: T) => T): T[] {
  let out: T[] | undefined;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as T;
    const y = fn(x);
    if (out) out.push(y);
    else if (y !== x) {
      out = xs.slice(0, i);
      out.push(y);
    }
  }
  return out ?? xs;
}

/**
 * Rebuilds the children of a term with `fn` (not descending into comprehension bodies or template parts,
 * which callers handle), returning `t` itself when nothing changed.
 */
export function mapChildren(t: Term, fn: (x: Term) => Term): Term {
  switch (t.type) {
    case "Ref": {
      const head = fn(t.head);
      const path = mapSame(t.path, fn);
      return head === t.head && path === t.path ? t : { ...t, head, path };
    }
    case "Call": {
      const args = mapSame(t.args, fn);
      return args === t.args ? t : { ...t, args };
    }
    case "Array":
    case "Set": {
      const items = mapSame(t.items, fn);
      return items === t.items ? t : { ...t, items };
    }
    case "Object": {
      const entries = mapSame(t.entries, (e) => {
        const key = fn(e.key);
        const value = fn(e.value);
        return key === e.key && value === e.value ? e : { ...e, key, value };
      });
      return entries === t.entries ? t : { ...t, entries };
    }
    default:
      return t;
  }
}
