/**
 * The periodic reconciler: time passes without webhooks (bake, soak, windows) and GitHub does not redeliver
 * lost webhooks. For every installed repository: replay default-branch commits that carry no
 * `fleetward/promotion` marker (their push was lost), open the waves whose bake has passed, and
 * re-evaluate the gates of every open promotion pull request.
 */
import type { Probot } from "probot";
import { buildFleet } from "../../fleet/build-fleet.js";
import { promotionHops } from "../../promotion/promotion-hops.js";
import { getDefaultBranch, listBranchCommits } from "../github/commit-facts.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { createBotLogin } from "../rollback/create-bot-login.js";
import { listCheckRuns } from "../github/list-check-runs.js";
import { getBranchSha } from "../github/point-branch.js";
import { listInstalledRepos } from "../github/repo-client.js";
import type { ConfigStore } from "../repo-config.js";
import { advanceWaves } from "./advance-waves.js";
import { listOpenPromotions } from "./execute-promotions.js";
import type { PromotionCoordination, PromotionDeps } from "./promotion-deps.js";
import { coordinatorOf } from "../coordination/app-coordinator.js";
import { PROMOTION_MARKER_CHECK_NAME } from "./promotion-deps.js";
import { runPromotionsForPush } from "./run-promotions.js";
import { loadGatesContext, runPromotionGates } from "./run-promotion-gates.js";

/** How many default-branch commits, and how far back, the reconciler looks for unhandled pushes. */
export const RECOVERY_COMMITS = 20;
export const RECOVERY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface RepoReconcileReport {
  repo: string;
  replayed: string[];
  wavesOpened: number;
  gatesEvaluated: number;
  error?: string;
}

/** One repository: replay lost pushes, advance waves, re-evaluate gates. */
export async function reconcileRepo(gh: GitHubClient, where: RepoRef, deps: PromotionDeps): Promise<RepoReconcileReport> {
  const report: RepoReconcileReport = { repo: `${where.owner}/${where.repo}`, replayed: [], wavesOpened: 0, gatesEvaluated: 0 };
  const defaultBranch = await getDefaultBranch(gh, where);
  const head = await getBranchSha(gh, { ...where, branch: defaultBranch });
  if (head === null) return report;
  const active = await deps.store.active(gh, { ...where, ref: defaultBranch, headSha: head }, deps.log);
  if (!active || promotionHops(buildFleet(active.config)).length === 0) return report;

  // The first-parent line, newest first, back to the last commit the push handler marked: those after it
  // reached the default branch but were never planned (commits inside merged pull requests are not walked).
  const listed = await listBranchCommits(gh, { ...where, ref: head, limit: RECOVERY_COMMITS, since: new Date(deps.now().getTime() - RECOVERY_WINDOW_MS) });
  const bySha = new Map(listed.map((c) => [c.sha, c]));
  const unhandled: typeof listed = [];
  for (let c = bySha.get(head); c !== undefined; c = bySha.get(c.parents[0] ?? "")) {
    const runs = await listCheckRuns(gh, { ...where, ref: c.sha });
    if (runs.some((r) => r.name === PROMOTION_MARKER_CHECK_NAME)) break;
    unhandled.push(c);
  }
  for (const c of unhandled.reverse()) {
    deps.log.warn({ sha: c.sha }, "default-branch commit without a promotion marker (lost push webhook): replaying");
    await runPromotionsForPush(gh, where, { defaultBranch, sha: c.sha, before: c.parents[0] ?? null, changedFiles: null, pusher: null }, deps);
    report.replayed.push(c.sha);
  }

  const where2 = { ...where, defaultBranch };
  const context = await loadGatesContext(gh, where2, deps);
  if (!context) return report;
  for (const step of await advanceWaves(gh, where2, context, deps)) report.wavesOpened += step.outcomes.filter((o) => o.action === "opened" || o.action === "updated").length;
  for (const pr of await listOpenPromotions(gh, where, await deps.botLogin())) {
    if (await runPromotionGates(gh, where, pr, context, deps)) report.gatesEvaluated++;
  }
  return report;
}

/**
 * Every repository the app is installed on; one failing repository does not stop the others. Promotions hold the
 * locks of `deps.coordinator`, by default the one the app function attached to `app`.
 */
export async function reconcilePromotions(app: Probot, deps: { store: ConfigStore; now: () => Date; botLogin?: () => Promise<string>; coordinator?: PromotionCoordination }): Promise<RepoReconcileReport[]> {
  const reports: RepoReconcileReport[] = [];
  const botLogin = deps.botLogin ?? createBotLogin(app);
  const coordinator = deps.coordinator ?? coordinatorOf(app);
  if (!coordinator) throw new Error("reconcilePromotions: no coordinator given, and none attached to the app (src/app/coordination/app-coordinator.ts)");
  for (const repo of await listInstalledRepos(app)) {
    const where = { owner: repo.owner, repo: repo.repo };
    const log = app.log.child({ reconcile: `${repo.owner}/${repo.repo}` });
    try {
      const gh = await app.auth(repo.installationId);
      reports.push(await reconcileRepo(gh, where, { store: deps.store, now: deps.now, botLogin, coordinator, log }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error({ err: error }, "reconciling promotions failed");
      reports.push({ repo: `${repo.owner}/${repo.repo}`, replayed: [], wavesOpened: 0, gatesEvaluated: 0, error: message });
    }
  }
  return reports;
}
