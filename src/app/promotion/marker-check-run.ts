import type { CheckRunPlan } from "../../checks/check-run-plan.js";
import type { PromotionPlan } from "../../promotion/plan-promotions.js";
import type { PromotionOutcome } from "./execute-promotions.js";
import { PROMOTION_MARKER_CHECK_NAME } from "./promotion-deps.js";

const VERB: Record<PromotionOutcome["action"], string> = {
  opened: "opened",
  updated: "updated (superseded)",
  unchanged: "already open, unchanged",
  stale: "left alone: it carries a newer change",
  blocked: "not written: a person's pull request uses the promotion branch",
};

/** The `fleetward/promotion` check run of a default-branch commit: what its promotions did (neutral; it marks the commit handled). Pure. */
export function markerCheckRun(sha: string, plan: PromotionPlan, outcomes: readonly PromotionOutcome[]): CheckRunPlan {
  const lines = [
    ...outcomes.map((o) => `- ${o.component} → \`${o.target}\`: [#${o.number}](${o.url}) ${VERB[o.action]}`),
    ...plan.skipped.map((s) => `- ${s.component} → \`${s.target}\`: skipped (${s.reason})`),
    ...plan.errors.map((e) => `- ${e}`),
  ];
  const opened = outcomes.filter((o) => o.action === "opened" || o.action === "updated").length;
  return {
    name: PROMOTION_MARKER_CHECK_NAME,
    headSha: sha,
    conclusion: "neutral",
    title: opened === 0 ? "No promotion opened" : `${opened} promotion${opened === 1 ? "" : "s"} opened or updated`,
    summary: lines.length === 0 ? "This commit changes nothing that is promoted." : lines.join("\n"),
    annotations: [],
  };
}
