/**
 * The `fleetward/render` check run and the `fleetward diff` text: per root, the objects a pull request adds, removes
 * and changes in what Kustomize renders, the unified diff of the changed ones (collapsed per root), and the blast
 * radius as the title. Pure.
 *
 *   renderCheckRun(diffs, radius, headSha, limit?) → CheckRunPlan
 *   renderDiffText(diffs, radius) → string (the CLI's plain-text form, nothing cut)
 *
 * Within GitHub's 65,535 characters: each object's diff is cut at MAX_DIFF_LINES lines, and the roots' details stop
 * (with a count of the roots left out) before the summary would pass the limit. Success unless a root cannot be
 * rendered (then failure: the diff is incomplete; `fleetward/policy` fails on the same diagnostics).
 */
import { type CheckRunPlan, MAX_OUTPUT_CHARS } from "../../checks/check-run-plan.js";
import { type BlastRadius, blastRadiusLine, type ChangedObject, type ObjectRef, type RootDiff } from "./render-diff.js";
import { RENDER_CHECK_NAME } from "../check/check-names.js";

export { RENDER_CHECK_NAME };
/** Most lines of one object's diff shown. */
export const MAX_DIFF_LINES = 300;

const refText = (o: ObjectRef) => `${o.kind} ${o.namespace !== undefined ? `${o.namespace}/` : ""}${o.name}`;
const escapeCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function counts(d: RootDiff): string {
  if (d.status === "failed") return "cannot be rendered";
  const parts = [
    [d.added.length, "added"],
    [d.removed.length, "removed"],
    [d.changed.length, "changed"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n as number} ${what as string}`);
  const root = d.status === "added" ? "new root" : d.status === "removed" ? "root removed" : undefined;
  return [root, ...parts].filter((p) => p !== undefined).join(", ") || "unchanged";
}

/** The diff lines of one changed object, cut at MAX_DIFF_LINES. */
function objectDiff(o: ChangedObject): string[] {
  const shown = o.hunks.slice(0, MAX_DIFF_LINES);
  const cut = o.hunks.length - shown.length;
  return [`--- ${refText(o)} (base)`, `+++ ${refText(o)} (head)`, ...shown, ...(cut > 0 ? [`… ${cut} more lines of this object's diff not shown`] : [])];
}

/** A fence longer than any run of backticks in the lines, so a YAML value cannot close it. */
function fence(lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  return "`".repeat(longest + 1);
}

function rootDetails(d: RootDiff): string {
  const out = [`<details><summary><code>${d.dir === "" ? "." : d.dir}</code> (${d.label}): ${counts(d)}</summary>`, ""];
  if (d.status === "failed") {
    for (const e of d.errors) out.push(`- \`${e.file}:${e.line}\` ${e.code}: ${escapeCell(e.message)}`);
  } else {
    if (d.baseFailed) out.push("The base branch's render of this root failed: every object counts as added.", "");
    if (d.added.length > 0) out.push(`Added: ${d.added.map((o) => `\`${refText(o)}\``).join(", ")}`, "");
    if (d.removed.length > 0) out.push(`Removed: ${d.removed.map((o) => `\`${refText(o)}\``).join(", ")}`, "");
    if (d.changed.length > 0) {
      const lines = d.changed.flatMap(objectDiff);
      const f = fence(lines);
      out.push(`${f}diff`, ...lines, f);
    }
  }
  out.push("", "</details>");
  return out.join("\n");
}

/** The summary: blast radius, one table row per root, then each root's details while they fit in `limit`. */
function summary(diffs: readonly RootDiff[], radius: BlastRadius, limit: number): string {
  const shown = diffs.filter((d) => d.status !== "unchanged");
  const head = [`**${blastRadiusLine(radius)}**`];
  if (shown.length === 0) return head.join("\n");
  head.push("", "| Root | Deploys to | Rendered change |", "| --- | --- | --- |");
  const reserve = 200;
  let text = head.join("\n");
  let rows = 0;
  for (const d of shown) {
    const row = `\n| \`${escapeCell(d.dir === "" ? "." : d.dir)}\` | ${escapeCell(d.label)} | ${counts(d)} |`;
    if (text.length + row.length > limit - reserve) break;
    text += row;
    rows++;
  }
  if (rows < shown.length) return `${text}\n\n… ${shown.length - rows} more roots not listed (the summary is limited to ${limit.toLocaleString("en-US")} characters).`;
  let details = 0;
  for (const d of shown) {
    const block = `\n\n${rootDetails(d)}`;
    if (text.length + block.length > limit - reserve) break;
    text += block;
    details++;
  }
  if (details < shown.length) text += `\n\n… the diffs of ${shown.length - details} more roots are not shown (the summary is limited to ${limit.toLocaleString("en-US")} characters); \`fleetward diff --base <ref>\` prints them all.`;
  return text;
}

export function renderCheckRun(diffs: readonly RootDiff[], radius: BlastRadius, headSha: string, limit = MAX_OUTPUT_CHARS): CheckRunPlan {
  const line = blastRadiusLine(radius);
  return {
    name: RENDER_CHECK_NAME,
    headSha,
    conclusion: radius.failedRoots > 0 ? "failure" : "success",
    title: line.charAt(0).toUpperCase() + line.slice(1),
    summary: summary(diffs, radius, limit),
    annotations: [],
  };
}

/** Every changed root with its objects and diffs, then the blast radius: what `fleetward diff` prints. */
export function renderDiffText(diffs: readonly RootDiff[], radius: BlastRadius): string {
  const out: string[] = [];
  for (const d of diffs.filter((x) => x.status !== "unchanged")) {
    out.push(`== ${d.dir === "" ? "." : d.dir} [${d.label}]: ${counts(d)}`);
    for (const e of d.errors) out.push(`${e.file}:${e.line}: ${e.code}: ${e.message}`);
    if (d.baseFailed) out.push("(the base's render of this root failed: every object counts as added)");
    for (const o of d.added) out.push(`added   ${refText(o)}`);
    for (const o of d.removed) out.push(`removed ${refText(o)}`);
    for (const o of d.changed) out.push(`changed ${refText(o)}`, `--- ${refText(o)} (base)`, `+++ ${refText(o)} (head)`, ...o.hunks);
    out.push("");
  }
  out.push(blastRadiusLine(radius));
  return `${out.join("\n")}\n`;
}
