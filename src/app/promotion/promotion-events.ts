/**
 * What promotion does with each event, called by the event-family handlers in `src/app/handlers/`:
 * a push to the default branch plans promotions; a merged wave pull request starts its bake; reviews,
 * checks completing on a promotion head and incidents changing re-evaluate `fleetward/promotion-gates`.
 */
import { PROMOTION_GATES_CHECK_NAME } from "../../promotion/evaluate-gates.js";
import { PROMOTION_BRANCH_PREFIX } from "../../promotion/plan-promotions.js";
import { INCIDENT_LABEL } from "../../rollback/resolve-rollback-settings.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { getPullRequest, type PullRequestFacts } from "../github/pull-requests.js";
import { advanceWaves, recordWaveMerge } from "./advance-waves.js";
import { listOpenPromotions } from "./execute-promotions.js";
import { PROMOTION_MARKER_CHECK_NAME, type PromotionDeps } from "./promotion-deps.js";
import { loadGatesContext, runPromotionGates } from "./run-promotion-gates.js";
import { runPromotionsForPush } from "./run-promotions.js";

const ZERO_SHA = /^0+$/;
/** GitHub lists at most 20 commits in a push payload; beyond that the compare API gives the files. */
const PAYLOAD_COMMITS_LIMIT = 20;
const OWN_CHECKS = new Set([PROMOTION_GATES_CHECK_NAME, PROMOTION_MARKER_CHECK_NAME]);

type Where = RepoRef & { defaultBranch: string };

async function reevaluate(gh: GitHubClient, where: Where, pulls: readonly PullRequestFacts[], deps: PromotionDeps): Promise<void> {
  if (pulls.length === 0) return;
  const context = await loadGatesContext(gh, where, deps);
  if (!context) return;
  for (const pr of pulls) await runPromotionGates(gh, where, pr, context, deps);
}

export interface PushFacts {
  ref: string;
  before: string;
  after: string;
  commits: ReadonlyArray<{ added?: string[]; modified?: string[]; removed?: string[] }>;
  pusher: string | null;
}

/** push: a change reaching the default branch is planned for promotion. */
export async function promoteOnPush(gh: GitHubClient, where: Where, push: PushFacts, deps: PromotionDeps): Promise<void> {
  if (push.ref !== `refs/heads/${where.defaultBranch}` || ZERO_SHA.test(push.after)) return;
  const complete = push.commits.length > 0 && push.commits.length < PAYLOAD_COMMITS_LIMIT;
  const changedFiles = complete ? [...new Set(push.commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]))] : null;
  await runPromotionsForPush(
    gh,
    { owner: where.owner, repo: where.repo },
    { defaultBranch: where.defaultBranch, sha: push.after, before: ZERO_SHA.test(push.before) ? null : push.before, changedFiles, pusher: push.pusher },
    deps,
  );
}

/** pull_request.closed: a merged wave promotion starts baking; due waves open. */
export async function bakeOnMerge(gh: GitHubClient, where: Where, pull: { number: number; mergedAt: string | null; headRef: string }, deps: PromotionDeps): Promise<void> {
  if (!pull.mergedAt || !pull.headRef.startsWith(PROMOTION_BRANCH_PREFIX)) return;
  const pr = await getPullRequest(gh, { ...where, number: pull.number });
  const gates = await loadGatesContext(gh, where, deps);
  if (!pr || !gates) return;
  if (await recordWaveMerge(gh, where, pr, gates.fleet, await deps.botLogin())) await advanceWaves(gh, where, gates, deps, pr);
}

/** pull_request_review: a review on an open promotion re-evaluates its gates. */
export async function regateOnReview(gh: GitHubClient, where: Where, pull: { number: number; state: string; headRef: string }, deps: PromotionDeps): Promise<void> {
  if (pull.state !== "open" || !pull.headRef.startsWith(PROMOTION_BRANCH_PREFIX)) return;
  const pr = await getPullRequest(gh, { ...where, number: pull.number });
  if (pr) await reevaluate(gh, where, [pr], deps);
}

/** check_run / check_suite completed: the promotions of that head re-evaluate (not for Fleetward's own promotion checks). */
export async function regateOnCheck(gh: GitHubClient, where: Where, check: { headSha: string; runName: string | null }, deps: PromotionDeps): Promise<void> {
  if (check.runName !== null && OWN_CHECKS.has(check.runName)) return;
  const pulls = (await listOpenPromotions(gh, where, await deps.botLogin())).filter((p) => p.headSha === check.headSha);
  await reevaluate(gh, where, pulls, deps);
}

/** issues: an incident issue changing re-evaluates every open promotion. */
export async function regateOnIncident(gh: GitHubClient, where: Where, issue: { labels: readonly string[]; changedLabel: string | null }, deps: PromotionDeps): Promise<void> {
  if (issue.changedLabel !== INCIDENT_LABEL && !issue.labels.includes(INCIDENT_LABEL)) return;
  await reevaluate(gh, where, await listOpenPromotions(gh, where, await deps.botLogin()), deps);
}
