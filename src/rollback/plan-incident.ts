import type { DashboardsConfig } from "../config/dashboards-schema.js";
import type { AlertGroup, NormalizedAlert } from "./alerts/alert-group.js";
import { dashboardLinks, renderDashboardLinks } from "./dashboard-links.js";
import { markdownLink, markdownText } from "./markdown-text.js";
import type { IncidentAlert, IncidentMetadata } from "./rollback-metadata.js";
import { readIncidentMetadata, renderMetadata } from "./rollback-metadata.js";
import { incidentKey } from "./rollback-key.js";
import type { RollbackSettings } from "./resolve-rollback-settings.js";
import type { RollbackTarget } from "./rollback-target.js";
import { targetName } from "./rollback-target.js";

/** An issue as the planners need it. */
export interface ExistingIssue {
  number: number;
  state: "open" | "closed";
  body: string | null;
  /** Login of the author; with `trustedAuthor`, other authors' issues are ignored (anyone can copy metadata). */
  author?: string | null;
}

export type IncidentPlan =
  | { action: "open"; title: string; body: string; labels: string[]; metadata: IncidentMetadata }
  | { action: "update"; number: number; body: string; comment: string | null; metadata: IncidentMetadata }
  | { action: "close"; number: number; body: string; comment: string; metadata: IncidentMetadata }
  | { action: "none"; number: number | null; reason: string };

export interface PlanIncidentInput {
  /** The target with this notification's alerts for it (from `mapAlertGroup`). */
  target: RollbackTarget;
  group: AlertGroup;
  existing: readonly ExistingIssue[];
  /** The rollback pull request opened or found for this notification, to link. */
  revert?: { number: number; url: string | null } | null;
  settings: Pick<RollbackSettings, "incidentLabels">;
  trustedAuthor?: string;
  /** The configuration's `dashboards:`; the target's links are recorded in the incident and shown in its body. */
  dashboards?: DashboardsConfig;
}

interface Found {
  issue: ExistingIssue;
  meta: IncidentMetadata;
}

/** Fleetward's incidents among `issues` (valid metadata, trusted author). */
export function incidentsOf(issues: readonly ExistingIssue[], trustedAuthor?: string): Found[] {
  return issues
    .filter((i) => trustedAuthor === undefined || i.author?.toLowerCase() === trustedAuthor.toLowerCase())
    .map((issue) => ({ issue, meta: readIncidentMetadata(issue.body) }))
    .filter((x): x is Found => x.meta !== null);
}

function record(alert: NormalizedAlert, groupKey: string): IncidentAlert {
  return {
    fingerprint: alert.fingerprint,
    alertname: alert.labels.alertname ?? null,
    status: alert.status,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    groupKey,
    summary: alert.annotations.summary ?? alert.annotations.description ?? null,
    generatorURL: alert.generatorURL,
  };
}

function scopeText(meta: Pick<IncidentMetadata, "environment" | "cluster" | "clusters">): string {
  if (meta.cluster !== undefined) return meta.cluster;
  if (meta.clusters.length > 1) return `${meta.environment} (clusters ${meta.clusters.join(", ")})`;
  return meta.environment;
}

/** The issue body of an incident: its alerts, its rollbacks, the freeze it causes, and the metadata. */
export function renderIncidentBody(meta: IncidentMetadata): string {
  const firing = meta.alerts.filter((a) => a.status === "firing");
  const rows = meta.alerts.map((a) => {
    const link = markdownLink("graph", a.generatorURL);
    return `| ${a.status === "firing" ? "🔥 firing" : "✅ resolved"} | ${markdownText(a.alertname ?? "(unnamed)")} | ${markdownText(a.startsAt)} | ${a.endsAt ? markdownText(a.endsAt) : ""} | ${a.summary ? markdownText(a.summary) : ""}${link ? ` ${link}` : ""} |`;
  });
  const state = meta.unfrozen
    ? `Unfrozen by @${markdownText(meta.unfrozen.by)} at ${markdownText(meta.unfrozen.at)}.`
    : firing.length > 0
      ? `Promotions into **${scopeText(meta)}** are frozen while this issue is open. It closes when every alert has resolved, or when someone allowed to comments \`/unfreeze\`.`
      : "All alerts have resolved.";
  return [
    `SLO alerts for **${scopeText(meta)}**${meta.component ? ` (component ${markdownText(meta.component)})` : ""}.`,
    "",
    state,
    "",
    "| status | alert | since | ended | summary |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    ...(meta.reverts.length ? ["", `Rollback: ${meta.reverts.map((r) => `#${r.number}`).join(", ")}`] : []),
    ...renderDashboardLinks(meta.dashboards ?? []),
    "",
    renderMetadata("incident", meta),
  ].join("\n");
}

