/**
 * Fleetward's parser tree (../../parser/nodes.ts) as OPA's AST JSON, the value `rego.parse_module` returns:
 * what Go's encoding/json writes for OPA's `ast.Module` with OPA's default JSON options (no locations, no
 * comments unless asked for). Terms are `{type, value}`: refs, arrays, sets and calls hold term arrays, objects
 * hold `[key, value]` pairs, operators are refs (`x = y` is `[ref eq, x, y]`). A body is an array of expressions
 * `{index, terms, negated?, with?}`; `terms` is one term, a call's term array, `{symbols}` for `some`, or an
 * `every` object. Rule heads carry `name` (single-name rules), `ref`, `args`, `key`, `value`, `assign`.
 */
import type {
  Body, ElseClause, Expr, Import, Module, RefTerm, Rule, RuleHead, Term, VarTerm,
} from "../../parser/nodes.js";

export type AstJson = null | boolean | number | string | AstJson[] | { [k: string]: AstJson };

/** A construct OPA's AST JSON has no shape for here (template strings). */
export class UnsupportedAstNode extends Error {}

function term(type: string, value: AstJson): AstJson {
  return { type, value };
}

/** The terms of a ref: the head (or the head's own terms when it is a ref) followed by the selectors. */
function refTerms(ref: VarTerm | RefTerm): AstJson[] {
  if (ref.type === "Var") return [varTerm(ref.name)];
  const head = ref.head.type === "Var" ? varTerm(ref.head.name) : termJson(ref.head);
  return [head, ...ref.path.map(termJson)];
}

function varTerm(name: string): AstJson {
  return term("var", name);
}

function operatorJson(operator: VarTerm | RefTerm): AstJson {
  return term("ref", refTerms(operator));
}

export function termJson(t: Term): AstJson {
  switch (t.type) {
    case "Null": return term("null", null);
    case "Boolean": return term("boolean", t.value);
    case "Number": return term("number", Number(t.value));
    case "String": return term("string", t.value);
    case "Var": return varTerm(t.name);
    case "Ref": return term("ref", refTerms(t));
    case "Array": return term("array", t.items.map(termJson));
    case "Set": return term("set", t.items.map(termJson));
    case "Object": return term("object", t.entries.map((e) => [termJson(e.key), termJson(e.value)]));
    case "Call": return term("call", [operatorJson(t.operator), ...t.args.map(termJson)]);
    case "ArrayComprehension": return term("arraycomprehension", { term: termJson(t.term), body: bodyJson(t.body) });
    case "SetComprehension": return term("setcomprehension", { term: termJson(t.term), body: bodyJson(t.body) });
    case "ObjectComprehension":
      return term("objectcomprehension", { key: termJson(t.key), value: termJson(t.value), body: bodyJson(t.body) });
    case "TemplateString": throw new UnsupportedAstNode("template strings have no AST JSON form here");
  }
}

function exprTerms(e: Expr["expr"]): AstJson {
  switch (e.type) {
    case "Call": return [operatorJson(e.operator), ...e.args.map(termJson)];
    case "SomeVars": return { symbols: e.vars.map(termJson) };
    case "SomeIn": {
      const member = e.key === undefined ? "member_2" : "member_3";
      const args = [...(e.key === undefined ? [] : [termJson(e.key)]), termJson(e.value), termJson(e.collection)];
      const op = term("ref", [varTerm("internal"), term("string", member)]);
      return { symbols: [term("call", [op, ...args])] };
    }
    case "Every": {
      const every: Record<string, AstJson> = {};
      if (e.key !== undefined) every.key = termJson(e.key);
      every.value = termJson(e.value);
      every.domain = termJson(e.domain);
      every.body = bodyJson(e.body);
      return every;
    }
    default: return termJson(e);
  }
}

function exprJson(e: Expr, index: number): AstJson {
  const out: Record<string, AstJson> = { index, terms: exprTerms(e.expr) };
  if (e.negated) out.negated = true;
  if (e.with.length > 0) out.with = e.with.map((w) => ({ target: termJson(w.target), value: termJson(w.value) }));
  return out;
}

/** A body; an empty one (a rule written without a body) is OPA's `[true]`. */
export function bodyJson(b: Body): AstJson {
  if (b.exprs.length === 0) return [{ index: 0, terms: term("boolean", true) }];
  return b.exprs.map(exprJson);
}

function headJson(h: RuleHead, value: Term | undefined, assign: boolean): AstJson {
  const out: Record<string, AstJson> = {};
  if (h.ref.type === "Var") out.name = h.ref.name;
  out.ref = refTerms(h.ref);
  if (h.args !== undefined && h.args.length > 0) out.args = h.args.map(termJson);
  if (h.key !== undefined) out.key = termJson(h.key);
  if (value !== undefined) out.value = termJson(value);
  if (assign) out.assign = true;
  return out;
}

function elseJson(rule: Rule, e: ElseClause): AstJson {
  const value = e.value ?? { type: "Boolean", span: e.span, value: true };
  const out: Record<string, AstJson> = { body: bodyJson(e.body), head: headJson(rule.head, value, e.assign) };
  if (e.else !== undefined) out.else = elseJson(rule, e.else);
  return out;
}

function ruleJson(r: Rule): AstJson {
  const out: Record<string, AstJson> = { body: bodyJson(r.body), head: headJson(r.head, r.head.value, r.head.assign) };
  if (r.default) out.default = true;
  if (r.else !== undefined) out.else = elseJson(r, r.else);
  return out;
}

function importJson(i: Import): AstJson {
  const path = i.path.type === "Var" ? varTerm(i.path.name) : termJson(i.path);
  return i.alias === undefined ? { path } : { alias: i.alias.name, path };
}

/** The module as OPA's AST JSON (`package.path` starts with the `data` var, then the written names as strings). */
export function moduleJson(m: Module): AstJson {
  const pkg = m.package.path;
  const first = pkg.type === "Var" ? pkg.name : pkg.head.type === "Var" ? pkg.head.name : undefined;
  if (first === undefined) throw new UnsupportedAstNode("a package path must start with a name");
  const path = [varTerm("data"), term("string", first), ...(pkg.type === "Ref" ? pkg.path.map(termJson) : [])];
  const out: Record<string, AstJson> = { package: { path } };
  if (m.imports.length > 0) out.imports = m.imports.map(importJson);
  if (m.rules.length > 0) out.rules = m.rules.map(ruleJson);
  return out;
}
