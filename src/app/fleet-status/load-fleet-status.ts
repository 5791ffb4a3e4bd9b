/**
 * Reads one repository's facts from GitHub and plans its `FleetStatus` (`planFleetStatus`): the configuration and
 * the YAML files of the fleet's folders at the default branch head, the app's open and recently closed promotion
 * and rollback pull requests, the gates check runs, and the app's incident issues. Facts that cannot change (blobs
 * by SHA, merged pull requests' check runs and reviews, commit dates) are kept across loads, so a repeated load
 * costs about 6 calls plus one per open promotion. `/promote status` and the `/fleet` page both call it.
 */
import type { Probot } from "probot";
import { buildFleet } from "../../fleet/build-fleet.js";
import type { FleetStatusInput, StatusIncident, StatusPullRequest, StatusRevert } from "../../promotion/fleet-status/fleet-status-input.js";
import type { DeliveryMetrics, FleetStatus } from "../../promotion/fleet-status/fleet-status-types.js";
import { planFleetStatus } from "../../promotion/fleet-status/plan-fleet-status.js";
import { parsePromotionMetadata } from "../../promotion/parse-promotion-metadata.js";
import { PROMOTION_BRANCH_PREFIX } from "../../promotion/plan-promotions.js";
import { INCIDENT_LABEL } from "../../rollback/resolve-rollback-settings.js";
import type { CheckRunDetails } from "../github/check-run-details.js";
import { listCheckRunDetails } from "../github/check-run-details.js";
import { getCommitFacts } from "../github/commit-facts.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { listIssuesWithLabel } from "../github/issues.js";
import { getBranchSha } from "../github/point-branch.js";
import type { PullRequestFacts } from "../github/pull-requests.js";
import { listOpenPullRequests, listRecentClosedPullRequests, listReviews } from "../github/pull-requests.js";
import { listTree, readBlob } from "../github/read-tree-files.js";
import { getRepositoryFacts } from "../github/repository-facts.js";
import { LruCache } from "../lru-cache.js";
import type { PromotionReadDeps } from "../promotion/promotion-deps.js";
import { BAKING_LABEL } from "../promotion/promotion-deps.js";
import { incidentAlerts, inFleetFolders } from "../promotion/promotion-facts.js";

export const ROLLBACK_BRANCH_PREFIX = "fleetward/rollback/";
/** Delivery metrics look back this far (merged promotion pull requests among the last 100 closed ones). */
export const DELIVERY_WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

type Reviews = StatusPullRequest["reviews"];

/** Loads fleet statuses; one per app process, shared by the command and the page, keeps the immutable facts. */
export class FleetStatusReader {
  readonly #blobs = new LruCache<string>(64 * 1024 * 1024, (text) => text.length + 64);
  readonly #mergedChecks = new LruCache<CheckRunDetails[]>(5_000);
  readonly #mergedReviews = new LruCache<Reviews>(5_000);
  readonly #commitDates = new LruCache<string>(20_000);

