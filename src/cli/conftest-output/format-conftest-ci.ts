/**
 * Conftest's `--output` formats for CI systems, written from its documentation and output shapes: `tap`, `table`,
 * `junit` and `github` (stdout and json live in src/policy/conftest). Each takes the per-file, per-namespace results
 * and returns the whole text to print. Fleetward never colours output, so `--no-color` changes nothing here.
 */
import { formatConftestStandard } from "../../policy/conftest/format-conftest.js";
import type { ConftestCheckResult, ConftestResult } from "../../policy/conftest/conftest-types.js";

const indicator = (r: ConftestCheckResult): string => (r.filename === "-" ? "-" : `- ${r.filename}`);
const namespaceTag = (r: ConftestCheckResult): string => (r.namespace === "-" ? "-" : `- ${r.namespace} -`);
const total = (r: ConftestCheckResult): number => r.successes + r.failures.length + r.warnings.length + r.exceptions.length;

/** The `N tests, N passed, …` line Conftest closes its stdout and github formats with. */
function summaryLine(results: readonly ConftestCheckResult[]): string {
  return formatConftestStandard(results).at(-1) ?? "";
}

/** TAP: per file and namespace a plan `1..N`, failures `not ok`, then `# warnings` (not ok), `# exceptions` and `# successes` (ok). */
export function formatConftestTap(results: readonly ConftestCheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const n = total(r);
    if (n === 0) continue;
    let counter = 1;
    const line = (ok: boolean, msg: string) => lines.push(`${ok ? "ok" : "not ok"} ${counter++} ${indicator(r)} ${namespaceTag(r)} ${msg}`);
    lines.push(`1..${n}`);
    for (const f of r.failures) line(false, f.msg);
    if (r.warnings.length > 0) lines.push("# warnings");
    for (const w of r.warnings) line(false, w.msg);
    if (r.exceptions.length > 0) lines.push("# exceptions");
    for (const e of r.exceptions) line(true, e.msg);
    if (r.successes > 0) lines.push("# successes");
    for (let i = 0; i < r.successes; i++) line(true, "SUCCESS");
  }
  return lines.map((l) => `${l}\n`).join("");
}

function center(text: string, width: number): string {
  const pad = width - text.length;
  const left = Math.floor(pad / 2);
  return " ".repeat(left) + text + " ".repeat(pad - left);
}

/** A table with the columns result, file, namespace, message (headers upper-cased and centred); nothing when empty. */
export function formatConftestTable(results: readonly ConftestCheckResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (let i = 0; i < r.successes; i++) rows.push(["success", r.filename, r.namespace, "SUCCESS"]);
    for (const e of r.exceptions) rows.push(["exception", r.filename, r.namespace, e.msg]);
    for (const w of r.warnings) rows.push(["warning", r.filename, r.namespace, w.msg]);
    for (const f of r.failures) rows.push(["failure", r.filename, r.namespace, f.msg]);
  }
  if (rows.length === 0) return "";
  const header = ["RESULT", "FILE", "NAMESPACE", "MESSAGE"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const rule = "+" + widths.map((w) => "-".repeat(w + 2)).join("+") + "+";
  const head = "|" + header.map((h, i) => ` ${center(h, widths[i] ?? 0)} `).join("|") + "|";
  const body = rows.map((row) => "|" + row.map((c, i) => ` ${c.padEnd(widths[i] ?? 0)} `).join("|") + "|");
  return [rule, head, rule, ...body, rule].map((l) => `${l}\n`).join("");
}

function xml(text: string, attribute: boolean): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");
  return attribute ? escaped.replace(/\n/g, "&#xA;").replace(/\r/g, "&#xD;").replace(/\t/g, "&#x9;") : escaped;
}

/**
 * JUnit XML as go-junit-report writes it for Conftest: one `<testsuite name="conftest.<namespace>">` per namespace
 * (sorted), a test case per warning and failure (both `<failure message="Failed">`) and per success; the test name is
 * `<file> - <first line of the message>`, or the file alone for successes and with `hideMessage`.
 */
export function formatConftestJunit(results: readonly ConftestCheckResult[], hideMessage = false): string {
  type Case = { name: string; failure?: string };
  const suites = new Map<string, Case[]>();
  const name = (file: string, msg: string) => (hideMessage || msg === "" ? file : `${file} - ${msg.split("\n")[0] ?? ""}`);
  for (const r of results) {
    const cases = suites.get(r.namespace) ?? [];
    suites.set(r.namespace, cases);
    const failed = (m: ConftestResult) => cases.push({ name: name(r.filename, m.msg), failure: m.msg });
    r.warnings.forEach(failed);
    r.failures.forEach(failed);
    for (let i = 0; i < r.successes; i++) cases.push({ name: name(r.filename, "") });
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"];
  for (const ns of [...suites.keys()].sort()) {
    const cases = suites.get(ns) ?? [];
    const suite = xml(`conftest.${ns}`, true);
    out.push(`\t<testsuite tests="${cases.length}" failures="${cases.filter((c) => c.failure !== undefined).length}" time="0.000" name="${suite}">`);
    for (const c of cases) {
      const open = `\t\t<testcase classname="${suite}" name="${xml(c.name, true)}" time="0.000">`;
      if (c.failure === undefined) out.push(`${open}</testcase>`);
      else out.push(open, `\t\t\t<failure message="Failed" type="">${xml(c.failure, false)}</failure>`, "\t\t</testcase>");
    }
    out.push("\t</testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

/**
 * GitHub Actions workflow commands: per file and namespace a `::group::`, `::error` per failure, `::warning` per
 * warning, `::notice` per exception and for the number of successes, at the result's `_loc` when it names the
 * same file, else at line 1; then Conftest's summary line.
 */
export function formatConftestGithub(results: readonly ConftestCheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const at = (m: ConftestResult | undefined) => {
      const same = m?.loc?.file === undefined || m.loc.file === r.filename;
      return `file=${r.filename},line=${same && m?.loc?.line !== undefined ? m.loc.line : "1"}`;
    };
    lines.push(`::group::Testing ${JSON.stringify(r.filename)} against ${total(r)} policies in namespace ${JSON.stringify(r.namespace)}`);
    for (const f of r.failures) lines.push(`::error ${at(f)}::${f.msg}`);
    for (const w of r.warnings) lines.push(`::warning ${at(w)}::${w.msg}`);
    for (const e of r.exceptions) lines.push(`::notice ${at(e)}::${e.msg}`);
    lines.push(`::notice ${at(undefined)}::Number of successful checks: ${r.successes}`);
    lines.push("::endgroup::");
  }
  lines.push(summaryLine(results));
  return lines.map((l) => `${l}\n`).join("");
}
