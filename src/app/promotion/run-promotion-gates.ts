/**
 * The `fleetward/promotion-gates` check of one open promotion pull request: load the facts (reviews, team
 * membership, checks of the head, incidents, when the change went live in the source) → `evaluateGates` →
 * publish the check run, and merge when every gate passes and the target has `autoMerge`.
 */
import { effectiveSettings } from "../../config/effective-settings.js";
import { promotionSettingsOf } from "../../config/promotion-schema.js";
import type { Fleet } from "../../fleet/build-fleet.js";
import { buildFleet } from "../../fleet/build-fleet.js";
import type { CheckFact, GateState, ReviewFact } from "../../promotion/evaluate-gates.js";
import { PROMOTION_GATES_CHECK_NAME, evaluateGates } from "../../promotion/evaluate-gates.js";
import { parsePromotionMetadata } from "../../promotion/parse-promotion-metadata.js";
import { resolveScope } from "../../promotion/promotion-hops.js";
import { analysisGate } from "../../analysis/analysis-report.js";
import { measureScope } from "../analysis/measure-scope.js";
import type { ExistingIssue } from "../../rollback/plan-incident.js";
import { INCIDENT_LABEL } from "../../rollback/resolve-rollback-settings.js";
import { getCommitFacts } from "../github/commit-facts.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { listIssuesWithLabel } from "../github/issues.js";
import { listCheckRuns } from "../github/list-check-runs.js";
import { listCommitStatuses } from "../github/list-commit-statuses.js";
import { isTeamMember, teamRef } from "../github/permissions.js";
import { getBranchSha } from "../github/point-branch.js";
import { publishCheckRun } from "../github/publish-check-run.js";
import type { PullRequestFacts } from "../github/pull-requests.js";
import { listReviews, mergePullRequest } from "../github/pull-requests.js";
import { openedByApp } from "./execute-promotions.js";
import type { PromotionDeps } from "./promotion-deps.js";
import { metrics } from "../observability/metrics-registry.js";
import { clustersOfScope, incidentAlerts, openIncidentsFor } from "./promotion-facts.js";

/** What the gates of every promotion pull request of a repository share: the fleet and the incident issues. */
export interface GatesContext {
  fleet: Fleet;
  incidents: ExistingIssue[];
}

/**
 * Loads the active configuration (default branch head) and Fleetward's incident issues — those the app itself
 * opened, as the freeze endpoint, the Flagger gate and `/unfreeze` read them (anyone may paste metadata into an
 * issue); null without a valid configuration.
 */
export async function loadGatesContext(gh: GitHubClient, where: RepoRef & { defaultBranch: string }, deps: PromotionDeps): Promise<GatesContext | null> {
  const head = await getBranchSha(gh, { ...where, branch: where.defaultBranch });
  if (head === null) return null;
  const active = await deps.store.active(gh, { ...where, ref: where.defaultBranch, headSha: head }, deps.log);
  if (!active) return null;
  const issues = await listIssuesWithLabel(gh, { ...where, label: INCIDENT_LABEL, state: "all" });
  const trusted = (await deps.botLogin()).toLowerCase();
  const own = issues.filter((i) => i.author.toLowerCase() === trusted);
  return { fleet: buildFleet(active.config), incidents: own.map((i) => ({ number: i.number, state: i.state, body: i.body, author: i.author })) };
}

