/**
 * `fleetward eval --format pretty`, as `opa eval -f pretty` prints a result set: `undefined` when there is no
 * result; the value alone, as indented JSON, when the query has one expression and no bindings; else a table with a
 * column per binding (sorted by name) and per expression whose value is not `true`, one row per result.
 */
export interface EvalExpressionResult {
  value: unknown;
  text: string;
}

export interface EvalResult {
  expressions: EvalExpressionResult[];
  bindings?: Record<string, unknown>;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = "+" + widths.map((w) => "-".repeat(w + 2)).join("+") + "+";
  const row = (cells: string[]): string => "| " + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ") + " |";
  return [line, row(header), line, ...rows.map(row), line].join("\n") + "\n";
}

export function formatEvalPretty(result: readonly EvalResult[]): string {
  const first = result[0];
  if (first === undefined) return "undefined\n";
  const vars = Object.keys(first.bindings ?? {}).sort();
  if (result.length === 1 && vars.length === 0 && first.expressions.length === 1) {
    return JSON.stringify(first.expressions[0]?.value, null, 2) + "\n";
  }
  const shown = first.expressions.map((e, i) => ({ e, i })).filter(({ e }) => e.value !== true);
  if (vars.length === 0 && shown.length === 0) return "true\n";
  const header = [...vars, ...shown.map(({ e }) => e.text)];
  const rows = result.map((r) => [
    ...vars.map((v) => JSON.stringify(r.bindings?.[v])),
    ...shown.map(({ i }) => JSON.stringify(r.expressions[i]?.value)),
  ]);
  return table(header, rows);
}
