import type { Logger } from "pino";
import type { FleetwardConfig } from "../../config/schema.js";
import { buildFleet } from "../../fleet/build-fleet.js";
import type { AlertGroup } from "../../rollback/alerts/alert-group.js";
import { decideRollbackAction } from "../../rollback/decide-rollback-action.js";
import type { ExistingPullRequest } from "../../rollback/decide-rollback-action.js";
import { findChangeToRevert } from "../../rollback/find-change-to-revert.js";
import { type SkippedAlert, mapAlertGroup } from "../../rollback/map-alert-group.js";
import { planIncident } from "../../rollback/plan-incident.js";
import type { ExistingIssue } from "../../rollback/plan-incident.js";
import { planResolvedNotice } from "../../rollback/plan-resolved-notice.js";
import { planRevert } from "../../rollback/plan-revert.js";
import { INCIDENT_LABEL, resolveRollbackSettings } from "../../rollback/resolve-rollback-settings.js";
import { renderMetadata } from "../../rollback/rollback-metadata.js";
import { rollbackBranch, rollbackKey } from "../../rollback/rollback-key.js";
import { type RollbackTarget, targetName } from "../../rollback/rollback-target.js";
import { createComment, listComments } from "../github/comments.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import type { IssueFacts } from "../github/issues.js";
import { listIssuesWithLabel } from "../github/issues.js";
import { type PullRequestFacts, listPullRequestsForBranch, updatePullRequest } from "../github/pull-requests.js";
import { applyIncidentPlan } from "./apply-incident-plan.js";
import { commentOnce, completeRevert } from "./complete-revert.js";
import { loadChangeHistory } from "./load-change-history.js";
import { openRevert } from "./open-revert.js";
import { readTargetTree } from "./read-target-tree.js";

export interface RollbackRepo {
  gh: GitHubClient;
  where: RepoRef & { defaultBranch: string };
  /** The default branch's head (the configuration was read there). */
  head: string;
  config: FleetwardConfig;
  /** The app's bot login: only its pull requests and issues carry trusted metadata. */
  botLogin: string;
  log: Logger;
}

/** What happened for one target, for the route's answer and the logs. */
export interface TargetOutcome {
  target: string;
  environment: string;
  clusters: string[];
  component: string | null;
  rollback: { action: string; number: number | null; reason?: string };
  incident: { action: string; number: number | null };
}

export interface RepoOutcome {
  repository: string;
  targets: TargetOutcome[];
  skipped: SkippedAlert[];
}

export const asExistingPull = (p: PullRequestFacts): ExistingPullRequest => ({ number: p.number, state: p.state, merged: p.merged, body: p.body, author: p.author });
export const asExistingIssue = (i: IssueFacts): ExistingIssue => ({ number: i.number, state: i.state, body: i.body, author: i.author });

/** Replaces the rollback metadata comment of a pull request body. */
function withMetadata(body: string, metadata: unknown): string {
  const start = body.indexOf("<!-- fleetward:rollback ");
  const rendered = renderMetadata("rollback", metadata);
  if (start < 0) return `${body}\n\n${rendered}`;
  const end = body.indexOf(" -->", start);
  return body.slice(0, start) + rendered + (end < 0 ? "" : body.slice(end + 4));
}

/**
 * One alert notification for one repository: load → plan → execute for every target the repository's rules
 * map it to. Firing: the rollback pull request (opened once per group, target and episode) and the target's
 * incident. Resolved: the incident updated or closed, the open rollback pull request told once.
 */
export async function runRollback(repo: RollbackRepo, group: AlertGroup): Promise<RepoOutcome> {
  const { where, config, log } = repo;
  const fleet = buildFleet(config);
  const repository = `${where.owner}/${where.repo}`;
  const mapping = mapAlertGroup(config, fleet, group, { repository });
  for (const s of mapping.skipped) log.info({ repository, groupKey: group.groupKey, code: s.reason.code }, `alert skipped: ${s.message}`);
  if (mapping.targets.length === 0) return { repository, targets: [], skipped: mapping.skipped };
  return { repository, targets: await runRollbackTargets(repo, group, mapping.targets), skipped: mapping.skipped };
}

/**
 * The rollback and incident of each target for one group, whatever produced the targets (alert rules, or a
 * failed analysis with `onFailure: rollback`).
 */
export async function runRollbackTargets(repo: RollbackRepo, group: AlertGroup, mapped: readonly RollbackTarget[]): Promise<TargetOutcome[]> {
  const { gh, where, config, botLogin, log, head } = repo;
  const fleet = buildFleet(config);
  const repository = `${where.owner}/${where.repo}`;
  let issues = (await listIssuesWithLabel(gh, { ...where, label: INCIDENT_LABEL, state: "all" })).map(asExistingIssue);
  const targets: TargetOutcome[] = [];
  for (const target of mapped) {
    const rollback = await runTargetRollback(repo, fleet, group, target, head);
    const settings = resolveRollbackSettings(config, { environment: target.environment, ...(target.cluster ? { cluster: target.cluster } : {}) });
    const revert = rollback.pull ? { number: rollback.pull.number, url: rollback.pull.url } : null;
    const plan = planIncident({ target, group, existing: issues, revert, settings, trustedAuthor: botLogin, dashboards: config.dashboards });
    const issue = await applyIncidentPlan(gh, { ...where, botLogin }, plan);
    if (issue) issues = [...issues.filter((i) => i.number !== issue.number), asExistingIssue(issue)];
    const number = plan.action === "none" ? plan.number : (issue?.number ?? null);
    log.info({ repository, target: targetName(target), rollback: rollback.outcome, incident: { action: plan.action, number } }, "alert handled");
    targets.push({
      target: targetName(target),
      environment: target.environment,
      clusters: target.clusters,
      component: target.component ?? null,
      rollback: rollback.outcome,
      incident: { action: plan.action, number },
    });
  }
  return targets;
}

