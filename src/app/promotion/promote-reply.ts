/** The replies to `/promote`: links to what was opened, skips and errors (the status comes from src/promotion/fleet-status/). Pure. */
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
