import type { ConftestCheckResult, ConftestResult } from "./conftest-types.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Conftest's standard (text) output, without colours: one line per warning, failure and exception, then a summary. */
export function formatConftestStandard(results: readonly ConftestCheckResult[]): string[] {
  const lines: string[] = [];
  let failures = 0;
  let warnings = 0;
  let exceptions = 0;
  let successes = 0;
  for (const r of results) {
    const indicator = r.filename === "-" ? "-" : `- ${r.filename}`;
    const ns = r.namespace === "-" ? "-" : `- ${r.namespace} -`;
    const total = r.successes + r.warnings.length + r.failures.length + r.exceptions.length;
    if (total === 0) {
      lines.push(`? ${indicator} ${ns} no policies found`);
      continue;
    }
    for (const w of r.warnings) lines.push(`WARN ${indicator} ${ns} ${w.msg}`);
    for (const f of r.failures) lines.push(`FAIL ${indicator} ${ns} ${f.msg}`);
    for (const e of r.exceptions) lines.push(`EXCP ${indicator} ${ns} ${e.msg}`);
    failures += r.failures.length;
    warnings += r.warnings.length;
    exceptions += r.exceptions.length;
    successes += r.successes;
  }
  const tests = failures + warnings + exceptions + successes;
  lines.push("");
  lines.push(
    `${plural(tests, "test")}, ${successes} passed, ${plural(warnings, "warning")}, ${plural(failures, "failure")}, ${plural(exceptions, "exception")}`,
  );
  return lines;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function resultJson(r: ConftestResult): Record<string, unknown> {
  const o: Record<string, unknown> = { msg: r.msg };
  if (r.loc !== undefined) o.loc = r.loc;
  if (r.metadata !== undefined && Object.keys(r.metadata).length > 0) o.metadata = sortKeys(r.metadata);
  return o;
}

/**
 * Conftest's JSON output: the CheckResults as Go marshals them (empty lists omitted, map keys sorted, `<`, `>`, `&`
 * escaped), indented with tabs, followed by a newline. The `-` file name (stdin) is written as "".
 */
export function formatConftestJson(results: readonly ConftestCheckResult[]): string {
  const arr = results.map((r) => {
    const o: Record<string, unknown> = { filename: r.filename === "-" ? "" : r.filename, namespace: r.namespace, successes: r.successes };
    if (r.warnings.length > 0) o.warnings = r.warnings.map(resultJson);
    if (r.failures.length > 0) o.failures = r.failures.map(resultJson);
    if (r.exceptions.length > 0) o.exceptions = r.exceptions.map(resultJson);
    return o;
  });
  const text = JSON.stringify(arr, null, "\t")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
  return `${text}\n`;
}

/**
 * Conftest's exit code: 1 when there are failures (0 otherwise); with --fail-on-warn, 2 for failures and 1 for
 * warnings; with --no-fail always 0. Evaluation errors exit with 1.
 */
export function conftestExitCode(
  results: readonly ConftestCheckResult[],
  options: { failOnWarn?: boolean; noFail?: boolean; hadErrors?: boolean } = {},
): number {
  if (options.hadErrors === true) return 1;
  if (options.noFail === true) return 0;
  const failed = results.some((r) => r.failures.length > 0);
  const warned = results.some((r) => r.warnings.length > 0);
  if (options.failOnWarn === true) return failed ? 2 : warned ? 1 : 0;
  return failed ? 1 : 0;
}
