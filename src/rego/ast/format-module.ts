/**
 * The canonical Rego printer. Output is stable (same AST → same text) and re-parses to an equal AST
 * (ignoring spans and ordinary comments), which is what the golden and round-trip tests rely on. It is
 * not `opa fmt`: it keeps the module's own syntax choices (v0 `p[x] { }` or v1 `p contains x if { }`,
 * `:=` or `=`), prints every body in braces, one expression per line, and keeps `# METADATA` blocks in
 * front of the statement they annotate. Other comments are dropped.
 */
import type {
  Body,
  ElseClause,
  Expr,
  Import,
  MetadataBlock,
  Module,
  Package,
  Query,
  RefTerm,
  Rule,
  Term,
  TemplateStringTerm,
  VarTerm,
} from "../parser/nodes.js";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Binding strength of an operator (higher binds tighter); primaries are 8. */
function level(t: Term): number {
  if (t.type !== "Call" || t.infix === undefined) return 8;
  switch (t.infix) {
    case "=":
    case ":=":
      return 0;
    case "in":
      return 1;
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
      return 2;
    case "|":
      return 3;
    case "&":
      return 4;
    case "+":
    case "-":
      return 5;
    case "*":
    case "/":
    case "%":
      return 6;
    default:
      return 8;
  }
}

/** Formats a term. `min` is the weakest operator level allowed unparenthesized at this position. */
export function formatTerm(t: Term, min = 1): string {
  const s = formatTermRaw(t);
  return level(t) < min ? `(${s})` : s;
}

/** A term in a collection/argument position (where `a | b` would read as a comprehension). */
function item(t: Term): string {
  if (t.type === "Call" && (t.infix === "|" || (t.infix === "in" && t.args.length === 3))) return `(${formatTermRaw(t)})`;
  return formatTerm(t, 1);
}

function formatString(value: string): string {
  return JSON.stringify(value);
}

function formatVarOrRef(t: VarTerm | RefTerm): string {
  return formatTermRaw(t);
}

function formatTermRaw(t: Term): string {
  switch (t.type) {
    case "Null":
      return "null";
    case "Boolean":
      return t.value ? "true" : "false";
    case "Number":
      return t.value;
    case "String":
      return t.raw && !t.value.includes("`") ? `\`${t.value}\`` : formatString(t.value);
    case "Var":
      return t.name;
    case "Ref": {
      let s: string;
      const h = t.head;
      if (h.type === "Var") s = h.name;
      else if (h.type === "Call" && h.infix !== undefined) s = `(${formatTermRaw(h)})`;
      else s = formatTermRaw(h);
      for (const p of t.path) {
        if (p.type === "String" && IDENT.test(p.value)) s += `.${p.value}`;
        else s += `[${formatTerm(p, 1)}]`;
      }
      return s;
    }
    case "Array":
      return `[${t.items.map(item).join(", ")}]`;
    case "Set":
      return t.items.length === 0 ? "set()" : `{${t.items.map(item).join(", ")}}`;
    case "Object":
      return `{${t.entries.map((e) => `${item(e.key)}: ${item(e.value)}`).join(", ")}}`;
    case "ArrayComprehension":
      return `[${item(t.term)} | ${inlineBody(t.body)}]`;
    case "SetComprehension":
      return `{${item(t.term)} | ${inlineBody(t.body)}}`;
    case "ObjectComprehension":
      return `{${item(t.key)}: ${item(t.value)} | ${inlineBody(t.body)}}`;
    case "Call": {
      if (t.infix === undefined) return `${formatVarOrRef(t.operator)}(${t.args.map(item).join(", ")})`;
      const lv = level(t);
      const [a, b, c] = t.args;
      if (t.infix === "in" && t.args.length === 3 && a && b && c) {
        return `${formatTerm(a, 2)}, ${formatTerm(b, 2)} in ${formatTerm(c, 2)}`;
      }
      if (!a || !b) return `${formatVarOrRef(t.operator)}(${t.args.map(item).join(", ")})`;
      // Left-associative: the left operand may share this level, the right one must bind tighter.
      return `${formatTerm(a, Math.max(lv, 1))} ${t.infix} ${formatTerm(b, lv + 1)}`;
    }
    case "TemplateString":
      return formatTemplate(t);
  }
}