  async load(gh: GitHubClient, where: RepoRef, deps: PromotionReadDeps): Promise<FleetStatus> {
    const now = deps.now();
    const since = new Date(now.getTime() - DELIVERY_WINDOW_DAYS * DAY_MS);
    const repo = await getRepositoryFacts(gh, where);
    const head = await getBranchSha(gh, { ...where, branch: repo.defaultBranch });
    const repository = { owner: where.owner, repo: where.repo, defaultBranch: repo.defaultBranch, headSha: head, url: repo.htmlUrl };
    const empty: Omit<FleetStatusInput, "fleet" | "problem"> = { repository, tree: new Map(), openPromotions: [], mergedPromotions: [], incidents: [], alerts: [], reverts: [], commitDates: new Map(), now, since };
    const active = head === null ? null : await deps.store.active(gh, { ...where, ref: repo.defaultBranch, headSha: head }, deps.log);
    if (head === null || !active) return planFleetStatus({ ...empty, fleet: null, problem: `no valid .github/fleetward.yml on ${repo.defaultBranch}` });
    const fleet = buildFleet(active.config);
    if (fleet.environments.length === 0) return planFleetStatus({ ...empty, fleet: null, problem: `no environments in .github/fleetward.yml on ${repo.defaultBranch}` });
    const bot = (await deps.botLogin()).toLowerCase();
    const byApp = (p: PullRequestFacts) => p.author.toLowerCase() === bot;

    const tree = await this.#tree(gh, { ...where, ref: head }, inFleetFolders(fleet));
    const open = (await listOpenPullRequests(gh, where)).filter(byApp);
    const closed = (await listRecentClosedPullRequests(gh, { ...where, headPrefixes: [PROMOTION_BRANCH_PREFIX, ROLLBACK_BRANCH_PREFIX] })).filter(byApp);
    const isPromotion = (p: PullRequestFacts) => p.headRef.startsWith(PROMOTION_BRANCH_PREFIX);
    const isRevert = (p: PullRequestFacts) => p.headRef.startsWith(ROLLBACK_BRANCH_PREFIX);

    const openPromotions: StatusPullRequest[] = [];
    for (const p of open.filter(isPromotion)) openPromotions.push(statusPull(p, await listCheckRunDetails(gh, { ...where, ref: p.headSha }), []));
    const mergedPromotions: StatusPullRequest[] = [];
    const commitDates = new Map<string, string>();
    for (const p of closed.filter((c) => isPromotion(c) && c.merged && c.mergedAt !== null)) {
      const baking = p.labels.includes(BAKING_LABEL);
      if (!baking && Date.parse(p.mergedAt ?? "") < since.getTime()) continue;
      mergedPromotions.push(statusPull(p, await this.#checksOf(gh, where, p), await this.#reviewsOf(gh, where, p)));
      const meta = parsePromotionMetadata(p.body);
      for (const sha of meta ? [meta.origin.sha, meta.chain[meta.chain.length - 1]?.sha] : []) {
        const date = sha === undefined ? null : await this.#commitDate(gh, where, sha);
        if (sha !== undefined && date !== null) commitDates.set(sha, date);
      }
    }
    const reverts: StatusRevert[] = [...open.filter(isRevert), ...closed.filter(isRevert)].map((p) => ({ number: p.number, url: p.htmlUrl, title: p.title, body: p.body, state: p.state, merged: p.merged, createdAt: p.createdAt, mergedAt: p.mergedAt }));
    const incidents: StatusIncident[] = (await listIssuesWithLabel(gh, { ...where, label: INCIDENT_LABEL, state: "all" }))
      .filter((i) => i.author.toLowerCase() === bot)
      // GitHub's closing time is not in IssueFacts: the last update bounds it (an incident is not edited after it closes).
      .map((i) => ({ number: i.number, url: i.htmlUrl, title: i.title, state: i.state, body: i.body, createdAt: i.createdAt, closedAt: i.state === "closed" ? i.updatedAt : null }));
    const alerts = incidentAlerts(fleet, incidents.map((i) => ({ number: i.number, state: i.state, body: i.body })));
    return planFleetStatus({ ...empty, fleet, tree, openPromotions, mergedPromotions, incidents, alerts, reverts, commitDates });
  }

  /** The paths of the fleet's folders, with the YAML files' texts (blobs read once per SHA across loads). */
  async #tree(gh: GitHubClient, where: RepoRef & { ref: string }, wanted: (path: string) => boolean): Promise<{ paths: string[]; read(path: string): string | undefined }> {
    const listing = await listTree(gh, where);
    const paths = [...listing.blobs.keys()].filter(wanted);
    const texts = new Map<string, string>();
    for (const path of paths.filter((p) => /\.ya?ml$/i.test(p))) {
      const sha = listing.blobs.get(path) as string;
      let text = this.#blobs.get(sha);
      if (text === undefined) {
        text = await readBlob(gh, { ...where, sha });
        this.#blobs.set(sha, text);
      }
      texts.set(path, text);
    }
    return { paths, read: (p) => texts.get(p) };
  }

  async #checksOf(gh: GitHubClient, where: RepoRef, p: PullRequestFacts): Promise<CheckRunDetails[]> {
    const key = `${where.owner}/${where.repo}@${p.headSha}`;
    const known = this.#mergedChecks.get(key);
    if (known) return known;
    const checks = await listCheckRunDetails(gh, { ...where, ref: p.headSha });
    this.#mergedChecks.set(key, checks);
    return checks;
  }

