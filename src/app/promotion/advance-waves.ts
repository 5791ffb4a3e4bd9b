/**
 * Waves: a merged wave pull request is labelled `fleetward:baking`; when its bake time has passed with no
 * alert on its clusters (`planNextWave`), the next wave's promotion opens; an alert halts the rollout.
 * Called on `pull_request.closed` (bake 0s opens at once) and by the reconciler (time passes without webhooks).
 */
import type { Fleet } from "../../fleet/build-fleet.js";
import { analyseBakingWave } from "../analysis/analyse-baking-wave.js";
import { parsePromotionMetadata } from "../../promotion/parse-promotion-metadata.js";
import type { NextWaveDecision } from "../../promotion/plan-next-wave.js";
import { planNextWave } from "../../promotion/plan-next-wave.js";
import { planPromotions } from "../../promotion/plan-promotions.js";
import { resolveScope } from "../../promotion/promotion-hops.js";
import { resolveWaves } from "../../promotion/resolve-waves.js";
import { createComment } from "../github/comments.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { addLabels } from "../github/issues.js";
import { listPullRequestNumbersWithLabel, removeLabel } from "../github/labelled-pull-requests.js";
import { getBranchSha } from "../github/point-branch.js";
import type { PullRequestFacts } from "../github/pull-requests.js";
import { getPullRequest } from "../github/pull-requests.js";
import { readTreeFiles } from "../github/read-tree-files.js";
import type { PromotionOutcome } from "./execute-promotions.js";
import { executePromotions, openedByApp } from "./execute-promotions.js";
import type { PromotionDeps } from "./promotion-deps.js";
import { BAKING_LABEL } from "./promotion-deps.js";
import { inFleetFolders, incidentAlerts } from "./promotion-facts.js";
import { refreshGates } from "./refresh-gates.js";
import type { GatesContext } from "./run-promotion-gates.js";

/** The environment and wave a merged promotion pull request brought the change into, when a later wave follows. */
function bakingWave(fleet: Fleet, pr: PullRequestFacts): { environment: string; wave: string; component: string } | null {
  const meta = parsePromotionMetadata(pr.body);
  if (!meta) return null;
  const scope = resolveScope(fleet, meta.target);
  if (!scope || scope.wave === undefined) return null;
  const waves = resolveWaves(fleet, scope.environment);
  const index = waves.findIndex((w) => w.name === scope.wave);
  if (index < 0 || index === waves.length - 1) return null;
  return { environment: scope.environment, wave: scope.wave, component: meta.component };
}

/**
 * Labels a merged wave pull request as baking; false when it is not one (or has no wave after it). Only this
 * app's pull requests are wave promotions: another author's, with metadata copied into its body, is not.
 */
export async function recordWaveMerge(gh: GitHubClient, where: RepoRef, pr: PullRequestFacts, fleet: Fleet, botLogin: string): Promise<boolean> {
  if (!pr.merged || !openedByApp(pr, botLogin) || bakingWave(fleet, pr) === null) return false;
  await addLabels(gh, { ...where, number: pr.number, labels: [BAKING_LABEL] });
  return true;
}

export interface WaveStep {
  pull: number;
  decision: NextWaveDecision;
  outcomes: PromotionOutcome[];
}

/** Decides, for one baking pull request, whether the next wave opens now; executes it. */
async function advanceOne(gh: GitHubClient, where: RepoRef & { defaultBranch: string }, pr: PullRequestFacts, context: GatesContext, deps: PromotionDeps): Promise<WaveStep> {
  const { fleet } = context;
  const baking = openedByApp(pr, await deps.botLogin()) ? bakingWave(fleet, pr) : null;
  if (!pr.merged || !baking || pr.mergedAt === null) {
    await removeLabel(gh, { ...where, number: pr.number, label: BAKING_LABEL });
    return { pull: pr.number, decision: { action: "none", detail: "not a merged wave promotion" }, outcomes: [] };
  }
  const waves = resolveWaves(fleet, baking.environment);
  const index = waves.findIndex((w) => w.name === baking.wave);
  // The chain reached this wave, so the earlier waves merged before; only the baking wave's merge time matters.
  const merged = waves.slice(0, index + 1).map((w) => ({ wave: w.name, mergedAt: w.name === baking.wave ? new Date(pr.mergedAt ?? 0) : new Date(0) }));
  const planned = planNextWave({ fleet, environment: baking.environment, merged, now: deps.now(), alerts: incidentAlerts(fleet, context.incidents) });
  // Analyses attached to the wave measure during the bake and hold the next wave until they pass.
  const decision = await analyseBakingWave(gh, where, pr, baking, planned, fleet, deps);
  deps.log.info({ pull: pr.number, wave: `${baking.environment}/${baking.wave}`, decision: decision.action }, "wave bake checked");
  if (decision.action === "wait") return { pull: pr.number, decision, outcomes: [] };
  if (decision.action !== "open") {
    await removeLabel(gh, { ...where, number: pr.number, label: BAKING_LABEL });
    if (decision.action === "halt") {
      await createComment(gh, { ...where, number: pr.number, body: `⛔ Rollout of ${baking.component} halted before \`${baking.environment}/${decision.wave}\`: ${decision.detail}. Use \`/promote ${baking.environment}/${decision.wave} ${baking.component}\` to continue once it is safe.` });
    }
    return { pull: pr.number, decision, outcomes: [] };
  }
  const head = await getBranchSha(gh, { ...where, branch: where.defaultBranch });
  if (head === null) return { pull: pr.number, decision, outcomes: [] };
  const tree = await readTreeFiles(gh, { ...where, ref: head }, inFleetFolders(fleet, new Set([baking.component])));
  const plan = planPromotions({
    fleet,
    tree,
    changedFiles: [],
    change: { sha: pr.mergeCommitSha ?? head, prNumber: pr.number, title: pr.title, author: pr.author || null, body: pr.body },
    trigger: { kind: "command", target: `${baking.environment}/${decision.wave}`, component: baking.component },
  });
  const outcomes = await executePromotions(gh, where, plan.promotions, deps);
  await refreshGates(gh, where, outcomes, deps);
  await removeLabel(gh, { ...where, number: pr.number, label: BAKING_LABEL });
  const links = outcomes.map((o) => `#${o.number}`).join(", ");
  await createComment(gh, {
    ...where,
    number: pr.number,
    body: outcomes.length > 0
      ? `Bake of \`${baking.environment}/${baking.wave}\` passed with no alert: ${links} promotes ${baking.component} to \`${baking.environment}/${decision.wave}\`.`
      : `Bake of \`${baking.environment}/${baking.wave}\` passed; \`${baking.environment}/${decision.wave}\` needs no change for ${baking.component}.`,
  });
  return { pull: pr.number, decision, outcomes };
}

/** Every baking wave pull request of the repository (or just `only`): opens the waves that are due. */
export async function advanceWaves(
  gh: GitHubClient,
  where: RepoRef & { defaultBranch: string },
  context: GatesContext,
  deps: PromotionDeps,
  only?: PullRequestFacts,
): Promise<WaveStep[]> {
  const pulls: PullRequestFacts[] = [];
  if (only) pulls.push(only);
  else {
    for (const number of await listPullRequestNumbersWithLabel(gh, { ...where, label: BAKING_LABEL, state: "closed" })) {
      const pr = await getPullRequest(gh, { ...where, number });
      if (pr) pulls.push(pr);
    }
  }
  const steps: WaveStep[] = [];
  for (const pr of pulls) steps.push(await advanceOne(gh, where, pr, context, deps));
  return steps;
}