const REVIEW_STATES = new Set<ReviewFact["state"]>(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

export interface GatesOutcome {
  number: number;
  conclusion: GateState;
  /** The merge commit when auto-merge merged the pull request. */
  mergedSha: string | null;
}

/**
 * Evaluates and publishes the gates of `pr`; null when it is not an open promotion pull request this app opened
 * (a review on another author's look-alike, metadata copied, must not evaluate, let alone auto-merge, it) or its
 * target is unknown.
 */
export async function runPromotionGates(
  gh: GitHubClient,
  where: RepoRef,
  pr: PullRequestFacts,
  context: GatesContext,
  deps: PromotionDeps,
): Promise<GatesOutcome | null> {
  const meta = parsePromotionMetadata(pr.body);
  if (!meta || pr.state !== "open" || !openedByApp(pr, await deps.botLogin())) return null;
  const { fleet } = context;
  const target = resolveScope(fleet, meta.target);
  const source = resolveScope(fleet, meta.source);
  if (!target) {
    deps.log.warn({ pull: pr.number, target: meta.target }, "promotion target no longer in the fleet; gates not evaluated");
    return null;
  }
  const settings = effectiveSettings(fleet.config, { environment: target.environment });
  const gatesConfig = promotionSettingsOf(settings.promotion);

  const reviews: ReviewFact[] = [];
  for (const r of await listReviews(gh, { ...where, number: pr.number })) {
    const state = r.state as ReviewFact["state"];
    if (r.submittedAt === null || !REVIEW_STATES.has(state)) continue;
    reviews.push({ user: r.user, state, submittedAt: new Date(r.submittedAt) });
  }
  const teamMembers: Record<string, string[]> = {};
  const approvers = [...new Set(reviews.filter((r) => r.state === "APPROVED").map((r) => r.user))];
  for (const team of gatesConfig.gates.approvals.teams) {
    const ref = teamRef(team, where.owner);
    teamMembers[team] = [];
    for (const user of approvers) if (await isTeamMember(gh, { ...ref, user })) teamMembers[team].push(user);
  }

  const checks: CheckFact[] = (await listCheckRuns(gh, { ...where, ref: pr.headSha }))
    .filter((c) => c.name !== PROMOTION_GATES_CHECK_NAME)
    .map((c) => ({ name: c.name, status: c.status === "completed" ? "completed" : c.status === "in_progress" ? "in_progress" : "queued", conclusion: c.conclusion }));
  // CI systems that report commit statuses instead of check runs: a status context counts as a check of that name.
  for (const s of await listCommitStatuses(gh, { ...where, ref: pr.headSha })) {
    checks.push(s.state === "pending" ? { name: s.context, status: "in_progress", conclusion: null } : { name: s.context, status: "completed", conclusion: s.state === "success" ? "success" : "failure" });
  }

  const lastHop = meta.chain[meta.chain.length - 1];
  const live = lastHop ? (await getCommitFacts(gh, { ...where, sha: lastHop.sha })).date : null;
  // Analyses of the source measure while the change bakes there (this runs on every reconciler tick).
  const measured = source && lastHop && live !== null
    ? await measureScope(gh, where, { fleet, scope: source, component: meta.component, sha: lastHop.sha, mergedAt: new Date(live) }, deps)
    : null;
  const evaluation = evaluateGates({
    settings,
    now: deps.now(),
    headSha: pr.headSha,
    author: meta.origin.author ?? pr.author,
    reviews,
    teamMembers,
    checks,
    sourceLiveSince: live === null ? null : new Date(live),
    sourceScopes: source ? [source.environment, ...clustersOfScope(fleet, source)] : [meta.source],
    alerts: incidentAlerts(fleet, context.incidents),
    openIncidents: openIncidentsFor(fleet, context.incidents, target),
    targetScopes: [target.environment],
    analysis: measured ? analysisGate(measured.outcome, meta.source) : null,
  });
  await publishCheckRun(gh, where, evaluation.checkRun);
  deps.log.info({ pull: pr.number, conclusion: evaluation.conclusion, recheckAt: evaluation.recheckAt }, "promotion gates evaluated");

  let mergedSha: string | null = null;
  if (evaluation.conclusion === "pass" && gatesConfig.autoMerge) {
    const merged = await mergePullRequest(gh, { ...where, number: pr.number, sha: pr.headSha, method: "merge" });
    if (merged.merged) {
      mergedSha = merged.sha;
      metrics.promotion("merged");
    } else deps.log.warn({ pull: pr.number, reason: merged.reason }, "auto-merge refused");
  }
  return { number: pr.number, conclusion: evaluation.conclusion, mergedSha };
}
