/**
 * The gates of a promotion pull request, from plain data, and the `fleetward/promotion-gates` check run.
 * `recheckAt` says when time alone may change a gate (soak, windows), for the reconciler.
 */
import type { CheckConclusion, CheckRunPlan } from "../checks/check-run-plan.js";
import { truncateOutput } from "../checks/check-run-plan.js";
import { parseDuration } from "../config/parse-duration.js";
import type { ResolvedPromotionSettings } from "../config/promotion-schema.js";
import { promotionSettingsOf } from "../config/promotion-schema.js";
import type { FleetwardSettings } from "../config/schema.js";
import { windowState } from "./window-state.js";

export const PROMOTION_GATES_CHECK_NAME = "fleetward/promotion-gates";

export type GateState = "pass" | "fail" | "pending";

export interface GateResult {
  name: "approvals" | "soak" | "policy" | "window" | "incident" | "analysis";
  state: GateState;
  detail: string;
  recheckAt?: Date;
}

export interface ReviewFact {
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  submittedAt: Date;
}

export interface CheckFact {
  name: string;
  /** `queued`/`in_progress` count as pending. */
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
}

export interface AlertFact {
  /** Cluster or environment name the alert is about. */
  scope: string;
  startsAt: Date;
  /** Null while firing. */
  endsAt: Date | null;
}

export interface EvaluateGatesInput {
  /** Effective settings of the target environment (`effectiveSettings(config, { environment })`). */
  settings: FleetwardSettings;
  now: Date;
  headSha: string;
  author: string;
  reviews: readonly ReviewFact[];
  /** Team (`org/slug` or `slug`) → logins of its members, for the teams the approvals gate names. */
  teamMembers: Readonly<Record<string, readonly string[]>>;
  /** Check runs and commit statuses of the head commit. */
  checks: readonly CheckFact[];
  /** When the promoted change went live in the source (its merge), or null if not yet. */
  sourceLiveSince: Date | null;
  /** Clusters and environment name of the source, to match alerts. */
  sourceScopes: readonly string[];
  alerts: readonly AlertFact[];
  /** Open incidents by the target environment or cluster names they concern. */
  openIncidents: readonly { scope: string; title: string }[];
  targetScopes: readonly string[];
  /** The analyses of the source scope (`src/analysis/analysis-report.ts` `analysisGate`); absent: none attached. */
  analysis?: { state: GateState; detail: string; recheckAt?: Date } | null;
}

export interface GateEvaluation {
  gates: GateResult[];
  conclusion: GateState;
  /** Earliest `recheckAt` of the gates, if any. */
  recheckAt: Date | null;
  checkRun: CheckRunPlan;
}

function approvalsGate(input: EvaluateGatesInput, p: ResolvedPromotionSettings): GateResult | null {
  const { count, teams } = p.gates.approvals;
  if (count === 0) return null;
  // The latest review of each user counts; comments do not change an earlier verdict.
  const latest = new Map<string, ReviewFact>();
  for (const r of [...input.reviews].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime())) {
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    latest.set(r.user.toLowerCase(), r);
  }
  const members = new Set(teams.flatMap((t) => input.teamMembers[t] ?? []).map((u) => u.toLowerCase()));
  const author = input.author.toLowerCase();
  const approvers = [...latest.values()].filter(
    (r) => r.state === "APPROVED" && r.user.toLowerCase() !== author && (teams.length === 0 || members.has(r.user.toLowerCase())),
  );
  const blocking = [...latest.values()].filter((r) => r.state === "CHANGES_REQUESTED");
  if (blocking.length > 0) return { name: "approvals", state: "fail", detail: `changes requested by ${blocking.map((r) => `@${r.user}`).join(", ")}` };
  const from = teams.length > 0 ? ` from ${teams.map((t) => `@${t}`).join(", ")}` : "";
  const detail = `${approvers.length} of ${count} approvals${from}${approvers.length > 0 ? ` (${approvers.map((r) => `@${r.user}`).join(", ")})` : ""}`;
  return { name: "approvals", state: approvers.length >= count ? "pass" : "pending", detail };
}

