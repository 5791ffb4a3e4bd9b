/**
 * `/promote status` as Markdown, rendered from a `FleetStatus` (the `/fleet` page renders the same object):
 * open promotions (the asking change's first), versions per component and column with drift, waves baking,
 * frozen scopes, last reverts, delivery metrics. Pure; bounded so a comment stays far below GitHub's limit.
 */
import { markdownLink, markdownText } from "../../rollback/markdown-text.js";
import type { DurationSummary, FleetStatus, GateStatus, OpenPromotionStatus, StatusColumn } from "./fleet-status-types.js";

const MAX_ROWS = 60;
const MAX_COLUMNS = 16;
const MAX_LIST = 20;

/** `45s`, `12m`, `3h 5m`, `2d 4h`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

const GATES_TEXT: Record<OpenPromotionStatus["gates"]["state"], string> = { pass: "✅ all gates pass", fail: "❌ a gate fails", pending: "⏳ gates pending", unknown: "not evaluated yet" };
const GATE_ICON: Record<GateStatus["state"], string> = { pass: "✅", pending: "⏳", fail: "❌" };

function promotionsSection(status: FleetStatus, asked: number | null): string[] {
  if (status.promotions.length === 0) return ["No promotion pull request is open."];
  const mine = (p: OpenPromotionStatus) => asked !== null && p.origin.pr === asked;
  const sorted = [...status.promotions].sort((a, b) => Number(mine(b)) - Number(mine(a)) || a.pr.number - b.pr.number);
  const gates = (p: OpenPromotionStatus) => {
    const each = p.gates.gates.filter((g) => g.state !== "pass").map((g) => `${GATE_ICON[g.state]} ${g.name}`);
    return [GATES_TEXT[p.gates.state], ...(each.length > 0 ? [`(${each.join(", ")})`] : [])].join(" ");
  };
  return [
    "Open promotions:",
    "",
    "| Pull request | Component | From → to | Gates |",
    "| --- | --- | --- | --- |",
    ...sorted.slice(0, MAX_ROWS).map((p) => `| #${p.pr.number}${mine(p) ? " (this change)" : ""} | ${markdownText(p.component)} | \`${p.source}\` → \`${p.target}\` | ${gates(p)} |`),
    ...(sorted.length > MAX_ROWS ? ["", `… and ${sorted.length - MAX_ROWS} more.`] : []),
  ];
}

function columnTitle(c: StatusColumn): string {
  const where = c.cluster === null ? c.environment : `${c.cluster} (${c.wave === null ? c.environment : `${c.environment}/${c.wave}`})`;
  return `${markdownText(where)}${c.frozen ? " ❄️" : ""}`;
}

function versionsSection(status: FleetStatus): string[] {
  if (status.components.length === 0) return [];
  const columns = status.columns.slice(0, MAX_COLUMNS);
  const rows = status.components.slice(0, MAX_ROWS).map((c) => `| ${markdownText(c.component)} | ${c.cells.slice(0, MAX_COLUMNS).map((cell) => `${markdownText(cell.text, 60)}${cell.drift ? " ⚠️" : ""}`).join(" | ")} |`);
  const cut = [
    ...(status.components.length > MAX_ROWS ? [`${status.components.length - MAX_ROWS} more components`] : []),
    ...(status.columns.length > MAX_COLUMNS ? [`${status.columns.length - MAX_COLUMNS} more columns`] : []),
  ];
  return [
    `### Versions on \`${status.repository.defaultBranch}\``,
    "",
    `| Component | ${columns.map(columnTitle).join(" | ")} |`,
    `| --- | ${columns.map(() => "---").join(" | ")} |`,
    ...rows,
    "",
    ...(status.drift.length > 0 ? [`⚠️ differs from its source environment (${status.drift.length} ${status.drift.length === 1 ? "place" : "places"}).`] : []),
    ...(status.columns.some((c) => c.frozen) ? ["❄️ frozen by an open incident."] : []),
    ...(cut.length > 0 ? [`Not shown: ${cut.join(", ")} (see the status page).`] : []),
  ];
}

function bakingSection(status: FleetStatus): string[] {
  if (status.baking.length === 0) return [];
  const line = (b: FleetStatus["baking"][number]) => {
    const state = b.state === "baking" ? `${formatDuration(b.secondsLeft)} left` : b.state === "ready" ? "bake over, opens at the next check" : `halted: ${markdownText(b.detail)}`;
    return `- ${markdownText(b.component)}: \`${b.environment}/${b.wave}\` → \`${b.nextWave}\` (#${b.pr.number}): ${state}`;
  };
  return ["### Waves baking", "", ...status.baking.slice(0, MAX_LIST).map(line)];
}

function frozenSection(status: FleetStatus): string[] {
  if (status.frozen.length === 0) return [];
  const line = (f: FleetStatus["frozen"][number]) => {
    const alerts = f.alerts.filter((a) => a.status === "firing").map((a) => markdownLink(a.name, a.url) ?? markdownText(a.name));
    return `- ❄️ ${markdownText(f.cluster ?? (f.clusters.length > 0 ? `${f.environment} (${f.clusters.join(", ")})` : f.environment))}: incident #${f.incident.number}${alerts.length > 0 ? `, firing: ${alerts.join(", ")}` : ""}`;
  };
  return ["### Frozen", "", ...status.frozen.slice(0, MAX_LIST).map(line)];
}

function revertsSection(status: FleetStatus): string[] {
  if (status.reverts.length === 0) return [];
  const line = (r: FleetStatus["reverts"][number]) =>
    `- #${r.pr.number} ${r.state}: ${r.revertedPr !== null ? `#${r.revertedPr}` : `\`${r.revertedSha.slice(0, 7)}\``} reverted in ${markdownText(r.cluster ?? r.environment)}${r.component !== null ? ` (${markdownText(r.component)})` : ""}`;
  return ["### Last reverts", "", ...status.reverts.map(line)];
}

const median = (s: DurationSummary) => (s.count === 0 || s.medianSeconds === null ? "—" : `${formatDuration(s.medianSeconds)} (p90 ${formatDuration(s.p90Seconds ?? 0)}, n=${s.count})`);

function deliverySection(status: FleetStatus): string[] {
  const d = status.delivery;
  if (d.leadTime.length === 0 && d.revertRate.every((r) => r.reverts === 0)) return [];
  const rate = (env: string) => {
    const r = d.revertRate.find((x) => x.environment === env);
    return r?.rate == null ? "—" : `${(r.rate * 100).toFixed(0)}% (${r.reverts}/${r.promotions})`;
  };
  return [
    `### Delivery since ${d.since.slice(0, 10)}`,
    "",
    "| Environment | Lead time to arrive | To its last wave | Revert rate |",
    "| --- | --- | --- | --- |",
    ...d.leadTime.map((l) => `| ${markdownText(l.environment)} | ${median(l.arrival)} | ${median(l.complete)} | ${rate(l.environment)} |`),
    "",
    `Everywhere (last wave of the last environment): ${median(d.fleetComplete)}.`,
    ...(d.gateBlocked.length > 0 ? ["", `Time blocked by gates (median): ${d.gateBlocked.map((g) => `${markdownText(g.environment)} ${g.gate} ${median(g.summary)}`).join("; ")}.`] : []),
  ];
}

/** The `/promote status` reply; `asked` is the issue or pull request the command was written on (its promotions come first). */
export function renderStatusMarkdown(status: FleetStatus, asked: number | null): string {
  if (status.problem !== null) return `❌ No status: ${markdownText(status.problem)}.`;
  const sections = [promotionsSection(status, asked), versionsSection(status), bakingSection(status), frozenSection(status), revertsSection(status), deliverySection(status)].filter((s) => s.length > 0);
  return sections.map((s) => s.join("\n").trimEnd()).join("\n\n");
}
