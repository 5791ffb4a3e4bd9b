/**
 * Executes planned promotions: decides open / update / unchanged / stale against the open promotion pull
 * requests (`decidePromotionUpdates`), then writes one commit per promotion on top of the default branch
 * head (Git Data API), points `fleetward/promote/<component>/<target>` at it and opens or updates the pull
 * request. Failed ref updates (5xx, conflicts) are retried on a fresh base; a concurrent delivery that opened
 * the same pull request first (422 "already exists") turns the open into an update or nothing. Within the
 * process, the executions of one repository run one after another, so two merges handled at once decide
 * against each other's result (the newer commit wins, the older is `stale`) instead of racing on the branch.
 */
import type { OpenPromotionPullRequest, PromotionUpdateDecision } from "../../promotion/decide-promotion-updates.js";
import { decidePromotionUpdates } from "../../promotion/decide-promotion-updates.js";
import { parsePromotionMetadata } from "../../promotion/parse-promotion-metadata.js";
import type { PlannedPromotion } from "../../promotion/plan-promotions.js";
import { PROMOTION_BRANCH_PREFIX } from "../../promotion/plan-promotions.js";
import { compareCommits } from "../github/compare-commits.js";
import { type GitHubClient, type RepoRef, isHttpStatus } from "../github/github-client.js";
import { getBranchSha, pointBranch } from "../github/point-branch.js";
import type { PullRequestFacts } from "../github/pull-requests.js";
import { createPullRequest, listOpenPullRequests, updatePullRequest } from "../github/pull-requests.js";
import { writeCommit } from "../github/write-commit.js";
import { commentOnce } from "../rollback/complete-revert.js";
import type { PromotionDeps } from "./promotion-deps.js";
import { metrics } from "../observability/metrics-registry.js";
import { promotionOutcome } from "../observability/observe-outcomes.js";

export interface PromotionOutcome {
  component: string;
  target: string;
  /** `blocked`: a person's open pull request uses the promotion branch; the app leaves it alone. */
  action: "opened" | "updated" | "unchanged" | "stale" | "blocked";
  number: number;
  url: string;
  /** The pull request as it is now (for the gates). */
  pull: PullRequestFacts | null;
}

/** Attempts for one commit + branch update before giving up. */
export const MAX_WRITE_ATTEMPTS = 3;

function retryable(error: unknown): boolean {
  const status = typeof error === "object" && error !== null && "status" in error ? (error as { status: unknown }).status : undefined;
  return typeof status === "number" && (status >= 500 || status === 409 || status === 422);
}

/**
 * The open pull requests on Fleetward's promotion branches, as the decision planner sees them. Only those this
 * app opened count: a person's or another app's (`github-actions[bot]`) pull request from a look-alike branch
 * is never updated or merged.
 */
export async function listOpenPromotions(gh: GitHubClient, where: RepoRef, botLogin: string): Promise<PullRequestFacts[]> {
  return (await listOpenPullRequests(gh, { ...where, headPrefix: PROMOTION_BRANCH_PREFIX })).filter((p) => openedByApp(p, botLogin));
}

/** Whether this app (its bot login, `<slug>[bot]`) opened the pull request; any other `[bot]` is someone else. */
export const openedByApp = (p: Pick<PullRequestFacts, "author">, botLogin: string): boolean => p.author.toLowerCase() === botLogin.toLowerCase();

const asOpen = (p: PullRequestFacts): OpenPromotionPullRequest => ({ number: p.number, branch: p.headRef, body: p.body });

/**
 * Whether `candidate` is newer than `open` for each pair the decision may ask about, from the compare API:
 * the candidate is older only when the open commit already contains it (`behind`).
 */
async function newerTable(gh: GitHubClient, where: RepoRef, open: readonly PullRequestFacts[], promotions: readonly PlannedPromotion[]): Promise<Map<string, boolean>> {
  const table = new Map<string, boolean>();
  for (const p of promotions) {
    const candidate = p.metadata.chain[p.metadata.chain.length - 1]?.sha;
    for (const pr of open) {
      const meta = parsePromotionMetadata(pr.body);
      const openSha = meta?.chain[meta.chain.length - 1]?.sha;
      if (!meta || meta.component !== p.component || meta.target !== p.target || candidate === undefined || openSha === undefined || openSha === candidate) continue;
      const key = `${candidate}\0${openSha}`;
      if (table.has(key)) continue;
      try {
        table.set(key, (await compareCommits(gh, { ...where, base: openSha, head: candidate })).status !== "behind");
      } catch (error) {
        if (!isHttpStatus(error, 404)) throw error;
        table.set(key, true);
      }
    }
  }
  return table;
}

/** One commit with the promotion's files on the default branch head, and the branch pointed at it; retried on a fresh base. */
async function commitToBranch(gh: GitHubClient, where: RepoRef, defaultBranch: string, p: PlannedPromotion, deps: PromotionDeps): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const base = await getBranchSha(gh, { ...where, branch: defaultBranch });
      if (base === null) throw new Error(`the default branch ${defaultBranch} of ${where.owner}/${where.repo} does not exist`);
      const sha = await writeCommit(gh, where, { parentSha: base, changes: Object.fromEntries(p.files), message: p.title });
      await pointBranch(gh, { ...where, branch: p.branch, sha });
      return sha;
    } catch (error) {
      if (attempt >= MAX_WRITE_ATTEMPTS || !retryable(error)) throw error;
      deps.log.warn({ branch: p.branch, attempt, error: error instanceof Error ? error.message : String(error) }, "promotion commit failed; retrying on a fresh base");
    }
  }
}