function sameAlerts(a: readonly IncidentAlert[], b: readonly IncidentAlert[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Opens, updates or closes the incident issue of a target for one notification. One incident per target
 * (`incidentKey`); alerts are tracked by fingerprint across notifications and groups. It opens only while an
 * alert fires, closes once all its alerts have resolved, and does nothing when the notification changes
 * nothing (repeats, redeliveries, HA duplicates). Alerts an `/unfreeze` acknowledged (same fingerprint and start)
 * do not open a new incident.
 */
export function planIncident(input: PlanIncidentInput): IncidentPlan {
  const { target, group } = input;
  const key = incidentKey(target);
  const found = incidentsOf(input.existing, input.trustedAuthor).filter((x) => x.meta.key === key);
  const acknowledged = new Set(
    found.filter((x) => x.issue.state === "closed" && x.meta.unfrozen !== null).flatMap((x) => x.meta.alerts.map((a) => `${a.fingerprint}@${a.startsAt}`)),
  );
  const incoming = target.alerts.map((a) => record(a, group.groupKey));
  const open = found.find((x) => x.issue.state === "open");
  const revert = input.revert ? [{ number: input.revert.number, url: input.revert.url }] : [];
  const links = dashboardLinks(input.dashboards, target, target.component !== undefined ? [target.component] : []);
  const dashboards = links.length > 0 ? { dashboards: links } : {};
  if (!open) {
    const firing = incoming.filter((a) => a.status === "firing" && !acknowledged.has(`${a.fingerprint}@${a.startsAt}`));
    if (firing.length === 0) {
      return { action: "none", number: null, reason: incoming.some((a) => a.status === "firing") ? "these alerts were unfrozen" : "no open incident and nothing firing" };
    }
    const meta: IncidentMetadata = {
      v: 1,
      key,
      environment: target.environment,
      ...(target.cluster !== undefined ? { cluster: target.cluster } : {}),
      clusters: [...target.clusters],
      ...(target.component !== undefined ? { component: target.component } : {}),
      alerts: firing,
      reverts: revert,
      unfrozen: null,
      ...dashboards,
    };
    const names = [...new Set(firing.map((a) => a.alertname ?? "alert"))];
    const title = `Incident in ${targetName(target)}: ${names.join(", ")}`.replace(/[\r\n]+/g, " ").slice(0, 200);
    return { action: "open", title, body: renderIncidentBody(meta), labels: [...input.settings.incidentLabels], metadata: meta };
  }
  const alerts = open.meta.alerts.map((a) => ({ ...a }));
  const newlyFiring: string[] = [];
  const newlyResolved: string[] = [];
  for (const a of incoming) {
    const i = alerts.findIndex((x) => x.fingerprint === a.fingerprint);
    const prior = i >= 0 ? alerts[i] : undefined;
    // A stale notification (older start than recorded) never overwrites newer state.
    if (prior && Date.parse(a.startsAt) < Date.parse(prior.startsAt)) continue;
    if (prior?.status !== a.status) (a.status === "firing" ? newlyFiring : newlyResolved).push(a.alertname ?? a.fingerprint);
    if (i >= 0) alerts[i] = a;
    else alerts.push(a);
  }
  const reverts = [...open.meta.reverts];
  for (const r of revert) if (!reverts.some((x) => x.number === r.number)) reverts.push(r);
  const meta: IncidentMetadata = { ...open.meta, alerts, reverts, ...dashboards };
  const body = renderIncidentBody(meta);
  if (alerts.every((a) => a.status === "resolved")) {
    return { action: "close", number: open.issue.number, body, comment: "All alerts of this incident have resolved; promotions are no longer frozen.", metadata: meta };
  }
  if (sameAlerts(alerts, open.meta.alerts) && reverts.length === open.meta.reverts.length) {
    return { action: "none", number: open.issue.number, reason: `incident #${open.issue.number} already records this notification` };
  }
  const parts = [
    ...(newlyFiring.length ? [`Firing: ${newlyFiring.map((n) => markdownText(n)).join(", ")}.`] : []),
    ...(newlyResolved.length ? [`Resolved: ${newlyResolved.map((n) => markdownText(n)).join(", ")}.`] : []),
    ...(reverts.length > open.meta.reverts.length ? [`Rollback: #${reverts[reverts.length - 1]?.number}.`] : []),
  ];
  return { action: "update", number: open.issue.number, body, comment: parts.length ? parts.join(" ") : null, metadata: meta };
}

export type UnfreezePlan =
  | { action: "close"; number: number; body: string; comment: string; metadata: IncidentMetadata }
  | { action: "none"; reason: string };

/** `/unfreeze` on an incident (authorise first with `authorizeRollback`): closes it and records who and when. */
export function planUnfreeze(input: { issue: ExistingIssue; actor: string; now: Date; trustedAuthor?: string }): UnfreezePlan {
  const [found] = incidentsOf([input.issue], input.trustedAuthor);
  if (!found) return { action: "none", reason: `#${input.issue.number} is not a Fleetward incident` };
  if (found.issue.state === "closed") return { action: "none", reason: `incident #${found.issue.number} is already closed` };
  const meta: IncidentMetadata = { ...found.meta, unfrozen: { by: input.actor, at: input.now.toISOString() } };
  return {
    action: "close",
    number: found.issue.number,
    body: renderIncidentBody(meta),
    comment: `Unfrozen by @${input.actor}: promotions into ${scopeText(meta)} may proceed. Alerts still firing with the same start will not reopen this incident.`,
    metadata: meta,
  };
}