interface TargetRollback {
  outcome: TargetOutcome["rollback"];
  pull: { number: number; url: string } | null;
}

async function runTargetRollback(repo: RollbackRepo, fleet: ReturnType<typeof buildFleet>, group: AlertGroup, target: RollbackTarget, head: string): Promise<TargetRollback> {
  const { gh, where, config, botLogin, log } = repo;
  const settings = resolveRollbackSettings(config, { environment: target.environment, ...(target.cluster ? { cluster: target.cluster } : {}) });
  const key = rollbackKey(group, target);
  const branch = rollbackBranch(target, key);
  const pulls = await listPullRequestsForBranch(gh, { ...where, branch });
  const firing = target.alerts.filter((a) => a.status === "firing");
  const decision = decideRollbackAction({ key, alerts: target.alerts, firing: firing.length > 0, existing: pulls.map(asExistingPull), trustedAuthor: botLogin });
  const openPull = pulls.find((p) => p.state === "open" && p.author.toLowerCase() === botLogin.toLowerCase());
  // A run killed after opening it left steps undone (labels, auto-merge): every later run completes them.
  if (openPull && decision.action !== "open") await completeRevert(gh, where, openPull, settings, log);
  if (decision.action === "none") {
    if (openPull && firing.length < target.alerts.length) {
      const comments = (await listComments(gh, { ...where, number: openPull.number })).filter((c) => c.author.toLowerCase() === botLogin.toLowerCase());
      const notice = planResolvedNotice({ pullRequest: asExistingPull(openPull), alerts: target.alerts, comments: comments.map((c) => c.body) });
      if (notice.action === "comment") {
        await createComment(gh, { ...where, number: notice.number, body: notice.body });
        return { outcome: { action: "told_resolved", number: openPull.number }, pull: null };
      }
    }
    // The pull request that answers these alerts, open or already merged, is the incident's link.
    const answering = openPull ?? pulls.find((p) => p.number === decision.number);
    return { outcome: { action: "none", number: decision.number, reason: decision.reason }, pull: answering ? { number: answering.number, url: answering.htmlUrl } : null };
  }
  if (decision.action === "update") {
    const pull = pulls.find((p) => p.number === decision.number);
    // The comment before the metadata: the metadata decides "update", so a killed run repeats this step whole.
    const names = [...new Set(target.alerts.filter((a) => decision.newFingerprints.includes(a.fingerprint)).map((a) => a.labels.alertname ?? a.fingerprint))];
    if (names.length > 0) await commentOnce(gh, { ...where, number: decision.number, body: `Also firing now: ${names.join(", ")}.`, botLogin });
    await updatePullRequest(gh, { ...where, number: decision.number, body: withMetadata(pull?.body ?? "", decision.metadata) });
    return { outcome: { action: "update", number: decision.number }, pull: pull ? { number: pull.number, url: pull.htmlUrl } : null };
  }
  const startsAt = firing.map((a) => a.startsAt).sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? "";
  const history = await loadChangeHistory(gh, where, { fleet, target, head, startsAt, lookbackMs: settings.lookbackMs });
  const choice = findChangeToRevert({ fleet, target, startsAt, lookbackMs: settings.lookbackMs, history });
  if (!choice.found) {
    log.warn({ repository: `${where.owner}/${where.repo}`, target: targetName(target), reason: choice.reason }, `no change to roll back: ${choice.explanation}`);
    return { outcome: { action: "no_change", number: null, reason: choice.explanation }, pull: null };
  }
  const parentSha = choice.change.parentSha;
  const [before, after, current] = await Promise.all([
    readTargetTree(gh, { ...where, ref: parentSha }, fleet, target),
    readTargetTree(gh, { ...where, ref: choice.change.sha }, fleet, target),
    readTargetTree(gh, { ...where, ref: head }, fleet, target),
  ]);
  const plan = planRevert({ fleet, target, key, trigger: { kind: "alert", group }, change: choice.change, files: choice.files, before, after, current, settings, dashboards: config.dashboards });
  if (plan.empty) {
    return { outcome: { action: "already_reverted", number: null, reason: `the default branch already has ${targetName(target)} as before ${choice.change.sha}` }, pull: null };
  }
  const opened = await openRevert(gh, { ...where, headSha: head }, plan, log);
  return { outcome: { action: opened.created ? "open" : "none", number: opened.number }, pull: { number: opened.number, url: opened.url } };
}