async function applyUpdate(
  gh: GitHubClient,
  where: RepoRef,
  defaultBranch: string,
  d: Extract<PromotionUpdateDecision, { action: "update" }>,
  deps: PromotionDeps,
): Promise<PromotionOutcome> {
  const p = d.promotion;
  await commitToBranch(gh, where, defaultBranch, p, deps);
  // The note before the body: the body's metadata decides "update", so a run killed in between repeats this step
  // whole on retry, and the note it already posted is not posted twice.
  await commentOnce(gh, { ...where, number: d.number, body: d.note, botLogin: await deps.botLogin() });
  const pull = await updatePullRequest(gh, { ...where, number: d.number, title: p.title, body: d.body });
  return { component: p.component, target: p.target, action: "updated", number: d.number, url: pull.htmlUrl, pull };
}

async function applyDecision(
  gh: GitHubClient,
  where: RepoRef,
  defaultBranch: string,
  d: PromotionUpdateDecision,
  open: readonly PullRequestFacts[],
  deps: PromotionDeps & { bot: string },
): Promise<PromotionOutcome> {
  const p = d.promotion;
  if (d.action === "unchanged" || d.action === "stale") {
    const pull = open.find((x) => x.number === d.number) ?? null;
    return { component: p.component, target: p.target, action: d.action, number: d.number, url: pull?.htmlUrl ?? "", pull };
  }
  if (d.action === "update") return applyUpdate(gh, where, defaultBranch, d, deps);
  const foreign = open.find((x) => x.headRef === p.branch && !openedByApp(x, deps.bot));
  if (foreign) {
    deps.log.warn({ branch: p.branch, pull: foreign.number, author: foreign.author }, "a person's pull request uses the promotion branch; promotion not written");
    return { component: p.component, target: p.target, action: "blocked", number: foreign.number, url: foreign.htmlUrl, pull: null };
  }
  await commitToBranch(gh, where, defaultBranch, p, deps);
  try {
    const pull = await createPullRequest(gh, { ...where, head: p.branch, base: defaultBranch, title: p.title, body: p.body });
    return { component: p.component, target: p.target, action: "opened", number: pull.number, url: pull.htmlUrl, pull };
  } catch (error) {
    if (!isHttpStatus(error, 422)) throw error;
    // Another delivery opened it first: decide again against what is open now (an older change is stale).
    const now = await listOpenPullRequests(gh, { ...where, headPrefix: PROMOTION_BRANCH_PREFIX });
    const mine = now.filter((x) => openedByApp(x, deps.bot));
    const newer = await newerTable(gh, where, mine, [p]);
    const again = decidePromotionUpdates(mine.map(asOpen), [p], { isNewer: (c, o) => newer.get(`${c}\0${o}`) ?? true })[0];
    if (!again || again.action === "open") throw error;
    deps.log.info({ branch: p.branch, action: again.action }, "promotion pull request already opened by another delivery");
    return applyDecision(gh, where, defaultBranch, again, now, deps);
  }
}

/**
 * Opens or updates the pull requests of `promotions`; returns what happened to each. One execution at a time per
 * repository: in this process, and across replicas with REDIS_URL (the `promotion:` lock of `deps.coordinator`).
 */
export async function executePromotions(
  gh: GitHubClient,
  where: RepoRef & { defaultBranch: string },
  promotions: readonly PlannedPromotion[],
  deps: PromotionDeps,
): Promise<PromotionOutcome[]> {
  if (promotions.length === 0) return [];
  return deps.coordinator.withLock(`promotion:${where.owner}/${where.repo}`.toLowerCase(), () => executeNow(gh, where, promotions, deps));
}

async function executeNow(
  gh: GitHubClient,
  where: RepoRef & { defaultBranch: string },
  promotions: readonly PlannedPromotion[],
  deps: PromotionDeps,
): Promise<PromotionOutcome[]> {
  const bot = await deps.botLogin();
  const all = await listOpenPullRequests(gh, { ...where, headPrefix: PROMOTION_BRANCH_PREFIX });
  const open = all.filter((p) => openedByApp(p, bot));
  const newer = await newerTable(gh, where, open, promotions);
  const decisions = decidePromotionUpdates(open.map(asOpen), promotions, { isNewer: (c, o) => newer.get(`${c}\0${o}`) ?? true });
  const outcomes: PromotionOutcome[] = [];
  for (const d of decisions) {
    const outcome = await applyDecision(gh, where, where.defaultBranch, d, all, { ...deps, bot });
    deps.log.info({ component: outcome.component, target: outcome.target, action: outcome.action, pull: outcome.number }, "promotion executed");
    metrics.promotion(promotionOutcome(outcome.action));
    outcomes.push(outcome);
  }
  return outcomes;
}
