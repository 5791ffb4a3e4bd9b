/** The replies to `/promote`: links to what was opened, skips and errors; the status table. Pure. */
import { echoArgument } from "../../promotion/parse-promote-command.js";
import type { PromotionPlan } from "../../promotion/plan-promotions.js";
import type { PromotionOutcome } from "./execute-promotions.js";

const SKIP_TEXT: Record<PromotionPlan["skipped"][number]["reason"], string> = {
  "no-change": "already up to date, nothing to promote",
  manual: "manual promotion path",
  "no-source": "not found in the source",
  "waits-for-bake": "waits for the bake of the previous wave",
};

/** Most characters of a component name a reply repeats (configured names are far shorter; a typed one may not be). */
const COMPONENT_ECHO = 200;

/** The reply to `/promote <target>`: one line per pull request opened or updated, then what was skipped and why. */
export function formatPromoteOutcomes(target: string, plan: PromotionPlan, outcomes: readonly PromotionOutcome[]): string {
  if (plan.errors.length > 0) return `❌ Not promoted: ${plan.errors.join("; ")}.`;
  const lines: string[] = [];
  for (const o of outcomes) {
    const what = {
      opened: "opened",
      updated: "updated (superseded)",
      unchanged: "already open",
      stale: "already open with a newer change",
      blocked: "not written: this pull request, not opened by Fleetward, uses the promotion branch",
    }[o.action];
    lines.push(`- ${o.component} → \`${o.target}\`: [#${o.number}](${o.url}) ${what}`);
  }
  // A skipped component may be the commenter's own word (`/promote staging <anything>`): cut like any echo.
  for (const s of plan.skipped) lines.push(`- ${echoArgument(s.component, COMPONENT_ECHO)} → \`${s.target}\`: ${SKIP_TEXT[s.reason]}`);
  if (lines.length === 0) return `Nothing to promote to \`${target}\`: no component found in its source.`;
  const head = outcomes.length > 0 ? `🚀 Promotion to \`${target}\`:` : `Nothing to promote to \`${target}\`:`;
  return [head, "", ...lines].join("\n");
}

export interface PromotionStatusRow {
  number: number;
  component: string;
  source: string;
  target: string;
  originPr: number | null;
  /** Conclusion of `fleetward/promotion-gates` on the head, its status while running, or null when not published. */
  gates: string | null;
}

const GATES_TEXT: Record<string, string> = { success: "✅ all gates pass", failure: "❌ a gate fails", action_required: "⏳ gates pending" };

/** `/promote status`: the open promotions, those of this change first. */
export function formatPromotionStatus(rows: readonly PromotionStatusRow[], asked: number): string {
  if (rows.length === 0) return "No promotion pull request is open.";
  const sorted = [...rows].sort((a, b) => Number(b.originPr === asked) - Number(a.originPr === asked) || a.number - b.number);
  return [
    "Open promotions:",
    "",
    "| Pull request | Component | From → to | Gates |",
    "| --- | --- | --- | --- |",
    ...sorted.map((r) => `| #${r.number}${r.originPr === asked ? " (this change)" : ""} | ${r.component} | \`${r.source}\` → \`${r.target}\` | ${r.gates === null ? "not evaluated yet" : (GATES_TEXT[r.gates] ?? r.gates)} |`),
  ].join("\n");
}
