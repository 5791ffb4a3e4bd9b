/**
 * A change reached the default branch: load the configuration at the commit, the fleet's files and the
 * changed files → `planPromotions` → open or update the promotion pull requests, publish their gates, and
 * mark the commit handled with a `fleetward/promotion` check run (the reconciler replays unmarked commits
 * whose push webhook was lost).
 */
import { buildFleet } from "../../fleet/build-fleet.js";
import type { MergedChange, PromotionPlan } from "../../promotion/plan-promotions.js";
import { PROMOTION_BRANCH_PREFIX, planPromotions } from "../../promotion/plan-promotions.js";
import { promotionHops } from "../../promotion/promotion-hops.js";
import { compareCommits } from "../github/compare-commits.js";
import { getCommitFacts } from "../github/commit-facts.js";
import { mergedPullRequestOf } from "../github/pull-requests.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { publishCheckRun } from "../github/publish-check-run.js";
import { readTreeFiles } from "../github/read-tree-files.js";
import { recordWaveMerge } from "./advance-waves.js";
import type { PromotionOutcome } from "./execute-promotions.js";
import { executePromotions } from "./execute-promotions.js";
import type { PromotionDeps } from "./promotion-deps.js";
import { PROMOTION_MARKER_CHECK_NAME } from "./promotion-deps.js";
import { changedComponents, inFleetFolders } from "./promotion-facts.js";
import { refreshGates } from "./refresh-gates.js";
import { markerCheckRun } from "./marker-check-run.js";

export interface DefaultBranchPush {
  defaultBranch: string;
  /** The commit the default branch now points at. */
  sha: string;
  /** The commit before the push, or null (a new branch, or a replay: the first parent is used). */
  before: string | null;
  /** Files the push changed when the payload lists them all; null to ask the compare API. */
  changedFiles: string[] | null;
  /** Who pushed, for a push without a pull request. */
  pusher: string | null;
}

export interface PromotionRun {
  plan: PromotionPlan;
  outcomes: PromotionOutcome[];
}

async function changedFilesOf(gh: GitHubClient, where: RepoRef, push: DefaultBranchPush, parent: () => Promise<string | null>): Promise<string[]> {
  if (push.changedFiles !== null) return push.changedFiles;
  const base = push.before ?? (await parent());
  if (base === null) return [];
  return (await compareCommits(gh, { ...where, base, head: push.sha })).files;
}

/** Plans and executes the promotions of one default-branch commit; null when the repository has no usable configuration or no promotion paths. */
export async function runPromotionsForPush(gh: GitHubClient, where: RepoRef, push: DefaultBranchPush, deps: PromotionDeps): Promise<PromotionRun | null> {
  const active = await deps.store.active(gh, { ...where, ref: push.defaultBranch, headSha: push.sha }, deps.log);
  if (!active) return null;
  const fleet = buildFleet(active.config);
  if (promotionHops(fleet).length === 0) return null;

  let commit: Awaited<ReturnType<typeof getCommitFacts>> | null = null;
  const commitFacts = async () => (commit ??= await getCommitFacts(gh, { ...where, sha: push.sha }));
  const changedFiles = await changedFilesOf(gh, where, push, async () => (await commitFacts()).parents[0] ?? null);
  const pr = await mergedPullRequestOf(gh, { ...where, sha: push.sha });
  const change: MergedChange = pr
    ? { sha: push.sha, prNumber: pr.number, title: pr.title, author: pr.author || null, body: pr.body }
    : { sha: push.sha, prNumber: null, title: (await commitFacts()).message.split("\n", 1)[0] ?? "", author: push.pusher ?? (await commitFacts()).author };
  const components = changedComponents(fleet, changedFiles);
  const tree = components.size === 0 ? new Map<string, string>() : await readTreeFiles(gh, { ...where, ref: push.sha }, inFleetFolders(fleet, components));
  const plan = planPromotions({ fleet, tree, changedFiles, change });
  deps.log.info(
    { sha: push.sha, changed: changedFiles.length, planned: plan.promotions.length, skipped: plan.skipped.map((s) => `${s.component}→${s.target}: ${s.reason}`) },
    "promotions planned",
  );
  const outcomes = await executePromotions(gh, { ...where, defaultBranch: push.defaultBranch }, plan.promotions, deps);
  await refreshGates(gh, { ...where, defaultBranch: push.defaultBranch }, outcomes, deps);
  // A merged wave promotion starts its bake here too, so a lost `pull_request.closed` loses no wave.
  if (pr && pr.headRef.startsWith(PROMOTION_BRANCH_PREFIX)) await recordWaveMerge(gh, where, pr, fleet, await deps.botLogin());
  await publishCheckRun(gh, where, markerCheckRun(push.sha, plan, outcomes));
  return { plan, outcomes };
}

export { PROMOTION_MARKER_CHECK_NAME };