function soakGate(input: EvaluateGatesInput, p: ResolvedPromotionSettings): GateResult | null {
  const parsed = parseDuration(p.soakTime);
  const soakMs = parsed.ok ? parsed.ms : 0;
  if (!p.gates.soak || soakMs === 0) return null;
  if (input.sourceLiveSince === null) return { name: "soak", state: "pending", detail: "the change is not live in the source yet" };
  const since = input.sourceLiveSince.getTime();
  const now = input.now.getTime();
  const scopes = new Set(input.sourceScopes);
  const alert = input.alerts.find((a) => scopes.has(a.scope) && a.startsAt.getTime() <= now && (a.endsAt === null || a.endsAt.getTime() > since));
  if (alert) {
    return { name: "soak", state: "fail", detail: `alert on ${alert.scope} since ${alert.startsAt.toISOString()} while the change was soaking` };
  }
  const until = since + soakMs;
  if (now >= until) return { name: "soak", state: "pass", detail: `live in the source for ${p.soakTime} with no alert` };
  return { name: "soak", state: "pending", detail: `soaking until ${new Date(until).toISOString()}`, recheckAt: new Date(until) };
}

function policyGate(input: EvaluateGatesInput, p: ResolvedPromotionSettings): GateResult | null {
  const name = p.gates.policyCheck;
  if (name === "") return null;
  const runs = input.checks.filter((c) => c.name === name);
  if (runs.length === 0) return { name: "policy", state: "pending", detail: `waiting for \`${name}\`` };
  if (runs.some((c) => c.status !== "completed")) return { name: "policy", state: "pending", detail: `\`${name}\` is running` };
  const bad = runs.find((c) => !["success", "neutral", "skipped"].includes(c.conclusion ?? ""));
  if (bad) return { name: "policy", state: "fail", detail: `\`${name}\` concluded ${bad.conclusion ?? "without a conclusion"}` };
  return { name: "policy", state: "pass", detail: `\`${name}\` passed` };
}

function windowGate(input: EvaluateGatesInput, p: ResolvedPromotionSettings): GateResult | null {
  const windows = p.gates.windows;
  if (windows.length === 0) return null;
  const s = windowState(windows, input.now);
  const result: GateResult = { name: "window", state: s.open ? "pass" : "pending", detail: s.detail };
  if (s.changesAt) result.recheckAt = s.changesAt;
  if (s.changesAt && !s.open) result.detail += `; opens ${s.changesAt.toISOString()}`;
  return result;
}

function incidentGate(input: EvaluateGatesInput, p: ResolvedPromotionSettings): GateResult | null {
  if (!p.gates.noIncident) return null;
  const scopes = new Set(input.targetScopes);
  const open = input.openIncidents.filter((i) => scopes.has(i.scope));
  if (open.length === 0) return { name: "incident", state: "pass", detail: "no open incident for the target" };
  return { name: "incident", state: "fail", detail: `open incident: ${open.map((i) => `${i.title} (${i.scope})`).join("; ")}` };
}

function analysisGate(input: EvaluateGatesInput): GateResult | null {
  return input.analysis ? { name: "analysis", ...input.analysis } : null;
}

const ICON: Record<GateState, string> = { pass: "✅", fail: "❌", pending: "⏳" };

/** Every configured gate with its state; the conclusion is fail if any fails, else pending if any is pending, else pass. */
export function evaluateGates(input: EvaluateGatesInput): GateEvaluation {
  const p = promotionSettingsOf(input.settings.promotion);
  const gates = [approvalsGate, soakGate, policyGate, windowGate, incidentGate, analysisGate]
    .map((g) => g(input, p))
    .filter((g): g is GateResult => g !== null);
  const conclusion: GateState = gates.some((g) => g.state === "fail") ? "fail" : gates.some((g) => g.state === "pending") ? "pending" : "pass";
  const times = gates.flatMap((g) => (g.recheckAt ? [g.recheckAt.getTime()] : []));
  const recheckAt = times.length > 0 ? new Date(Math.min(...times)) : null;
  const checkConclusion: CheckConclusion = conclusion === "pass" ? "success" : conclusion === "fail" ? "failure" : "action_required";
  const passed = gates.filter((g) => g.state === "pass").length;
  const summary = [
    "| Gate | State | Detail |",
    "| --- | --- | --- |",
    ...gates.map((g) => `| ${g.name} | ${ICON[g.state]} ${g.state} | ${g.detail.replace(/\|/g, "\\|")} |`),
    ...(recheckAt ? ["", `Re-evaluated at ${recheckAt.toISOString()} at the latest.`] : []),
  ].join("\n");
  return {
    gates,
    conclusion,
    recheckAt,
    checkRun: {
      name: PROMOTION_GATES_CHECK_NAME,
      headSha: input.headSha,
      conclusion: checkConclusion,
      title: gates.length === 0 ? "No gates configured" : `${passed} of ${gates.length} gates pass`,
      summary: truncateOutput(summary),
      annotations: [],
    },
  };
}
