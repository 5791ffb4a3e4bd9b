/** Helpers for references, package paths and rule names. */
import type { Import, Package, RefTerm, Rule, RuleHead, Term, VarTerm } from "../parser/nodes.js";
import { formatTerm } from "./format-module.js";

/** The terms of a var or ref as one list: `a.b[x]` → `[Var a, "b", Var x]`. */
export function refTerms(t: VarTerm | RefTerm): Term[] {
  return t.type === "Var" ? [t] : [t.head, ...t.path];
}

/**
 * The leading ground part of a var/ref as strings: `data.a.b[x].c` → `["data", "a", "b"]`. The head counts
 * when it is a var (its name). Non-string ground selectors (numbers) end the prefix.
 */
export function groundPrefix(t: VarTerm | RefTerm): string[] {
  const terms = refTerms(t);
  const out: string[] = [];
  const first = terms[0];
  if (!first || first.type !== "Var") return out;
  out.push(first.name);
  for (const p of terms.slice(1)) {
    if (p.type !== "String") break;
    out.push(p.value);
  }
  return out;
}

/** The full path of a package, with the implicit `data` root: `package a.b` → `["data", "a", "b"]`. */
export function packagePath(pkg: Package): string[] {
  return ["data", ...groundPrefix(pkg.path)];
}

/** An import's path as strings (`import data.a.b` → `["data", "a", "b"]`). */
export function importPath(imp: Import): string[] {
  return groundPrefix(imp.path);
}

/** The name an import binds in the module: its alias, else the last path segment. */
export function importName(imp: Import): string {
  if (imp.alias) return imp.alias.name;
  const p = importPath(imp);
  return p[p.length - 1] ?? "";
}

/** The terms of a rule head's reference (without a partial set's key). */
export function headRef(head: RuleHead): Term[] {
  return refTerms(head.ref);
}

/** The first segment of a rule's name (`a.b[x]` → `a`). */
export function ruleName(rule: Rule): string {
  const r = rule.head.ref;
  return r.type === "Var" ? r.name : r.head.type === "Var" ? r.head.name : "";
}

/** Source-like text of a var/ref/term (canonical printer form), for messages. */
export function refToString(t: Term): string {
  return formatTerm(t, 0);
}