function formatTemplate(t: TemplateStringTerm): string {
  let s = t.raw ? "$`" : '$"';
  for (const p of t.parts) {
    if (p.type === "TemplateText") {
      if (t.raw) s += p.value.replace(/\{/g, "\\{");
      else s += formatString(p.value).slice(1, -1).replace(/\{/g, "\\{");
    } else {
      s += `{${formatExpr(p, "")}}`;
    }
  }
  return s + (t.raw ? "`" : '"');
}

function inlineBody(b: Body): string {
  return b.exprs.map((e) => formatExpr(e, "")).join("; ");
}

/** Formats one body literal. `indent` is used for nested `every` bodies. */
export function formatExpr(e: Expr, indent = ""): string {
  let s = e.negated ? "not " : "";
  const x = e.expr;
  switch (x.type) {
    case "SomeVars":
      s += `some ${x.vars.map((v) => v.name).join(", ")}`;
      break;
    case "SomeIn":
      s += `some ${x.key ? `${formatTerm(x.key, 2)}, ` : ""}${formatTerm(x.value, 2)} in ${formatTerm(x.collection, 2)}`;
      break;
    case "Every":
      s += `every ${x.key ? `${x.key.name}, ` : ""}${x.value.name} in ${formatTerm(x.domain, 2)} ${blockBody(x.body, indent)}`;
      break;
    default:
      s += formatTerm(x, 0);
  }
  for (const w of e.with) s += ` with ${formatVarOrRef(w.target)} as ${formatTerm(w.value, 1)}`;
  return s;
}

function blockBody(b: Body, indent: string): string {
  const inner = `${indent}\t`;
  return `{\n${b.exprs.map((e) => `${inner}${formatExpr(e, inner)}`).join("\n")}\n${indent}}`;
}

function formatPackage(p: Package): string {
  return `package ${formatVarOrRef(p.path)}`;
}

function formatImport(i: Import): string {
  return `import ${formatVarOrRef(i.path)}${i.alias ? ` as ${i.alias.name}` : ""}`;
}

function formatElse(e: ElseClause, useIf: boolean): string {
  let s = " else";
  if (e.value) s += ` ${e.assign ? ":=" : "="} ${formatTerm(e.value, 1)}`;
  if (e.body.exprs.length > 0) s += `${useIf ? " if" : ""} ${blockBody(e.body, "")}`;
  if (e.else) s += formatElse(e.else, useIf);
  return s;
}

/** Formats one rule (one clause). */
export function formatRule(r: Rule, v1Syntax = true): string {
  const h = r.head;
  let s = r.default ? "default " : "";
  s += formatVarOrRef(h.ref);
  if (h.args) s += `(${h.args.map(item).join(", ")})`;
  if (h.key) s += h.contains ? ` contains ${formatTerm(h.key, 1)}` : `[${formatTerm(h.key, 1)}]`;
  if (h.value && !h.valueImplied) s += ` ${h.assign ? ":=" : "="} ${formatTerm(h.value, 1)}`;
  if (!r.bodyImplied) s += `${r.if ? " if" : ""} ${blockBody(r.body, "")}`;
  if (r.else) s += formatElse(r.else, r.if || v1Syntax);
  return s;
}

function formatMetadata(m: MetadataBlock): string {
  const lines = m.yaml.endsWith("\n") ? m.yaml.slice(0, -1).split("\n") : m.yaml.split("\n");
  return ["# METADATA", ...lines.map((l) => (l.length > 0 ? `# ${l}` : "#"))].join("\n") + "\n";
}

/** Formats a whole module canonically. */
export function formatModule(m: Module): string {
  const pkgMeta = m.metadata.filter((b) => b.attachedTo.kind === "package").map(formatMetadata).join("");
  const ruleMeta = new Map<number, string>();
  for (const b of m.metadata) {
    if (b.attachedTo.kind === "rule") ruleMeta.set(b.attachedTo.index, (ruleMeta.get(b.attachedTo.index) ?? "") + formatMetadata(b));
  }
  const parts: string[] = [pkgMeta + formatPackage(m.package)];
  if (m.imports.length > 0) parts.push(m.imports.map(formatImport).join("\n"));
  m.rules.forEach((r, i) => parts.push((ruleMeta.get(i) ?? "") + formatRule(r, m.v1Syntax)));
  const dangling = m.metadata.filter((b) => b.attachedTo.kind === "none").map(formatMetadata).join("");
  if (dangling) parts.push(dangling.trimEnd());
  return parts.join("\n\n") + "\n";
}

/** Formats a query, one expression per line. */
export function formatQuery(q: Query): string {
  return q.body.exprs.map((e) => formatExpr(e, "")).join("\n");
}
