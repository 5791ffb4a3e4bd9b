/**
 * `fleetward conformance <dir>… [--json report.json] [--strict] [--known-failures file] [--filter text]
 * [--write-known-failures]`: runs OPA conformance cases (see run-conformance.ts), prints per-folder results
 * and per tier, then `N passed, M failed`. Exit 0, or 1 with `--strict` when a case fails that is not a known
 * failure or a known failure passes; 2 on usage errors. `--write-known-failures` rewrites the known-failures
 * file with the current failures.
 */
import { writeFile } from "node:fs/promises";
import type { CliIO } from "../cli-io.js";
import { runConformance, type CaseOutcome } from "../conformance/run-conformance.js";

const USAGE = "usage: fleetward conformance <dir>... [--json report.json] [--strict] [--known-failures file] [--filter text] [--write-known-failures]\n";
export const DEFAULT_KNOWN_FAILURES = "conformance/known-failures.json";

export async function runConformanceCommand(args: string[], io: CliIO): Promise<number> {
  const dirs: string[] = [];
  let json: string | undefined;
  let strict = false;
  let knownFile = DEFAULT_KNOWN_FAILURES;
  let filter: string | undefined;
  let writeKnown = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const value = (): string | undefined => args[++i];
    if (a === "--json") json = value();
    else if (a === "--strict") strict = true;
    else if (a === "--known-failures") knownFile = value() ?? "";
    else if (a === "--filter") filter = value();
    else if (a === "--write-known-failures") writeKnown = true;
    else if (a === "-h" || a === "--help") {
      io.stdout(USAGE);
      return 0;
    } else if (a.startsWith("-")) {
      io.stderr(`fleetward conformance: unknown option ${a}\n${USAGE}`);
      return 2;
    } else dirs.push(a);
  }
  if (dirs.length === 0 || json === "" || knownFile === "") {
    io.stderr(USAGE);
    return 2;
  }
  let known: Record<string, string> = {};
  try {
    known = JSON.parse(await io.readFile(knownFile)) as Record<string, string>;
  } catch {
    if (knownFile !== DEFAULT_KNOWN_FAILURES) {
      io.stderr(`fleetward conformance: cannot read ${knownFile}\n`);
      return 2;
    }
  }
  const opts: Parameters<typeof runConformance>[1] = { knownFailures: known };
  if (filter !== undefined) opts.filter = filter;
  const report = await runConformance(dirs, opts);
  const folders = new Map<string, CaseOutcome[]>();
  for (const o of report.outcomes) {
    const list = folders.get(o.folder) ?? [];
    list.push(o);
    folders.set(o.folder, list);
  }
  for (const [folder, list] of folders) {
    const n = (s: string): number => list.filter((o) => o.status === s).length;
    io.stdout(`${folder}: ${n("passed")} passed, ${n("failed")} failed\n`);
    for (const o of list) if (o.status === "failed" && !o.known) io.stdout(`  FAIL ${o.note}: ${o.reason ?? ""}\n`);
  }
  for (const p of report.problems) io.stderr(`problem: ${p}\n`);
  for (const note of report.fixedKnownFailures) io.stdout(`now passing (remove from ${knownFile}): ${note}\n`);
  for (const [tier, t] of Object.entries(report.byTier).sort()) io.stdout(`tier ${tier}: ${t.passed} passed, ${t.failed} failed\n`);
  io.stdout(`${report.passed} passed, ${report.failed} failed\n`);
  if (json) await writeFile(json, JSON.stringify(report, null, 2) + "\n");
  if (writeKnown) {
    const next: Record<string, string> = {};
    for (const o of report.outcomes) if (o.status === "failed") next[o.note] = known[o.note] ?? (o.reason ?? "fails").slice(0, 200);
    await writeFile(knownFile, JSON.stringify(next, null, 2) + "\n");
  }
  if (strict && (report.unexpectedFailures.length > 0 || report.fixedKnownFailures.length > 0)) return 1;
  return 0;
}
