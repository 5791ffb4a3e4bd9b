/**
 * What is moving or stopped: open promotions with their gates, waves baking, frozen scopes and the last
 * reverts, from the app's own pull requests and incident issues. Pure.
 */
import type { Fleet } from "../../fleet/build-fleet.js";
import { freezeState } from "../../rollback/freeze-state.js";
import type { ExistingIssue } from "../../rollback/plan-incident.js";
import { incidentsOf } from "../../rollback/plan-incident.js";
import { readRollbackMetadata } from "../../rollback/rollback-metadata.js";
import type { AlertFact } from "../evaluate-gates.js";
import { PROMOTION_GATES_CHECK_NAME } from "../evaluate-gates.js";
import { parsePromotionMetadata } from "../parse-promotion-metadata.js";
import { planNextWave } from "../plan-next-wave.js";
import { resolveScope } from "../promotion-hops.js";
import { resolveWaves } from "../resolve-waves.js";
import type { StatusIncident, StatusPullRequest, StatusRevert } from "./fleet-status-input.js";
import type { BakingWaveStatus, FrozenScopeStatus, GateStatus, OpenPromotionStatus, RevertStatus } from "./fleet-status-types.js";

const GATE_ROW = /^\| (\w+) \| \S+ (pass|pending|fail) \| (.*) \|$/;

/** The gates listed in a `fleetward/promotion-gates` summary (its table, one row per gate). */
export function parseGateRows(summary: string | null): GateStatus[] {
  const out: GateStatus[] = [];
  for (const line of (summary ?? "").split("\n")) {
    const m = GATE_ROW.exec(line.trim());
    if (m) out.push({ name: m[1] as string, state: m[2] as GateStatus["state"], detail: (m[3] as string).replace(/\\\|/g, "|") });
  }
  return out;
}

function gatesOf(pr: StatusPullRequest): OpenPromotionStatus["gates"] {
  const run = pr.checks.find((c) => c.name === PROMOTION_GATES_CHECK_NAME);
  if (!run) return { state: "unknown", checkUrl: null, gates: [] };
  const state = run.status !== "completed" ? "pending" : run.conclusion === "success" ? "pass" : run.conclusion === "action_required" ? "pending" : "fail";
  return { state, checkUrl: run.url, gates: parseGateRows(run.summary) };
}

const pullUrl = (repoUrl: string, n: number) => `${repoUrl}/pull/${n}`;

/** Open promotion pull requests (with valid metadata), oldest first. */
export function openPromotions(prs: readonly StatusPullRequest[], repoUrl: string): OpenPromotionStatus[] {
  const out: OpenPromotionStatus[] = [];
  for (const pr of [...prs].sort((a, b) => a.number - b.number)) {
    const meta = parsePromotionMetadata(pr.body);
    if (!meta || pr.state !== "open") continue;
    out.push({
      pr: { number: pr.number, url: pr.url, title: pr.title },
      component: meta.component,
      source: meta.source,
      target: meta.target,
      openedAt: pr.createdAt,
      origin: { pr: meta.origin.pr, url: meta.origin.pr === null ? null : pullUrl(repoUrl, meta.origin.pr), sha: meta.origin.sha, author: meta.origin.author },
      gates: gatesOf(pr),
    });
  }
  return out;
}

/** Merged wave pull requests still labelled baking: time left, or ready, or halted by an alert (as `planNextWave` decides). */
export function bakingWaves(fleet: Fleet, prs: readonly StatusPullRequest[], alerts: readonly AlertFact[], now: Date): BakingWaveStatus[] {
  const out: BakingWaveStatus[] = [];
  for (const pr of prs) {
    const meta = parsePromotionMetadata(pr.body);
    if (!meta || !pr.merged || pr.mergedAt === null || !pr.baking) continue;
    const scope = resolveScope(fleet, meta.target);
    if (!scope || scope.wave === undefined) continue;
    const waves = resolveWaves(fleet, scope.environment);
    const index = waves.findIndex((w) => w.name === scope.wave);
    const wave = waves[index];
    const next = waves[index + 1];
    if (!wave || !next) continue;
    const mergedAt = new Date(pr.mergedAt);
    // The chain reached this wave, so the earlier waves merged (as the app treats them).
    const merged = waves.slice(0, index + 1).map((w) => ({ wave: w.name, mergedAt }));
    const decision = planNextWave({ fleet, environment: scope.environment, merged, now, alerts });
    const until = new Date(mergedAt.getTime() + wave.bakeMs);
    const secondsLeft = Math.max(0, Math.ceil((until.getTime() - now.getTime()) / 1000));
    const state = decision.action === "halt" ? "halted" : decision.action === "wait" ? "baking" : "ready";
    const detail = decision.action === "halt" ? decision.detail : state === "baking" ? `opens ${next.name} at ${until.toISOString()}` : `bake over: ${next.name} opens at the next check`;
    out.push({ environment: scope.environment, wave: wave.name, nextWave: next.name, component: meta.component, pr: { number: pr.number, url: pr.url, title: pr.title }, mergedAt: pr.mergedAt, bakeUntil: until.toISOString(), secondsLeft, state, detail });
  }
  return out.sort((a, b) => a.bakeUntil.localeCompare(b.bakeUntil));
}

/** Incidents as the freeze planner reads them. */
export const asExistingIssues = (incidents: readonly StatusIncident[]): ExistingIssue[] => incidents.map((i) => ({ number: i.number, state: i.state, body: i.body }));

/** Open incidents, each a frozen scope with its alerts and the reason `GET /api/freeze` gives. */
export function frozenScopes(incidents: readonly StatusIncident[]): FrozenScopeStatus[] {
  const byNumber = new Map(incidents.map((i) => [i.number, i]));
  const out: FrozenScopeStatus[] = [];
  for (const { issue, meta } of incidentsOf(asExistingIssues(incidents))) {
    const source = byNumber.get(issue.number);
    if (issue.state !== "open" || !source) continue;
    out.push({
      environment: meta.environment,
      cluster: meta.cluster ?? null,
      clusters: meta.clusters,
      incident: { number: issue.number, url: source.url, title: source.title },
      alerts: meta.alerts.map((a) => ({ name: a.alertname ?? a.fingerprint, status: a.status, startsAt: a.startsAt, summary: a.summary, url: a.generatorURL })),
      reason: freezeState([issue], { env: meta.environment }).reasons[0] ?? `incident #${issue.number}`,
    });
  }
  return out.sort((a, b) => a.incident.number - b.incident.number);
}

/** The app's rollback pull requests, newest first, at most `max`. */
export function lastReverts(reverts: readonly StatusRevert[], max: number): RevertStatus[] {
  const out: RevertStatus[] = [];
  for (const pr of reverts) {
    const meta = readRollbackMetadata(pr.body);
    if (!meta) continue;
    out.push({
      pr: { number: pr.number, url: pr.url, title: pr.title },
      state: pr.merged ? "merged" : pr.state === "open" ? "open" : "closed",
      environment: meta.environment,
      cluster: meta.cluster ?? null,
      component: meta.component ?? null,
      revertedSha: meta.revertedSha,
      revertedPr: meta.revertedPullRequest ?? null,
      createdAt: pr.createdAt,
      mergedAt: pr.mergedAt,
    });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.pr.number - a.pr.number).slice(0, max);
}
