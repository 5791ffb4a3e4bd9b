/**
 * The part of Go's text/template language that `strings.render_template` needs: text, `{{.a.b}}`,
 * variables (`$x`, `$x.a`), literals, `if`/`else if`/`else`, `range` (with `$i, $v :=`), `with`, `end`,
 * comments and `{{-`/`-}}` trimming. A missing object key prints `<undefined>`; values print as Go's
 * `%v` does. Anything else is a TemplateError.
 */
import { isObject, type Json } from "./operands.js";

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

type Node =
  | { k: "text"; text: string }
  | { k: "print"; expr: string }
  | { k: "if"; branches: Array<{ cond: string | undefined; body: Node[] }> }
  | { k: "range"; vars: string[]; expr: string; body: Node[]; otherwise: Node[] }
  | { k: "with"; expr: string; body: Node[]; otherwise: Node[] };

const MISSING = Symbol("missing");
type Value = Json | typeof MISSING;

/** Splits the template into text and trimmed action texts. */
function lex(template: string): Array<{ text: string } | { action: string }> {
  const out: Array<{ text: string } | { action: string }> = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{{", i);
    if (open < 0) {
      out.push({ text: template.slice(i) });
      break;
    }
    let text = template.slice(i, open);
    let start = open + 2;
    if (template.startsWith("- ", start) || template.startsWith("-\t", start) || template.startsWith("-\n", start)) {
      text = text.replace(/\s+$/, "");
      start++;
    }
    if (text !== "") out.push({ text });
    const close = template.indexOf("}}", start);
    if (close < 0) throw new TemplateError("unclosed action");
    let end = close;
    let next = close + 2;
    if (template[close - 1] === "-" && /\s/.test(template[close - 2] ?? "")) {
      end = close - 1;
      const rest = template.slice(next);
      next += rest.length - rest.replace(/^\s+/, "").length;
    }
    out.push({ action: template.slice(start, end).trim() });
    i = next;
  }
  return out;
}

function parse(template: string): Node[] {
  const tokens = lex(template);
  let pos = 0;
  const block = (stop: readonly string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++] as { text: string } | { action: string };
      if ("text" in t) {
        nodes.push({ k: "text", text: t.text });
        continue;
      }
      const a = t.action;
      const word = /^[a-z]+\b/.exec(a)?.[0] ?? "";
      if (a.startsWith("/*")) continue;
      if (stop.includes(word)) return { nodes, end: a };
      if (word === "if") {
        const branches: Array<{ cond: string | undefined; body: Node[] }> = [];
        let cond: string | undefined = a.slice(2).trim();
        for (;;) {
          const r = block(["else", "end"]);
          branches.push({ cond, body: r.nodes });
          if (r.end === "end") break;
          const rest = r.end.slice(4).trim();
          cond = rest.startsWith("if ") ? rest.slice(3).trim() : undefined;
          if (rest !== "" && cond === undefined) throw new TemplateError(`unexpected ${r.end}`);
        }
        nodes.push({ k: "if", branches });
      } else if (word === "range" || word === "with") {
        let expr = a.slice(word.length).trim();
        let vars: string[] = [];
        const decl = /^(\$\w*)\s*(?:,\s*(\$\w*)\s*)?:=\s*(.+)$/.exec(expr);
        if (decl) {
          vars = [decl[1], decl[2]].filter((v): v is string => v !== undefined);
          expr = decl[3] as string;
        }
        const body = block(["else", "end"]);
        const otherwise = body.end === "end" ? [] : block(["end"]).nodes;
        nodes.push(word === "range" ? { k: "range", vars, expr, body: body.nodes, otherwise } : { k: "with", expr, body: body.nodes, otherwise });
      } else if (word === "end" || word === "else" || ["define", "template", "block"].includes(word)) {
        throw new TemplateError(`unexpected {{${a}}}`);
      } else nodes.push({ k: "print", expr: a });
    }
    if (stop.length > 0) throw new TemplateError("unexpected EOF");
    return { nodes, end: "" };
  };
  return block([]).nodes;
}

function field(v: Value, key: string): Value {
  if (v === MISSING) return MISSING;
  if (isObject(v)) return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : MISSING;
  throw new TemplateError(`can't evaluate field ${key} in type ${Array.isArray(v) ? "array" : typeof v}`);
}

function evalExpr(expr: string, dot: Value, vars: Map<string, Value>): Value {
  const e = expr.trim();
  if (e.startsWith("(") || e.includes("|") || /\s/.test(e.replace(/"(?:[^"\\]|\\.)*"/g, ""))) throw new TemplateError(`unsupported pipeline ${e}`);
  if (e === ".") return dot;
  if (e === "true" || e === "false") return e === "true";
  if (e === "nil") return null;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(e)) return Number(e);
  if (e.startsWith('"')) return JSON.parse(e) as Json;
  const m = /^(\$\w*|)((?:\.\w+)*)$/.exec(e);
  if (!m) throw new TemplateError(`unsupported pipeline ${e}`);
  let v: Value = dot;
  if (m[1]) {
    if (!vars.has(m[1])) throw new TemplateError(`undefined variable "${m[1]}"`);
    v = vars.get(m[1]) as Value;
  }
  for (const key of (m[2] ?? "").split(".").slice(1)) v = field(v, key);
  return v;
}

function truthy(v: Value): boolean {
  if (v === MISSING || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** Go's `%v` of a JSON value. */
function show(v: Value): string {
  if (v === MISSING) return "<undefined>";
  if (v === null) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(show).join(" ")}]`;
  if (isObject(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${show(v[k])}`).join(" ")}]`;
  return String(v);
}

function run(nodes: readonly Node[], dot: Value, vars: Map<string, Value>): string {
  let out = "";
  for (const n of nodes) {
    if (n.k === "text") out += n.text;
    else if (n.k === "print") out += show(evalExpr(n.expr, dot, vars));
    else if (n.k === "if") {
      const hit = n.branches.find((b) => b.cond === undefined || truthy(evalExpr(b.cond, dot, vars)));
      if (hit) out += run(hit.body, dot, vars);
    } else if (n.k === "with") {
      const v = evalExpr(n.expr, dot, vars);
      out += truthy(v) ? run(n.body, v, vars) : run(n.otherwise, dot, vars);
    } else {
      const v = evalExpr(n.expr, dot, vars);
      const entries: Array<[Json, Json]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : isObject(v) ? Object.keys(v).sort().map((k) => [k, v[k]]) : [];
      if (v !== MISSING && v !== null && !Array.isArray(v) && !isObject(v)) throw new TemplateError(`range can't iterate over ${show(v)}`);
      if (entries.length === 0) out += run(n.otherwise, dot, vars);
      for (const [key, elem] of entries) {
        const scope = new Map(vars);
        if (n.vars.length === 1) scope.set(n.vars[0] as string, elem);
        if (n.vars.length === 2) {
          scope.set(n.vars[0] as string, key);
          scope.set(n.vars[1] as string, elem);
        }
        out += run(n.body, elem, scope);
      }
    }
  }
  return out;
}

/** Renders a Go text/template over `data` (an object). Throws TemplateError. */
export function renderGoTemplate(template: string, data: Json): string {
  return run(parse(template), data, new Map([["$", data]]));
}