  async #reviewsOf(gh: GitHubClient, where: RepoRef, p: PullRequestFacts): Promise<Reviews> {
    const key = `${where.owner}/${where.repo}#${p.number}`;
    const known = this.#mergedReviews.get(key);
    if (known) return known;
    const reviews = (await listReviews(gh, { ...where, number: p.number })).flatMap((r) => (r.submittedAt === null ? [] : [{ user: r.user, state: r.state, submittedAt: r.submittedAt }]));
    this.#mergedReviews.set(key, reviews);
    return reviews;
  }

  async #commitDate(gh: GitHubClient, where: RepoRef, sha: string): Promise<string | null> {
    const key = `${where.owner}/${where.repo}@${sha}`;
    const known = this.#commitDates.get(key);
    if (known !== undefined) return known;
    try {
      const date = (await getCommitFacts(gh, { ...where, sha })).date;
      if (date !== null) this.#commitDates.set(key, date);
      return date;
    } catch {
      // A commit GitHub no longer has (force-pushed away): no lead time for it.
      return null;
    }
  }
}

function statusPull(p: PullRequestFacts, checks: readonly CheckRunDetails[], reviews: Reviews): StatusPullRequest {
  return { number: p.number, url: p.htmlUrl, title: p.title, body: p.body, state: p.state, merged: p.merged, baking: p.labels.includes(BAKING_LABEL), createdAt: p.createdAt, mergedAt: p.mergedAt, checks, reviews };
}

const readers = new WeakMap<object, FleetStatusReader>();

/**
 * The reader of one app instance, found by its config store (each `fleetwardApp` makes one store, which every use
 * case gets): the command and the page share its caches, and two app instances (tests) never share facts.
 */
export function fleetStatusReaderFor(store: object): FleetStatusReader {
  let reader = readers.get(store);
  if (!reader) {
    reader = new FleetStatusReader();
    readers.set(store, reader);
  }
  return reader;
}

/** For the `/fleet` page: one repository's status read with the app's installation. */
export function createRepositoryStatusLoader(app: Probot, deps: PromotionReadDeps): (repo: { installationId: number; owner: string; name: string }) => Promise<FleetStatus> {
  return async (repo) => fleetStatusReaderFor(deps.store).load(await app.auth(repo.installationId), { owner: repo.owner, repo: repo.name }, deps);
}

/**
 * Every installed repository's delivery metrics, for `/metrics` (`registerDeliveryMetrics`), one repository after
 * the other; a repository that cannot be read is logged and left out, the others still count.
 */
export async function readFleetDelivery(
  installed: () => Promise<Array<RepoRef & { installationId: number }>>,
  auth: (installationId: number) => Promise<GitHubClient>,
  deps: PromotionReadDeps,
): Promise<DeliveryMetrics[]> {
  const out: DeliveryMetrics[] = [];
  for (const repo of await installed()) {
    try {
      const status = await fleetStatusReaderFor(deps.store).load(await auth(repo.installationId), { owner: repo.owner, repo: repo.repo }, deps);
      if (status.problem === null) out.push(status.delivery);
    } catch (error) {
      deps.log.warn({ err: error, repository: `${repo.owner}/${repo.repo}` }, "delivery metrics: repository not read");
    }
  }
  return out;
}
