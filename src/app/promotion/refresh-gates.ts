import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { PromotionOutcome } from "./execute-promotions.js";
import type { PromotionDeps } from "./promotion-deps.js";
import { loadGatesContext, runPromotionGates } from "./run-promotion-gates.js";

/** Publishes the gates of the pull requests just opened or updated (their new head has no gates check yet). */
export async function refreshGates(gh: GitHubClient, where: RepoRef & { defaultBranch: string }, outcomes: readonly PromotionOutcome[], deps: PromotionDeps): Promise<void> {
  const changed = outcomes.filter((o) => (o.action === "opened" || o.action === "updated") && o.pull !== null);
  if (changed.length === 0) return;
  const context = await loadGatesContext(gh, where, deps);
  if (!context) return;
  for (const o of changed) if (o.pull) await runPromotionGates(gh, where, o.pull, context, deps);
}
