/**
 * Promotion events: a push to the default branch plans promotions; a merged wave pull request starts its
 * bake; reviews, checks completing on a promotion head and incidents changing re-evaluate
 * `fleetward/promotion-gates`.
 */
import type { Probot } from "probot";
import { PROMOTION_GATES_CHECK_NAME } from "../../promotion/evaluate-gates.js";
import { PROMOTION_BRANCH_PREFIX } from "../../promotion/plan-promotions.js";
import { INCIDENT_LABEL } from "../../rollback/resolve-rollback-settings.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { PullRequestFacts } from "../github/pull-requests.js";
import { getPullRequest } from "../github/pull-requests.js";
import { advanceWaves, recordWaveMerge } from "../promotion/advance-waves.js";
import { listOpenPromotions } from "../promotion/execute-promotions.js";
import type { PromotionDeps } from "../promotion/promotion-deps.js";
import { PROMOTION_MARKER_CHECK_NAME } from "../promotion/promotion-deps.js";
import { loadGatesContext, runPromotionGates } from "../promotion/run-promotion-gates.js";
import { runPromotionsForPush } from "../promotion/run-promotions.js";
import type { ConfigStore } from "../repo-config.js";

const ZERO_SHA = /^0+$/;
/** GitHub lists at most 20 commits in a push payload; beyond that the compare API gives the files. */
const PAYLOAD_COMMITS_LIMIT = 20;
const OWN_CHECKS = new Set([PROMOTION_GATES_CHECK_NAME, PROMOTION_MARKER_CHECK_NAME]);

async function reevaluate(gh: GitHubClient, where: RepoRef & { defaultBranch: string }, pulls: readonly PullRequestFacts[], deps: PromotionDeps): Promise<void> {
  if (pulls.length === 0) return;
  const context = await loadGatesContext(gh, where, deps);
  if (!context) return;
  for (const pr of pulls) await runPromotionGates(gh, where, pr, context, deps);
}

export function registerPromotionHandlers(app: Probot, deps: { store: ConfigStore; now: () => Date }): void {
  app.on("push", async (context) => {
    const { payload } = context;
    const defaultBranch = payload.repository.default_branch;
    if (payload.ref !== `refs/heads/${defaultBranch}` || ZERO_SHA.test(payload.after)) return;
    const where = { owner: payload.repository.owner?.login ?? payload.repository.full_name.split("/")[0] ?? "", repo: payload.repository.name };
    const complete = payload.commits.length > 0 && payload.commits.length < PAYLOAD_COMMITS_LIMIT;
    const changedFiles = complete ? [...new Set(payload.commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]))] : null;
    await runPromotionsForPush(
      context.octokit,
      where,
      { defaultBranch, sha: payload.after, before: ZERO_SHA.test(payload.before) ? null : payload.before, changedFiles, pusher: payload.sender?.login ?? null },
      { ...deps, log: context.log },
    );
  });

  app.on("pull_request.closed", async (context) => {
    const { repository, pull_request } = context.payload;
    if (!pull_request.merged_at || !pull_request.head.ref.startsWith(PROMOTION_BRANCH_PREFIX)) return;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    const log = context.log;
    const pr = await getPullRequest(context.octokit, { ...where, number: pull_request.number });
    const gates = await loadGatesContext(context.octokit, where, { ...deps, log });
    if (!pr || !gates) return;
    if (await recordWaveMerge(context.octokit, where, pr, gates.fleet)) await advanceWaves(context.octokit, where, gates, { ...deps, log }, pr);
  });

  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], async (context) => {
    const { repository, pull_request } = context.payload;
    if (pull_request.state !== "open" || !pull_request.head.ref.startsWith(PROMOTION_BRANCH_PREFIX)) return;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    const pr = await getPullRequest(context.octokit, { ...where, number: pull_request.number });
    if (pr) await reevaluate(context.octokit, where, [pr], { ...deps, log: context.log });
  });

  app.on(["check_run.completed", "check_suite.completed"], async (context) => {
    const { repository } = context.payload;
    // Fleetward's own promotion checks completing must not re-trigger the gates that published them.
    if ("check_run" in context.payload && OWN_CHECKS.has(context.payload.check_run.name)) return;
    const headSha = "check_run" in context.payload ? context.payload.check_run.head_sha : context.payload.check_suite.head_sha;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    const pulls = (await listOpenPromotions(context.octokit, where)).filter((p) => p.headSha === headSha);
    await reevaluate(context.octokit, where, pulls, { ...deps, log: context.log });
  });

  app.on(["issues.opened", "issues.closed", "issues.reopened", "issues.labeled", "issues.unlabeled"], async (context) => {
    const { repository, issue } = context.payload;
    const label = "label" in context.payload ? context.payload.label?.name : undefined;
    if (label !== INCIDENT_LABEL && !(issue.labels ?? []).some((l) => l?.name === INCIDENT_LABEL)) return;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    await reevaluate(context.octokit, where, await listOpenPromotions(context.octokit, where), { ...deps, log: context.log });
  });
}
