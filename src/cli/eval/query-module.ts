/**
 * The generated module `fleetward eval` compiles a query into: one partial set rule whose members are
 * `[[value of each expression], {binding: value}]`, in v1 syntax (`contains … if`) or v0 syntax (`q[…] { … }`), as the
 * modules it is compiled with. Each expression's value: a term evaluates to its value (and fails on `false`), other
 * expressions (calls, `not`, `with`, `some`, `every`) to `true`.
 */
import { forEachVarInExpr } from "../../rego/check/term-utils.js";
import type { Query } from "../../rego/parser/nodes.js";

export const QUERY_PACKAGE = "fleetward_eval_query";
export const QUERY_ENTRYPOINT = `${QUERY_PACKAGE}/q`;

export interface QueryExpression {
  text: string;
  row: number;
  col: number;
}

export function queryModule(query: string, parsed: Query, v0: boolean): { text: string; expressions: QueryExpression[] } {
  const exprs = parsed.body.exprs;
  const vars = new Set<string>();
  for (const e of exprs) {
    forEachVarInExpr(e, (v) => {
      if (v.name !== "input" && v.name !== "data" && v.name !== "_" && !v.name.startsWith("$")) vars.add(v.name);
    }, { skipClosures: true });
  }
  const bodyLines: string[] = [];
  const values: string[] = [];
  const expressions: QueryExpression[] = [];
  exprs.forEach((e, i) => {
    const text = query.slice(e.span.start.offset, e.span.end.offset);
    expressions.push({ text, row: e.span.start.line, col: e.span.start.column });
    const x = e.expr;
    const isTerm = !e.negated && e.with.length === 0 && x.type !== "SomeVars" && x.type !== "SomeIn" && x.type !== "Every" && x.type !== "Call";
    if (isTerm) {
      bodyLines.push(`__fw_expr${i} := ${text}`, `__fw_expr${i} != false`);
      values.push(`__fw_expr${i}`);
    } else {
      bodyLines.push(text);
      values.push("true");
    }
  });
  const bindings = [...vars].map((v) => `${JSON.stringify(v)}: ${v}`).join(", ");
  const member = `[[${values.join(", ")}], {${bindings}}]`;
  const head = v0 ? `q[${member}]` : `q contains ${member} if`;
  return { text: `package ${QUERY_PACKAGE}\n\n${head} {\n${bodyLines.join("\n")}\n}\n`, expressions };
}
