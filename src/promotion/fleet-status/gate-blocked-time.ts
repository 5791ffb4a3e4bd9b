/**
 * How long each gate held a merged promotion pull request back: `evaluateGates` replayed over the pull
 * request's life (opened → merged) with the facts as they stood at each moment (reviews submitted, checks
 * started and completed, incidents open, alerts), stepping from one change of facts (or a gate's `recheckAt`:
 * soak end, window flip) to the next. A gate's blocked time is the time it was not `pass`. Pure.
 */
import { effectiveSettings } from "../../config/effective-settings.js";
import { promotionSettingsOf } from "../../config/promotion-schema.js";
import type { Fleet } from "../../fleet/build-fleet.js";
import { freezeState } from "../../rollback/freeze-state.js";
import type { AlertFact, CheckFact, ReviewFact } from "../evaluate-gates.js";
import { PROMOTION_GATES_CHECK_NAME, evaluateGates } from "../evaluate-gates.js";
import { scopeClusters } from "../plan-promotions.js";
import { resolveScope } from "../promotion-hops.js";
import type { PromotionMetadata } from "../promotion-metadata.js";
import type { StatusIncident, StatusPullRequest } from "./fleet-status-input.js";

/** Most evaluations per pull request (each fact change or recheck is one step). */
const MAX_STEPS = 500;

const REVIEW_STATES = new Set(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

const time = (iso: string | null | undefined): number | null => {
  if (iso === null || iso === undefined) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

export interface GateBlockedInput {
  fleet: Fleet;
  pr: StatusPullRequest;
  meta: PromotionMetadata;
  incidents: readonly StatusIncident[];
  alerts: readonly AlertFact[];
  commitDates: ReadonlyMap<string, string>;
}

/**
 * Seconds each configured gate was not passing between the pull request's opening and its merge; null when it
 * is not a merged promotion into a known target. Approvals with `teams`: every approver counts as a member
 * (the pull request merged, so its approvals were accepted; membership history is not kept by GitHub).
 */
export function gateBlockedSeconds(input: GateBlockedInput): Record<string, number> | null {
  const { fleet, pr, meta } = input;
  const opened = time(pr.createdAt);
  const merged = time(pr.mergedAt);
  const target = resolveScope(fleet, meta.target);
  if (opened === null || merged === null || merged < opened || !target) return null;
  const source = resolveScope(fleet, meta.source);
  const settings = effectiveSettings(fleet.config, { environment: target.environment });
  const reviews: ReviewFact[] = pr.reviews.filter((r) => REVIEW_STATES.has(r.state) && time(r.submittedAt) !== null).map((r) => ({ user: r.user, state: r.state as ReviewFact["state"], submittedAt: new Date(r.submittedAt) }));
  const approvers = [...new Set(reviews.filter((r) => r.state === "APPROVED").map((r) => r.user))];
  const teamMembers = Object.fromEntries(promotionSettingsOf(settings.promotion).gates.approvals.teams.map((t) => [t, approvers]));
  const checks = pr.checks.filter((c) => c.name !== PROMOTION_GATES_CHECK_NAME);
  const lastHop = meta.chain[meta.chain.length - 1];
  const live = lastHop ? time(input.commitDates.get(lastHop.sha)) : null;
  const targetClusters = target.cluster !== undefined || target.wave !== undefined ? scopeClusters(fleet, target) : [];
  const sourceScopes = source ? [source.environment, ...scopeClusters(fleet, source)] : [meta.source];

  const changes = [
    ...reviews.map((r) => r.submittedAt.getTime()),
    ...checks.flatMap((c) => [time(c.startedAt), time(c.completedAt)]),
    ...input.incidents.flatMap((i) => [time(i.createdAt), time(i.closedAt)]),
    ...input.alerts.flatMap((a) => [a.startsAt.getTime(), a.endsAt?.getTime() ?? null]),
  ].filter((t): t is number => t !== null && t > opened && t < merged);
  const points = [...new Set(changes)].sort((a, b) => a - b);

  const blocked: Record<string, number> = {};
  let t = opened;
  for (let step = 0; step < MAX_STEPS && t < merged; step++) {
    const at = t;
    const checkFacts: CheckFact[] = checks.flatMap((c): CheckFact[] => {
      const done = time(c.completedAt);
      const started = time(c.startedAt) ?? done;
      if (done !== null && done <= at) return [{ name: c.name, status: "completed", conclusion: c.conclusion }];
      return started !== null && started <= at ? [{ name: c.name, status: "in_progress", conclusion: null }] : [];
    });
    const openIssues = input.incidents
      .filter((i) => (time(i.createdAt) ?? Infinity) <= at && at < (time(i.closedAt) ?? Infinity))
      .map((i) => ({ number: i.number, state: "open" as const, body: i.body }));
    const reasons = (targetClusters.length > 0 ? targetClusters.map((cluster) => ({ env: target.environment, cluster })) : [{ env: target.environment }]).flatMap((scope) => freezeState(openIssues, scope).reasons);
    const evaluation = evaluateGates({
      settings,
      now: new Date(at),
      headSha: "",
      author: meta.origin.author ?? "",
      reviews: reviews.filter((r) => r.submittedAt.getTime() <= at),
      teamMembers,
      checks: checkFacts,
      sourceLiveSince: live !== null && live <= at ? new Date(live) : null,
      sourceScopes,
      alerts: input.alerts,
      openIncidents: [...new Set(reasons)].map((title) => ({ scope: target.environment, title })),
      targetScopes: [target.environment],
    });
    const recheck = evaluation.recheckAt?.getTime() ?? Infinity;
    const nextChange = points.find((p) => p > at) ?? Infinity;
    const next = Math.min(merged, nextChange, recheck > at ? recheck : Infinity, live !== null && live > at ? live : Infinity);
    for (const gate of evaluation.gates) {
      blocked[gate.name] = (blocked[gate.name] ?? 0) + (gate.state === "pass" ? 0 : (next - at) / 1000);
    }
    t = next;
  }
  return blocked;
}
