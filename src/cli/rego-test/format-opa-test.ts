/**
 * `opa test`'s pretty report for Fleetward's Rego test results: a test is printed (`file:row:` then
 * `data.pkg.test_x: PASS (1.2ms)`) when it did not pass, or always with `--verbose`; an error's message follows on
 * its own indented line; with `--verbose` and failures, a FAILURES section names them again (OPA adds its trace
 * there, which compiled Wasm does not record); then, after a rule of 80 dashes when anything was printed, the counts
 * `PASS: n/total`, `FAIL:`, `SKIPPED:`, `ERROR:` (those that are not zero).
 */
import type { RegoTestResult } from "../../policy/rego-tests/run-rego-tests.js";

const OUTCOME = { pass: "PASS", fail: "FAIL", error: "ERROR", skip: "SKIPPED" } as const;

/** A duration as Go's time.Duration prints it (`850ns`, `312.5µs`, `1.234567ms`, `2.5s`). */
export function formatGoDuration(ms: number): string {
  const ns = Math.max(0, Math.round(ms * 1e6));
  if (ns === 0) return "0s";
  const trim = (value: number, digits: number) => value.toFixed(digits).replace(/\.?0+$/, "");
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${trim(ns / 1e3, 3)}µs`;
  if (ns < 1e9) return `${trim(ns / 1e6, 6)}ms`;
  return `${trim(ns / 1e9, 9)}s`;
}

const line = (r: RegoTestResult): string => `${r.name}: ${OUTCOME[r.outcome]} (${formatGoDuration(r.durationMs ?? 0)})`;

export function formatOpaTestReport(results: readonly RegoTestResult[], verbose: boolean): string {
  const out: string[] = [];
  let lastFile = "";
  for (const r of results) {
    if (!verbose && r.outcome === "pass") continue;
    if (lastFile !== "" && lastFile !== r.file) out.push("");
    out.push(`${r.file}:${r.line}:`, line(r));
    lastFile = r.file;
    if (r.outcome === "error") out.push(`  ${r.message ?? ""}`);
  }
  const failures = results.filter((r) => r.outcome === "fail");
  if (verbose && failures.length > 0) {
    out.push("-".repeat(80), "FAILURES", "-".repeat(80));
    for (const f of failures) out.push(line(f), "", "");
  }
  if (out.length > 0) out.push("-".repeat(80));
  const count = (o: RegoTestResult["outcome"]) => results.filter((r) => r.outcome === o).length;
  for (const o of ["pass", "fail", "skip", "error"] as const) {
    const n = count(o);
    if (n > 0) out.push(`${OUTCOME[o]}: ${n}/${results.length}`);
  }
  return out.map((l) => `${l}\n`).join("");
}
