import type { DashboardsConfig } from "../config/dashboards-schema.js";
import type { Fleet } from "../fleet/build-fleet.js";
import { classifyPath, normalizeRepoPath } from "../fleet/classify-path.js";
import type { AlertGroup, NormalizedAlert } from "./alerts/alert-group.js";
import type { HistoryChange } from "./find-change-to-revert.js";
import { changeFiles } from "./find-change-to-revert.js";
import { dashboardLinks, renderDashboardLinks } from "./dashboard-links.js";
import { markdownLink, markdownText } from "./markdown-text.js";
import { alertEpisode, renderMetadata } from "./rollback-metadata.js";
import type { RollbackMetadata } from "./rollback-metadata.js";
import { rollbackBranch } from "./rollback-key.js";
import type { RollbackSettings } from "./resolve-rollback-settings.js";
import type { RollbackTarget } from "./rollback-target.js";
import { targetName } from "./rollback-target.js";
import { targetContainsPath } from "./target-contains-path.js";

/** A file tree restricted to the target's paths: path → content (or blob SHA; values are only compared and copied). */
export type FileTree = Readonly<Record<string, string>>;

export type RevertTrigger =
  | { kind: "alert"; group: AlertGroup }
  | { kind: "command"; actor: string; pullRequest: number };

export interface PlanRevertInput {
  fleet: Fleet;
  target: RollbackTarget;
  /** `rollbackKey(group, target)` or `manualRollbackKey(...)`. */
  key: string;
  trigger: RevertTrigger;
  change: HistoryChange;
  /**
   * The change's files (`findChangeToRevert(...).files`); default: the change's `files` and commit files, or,
   * when it lists none, the paths where `before` and `after` differ. Only files of the target are reverted.
   */
  files?: readonly string[];
  /** The target's files at the change's parent. */
  before: FileTree;
  /** The target's files at the change's commit. */
  after: FileTree;
  /** The target's files on the default branch now; default `after`. */
  current?: FileTree;
  settings: Pick<RollbackSettings, "labels" | "autoMerge">;
  /** The configuration's `dashboards:`: the body links the dashboards of the target's component (else the reverted files'). */
  dashboards?: DashboardsConfig;
}

export interface RevertPlan {
  branch: string;
  title: string;
  body: string;
  commitMessage: string;
  labels: string[];
  autoMerge: boolean;
  /** One commit's changes on top of the default branch: path → content (or blob SHA) to write, null to delete. */
  changes: Record<string, string | null>;
  /** Reverted paths changed again after the change; restoring them also undoes those later edits. */
  laterEdits: string[];
  /** True when the default branch already has the state before the change (nothing to commit). */
  empty: boolean;
  metadata: RollbackMetadata;
}

const has = (tree: FileTree, path: string) => Object.prototype.hasOwnProperty.call(tree, path);
const at = (tree: FileTree, path: string): string | null => (has(tree, path) ? (tree[path] ?? null) : null);

function alertname(alerts: readonly NormalizedAlert[], group: AlertGroup | null): string {
  const names = [...new Set(alerts.map((a) => a.labels.alertname).filter((n): n is string => !!n))];
  const first = names[0] ?? group?.commonLabels.alertname ?? "alert";
  return names.length > 1 ? `${first} (+${names.length - 1} more)` : first;
}

function titleText(text: string): string {
  const oneLine = text.replace(/[\r\n\t]+/g, " ").trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 199)}…` : oneLine;
}

function alertLines(alert: NormalizedAlert): string[] {
  const a = alert.annotations;
  const links = [markdownLink("graph", alert.generatorURL), markdownLink("runbook", a.runbook_url)].filter((l): l is string => l !== null);
  const labels = Object.keys(alert.labels)
    .sort()
    .map((k) => `${markdownText(k, 60)}=${markdownText(alert.labels[k] ?? "", 100)}`)
    .join(", ");
  const lines = [`- **${markdownText(alert.labels.alertname ?? "(unnamed)")}** ${alert.status} since ${markdownText(alert.startsAt)}${links.length ? ` · ${links.join(" · ")}` : ""}`];
  const summary = a.summary ?? a.description ?? a.title;
  if (summary) lines.push(`  ${markdownText(summary, 500)}`);
  if (labels) lines.push(`  <sub>${labels}</sub>`);
  return lines;
}

/**
 * One revert commit and its pull request: the change's files in the target are restored to their state before
 * the change (files it added are deleted, files it removed come back); nothing else is touched.
 */
export function planRevert(input: PlanRevertInput): RevertPlan {
  const { fleet, target, change } = input;
  const current = input.current ?? input.after;
  const known = input.files ?? changeFiles(change);
  const candidates =
    known.length > 0
      ? known.map(normalizeRepoPath)
      : [...new Set([...Object.keys(input.before), ...Object.keys(input.after)])].filter((p) => at(input.before, p) !== at(input.after, p));
  const paths = [...new Set(candidates)].filter((p) => targetContainsPath(fleet, target, p)).sort();
  const changes: Record<string, string | null> = {};
  const laterEdits: string[] = [];
  for (const p of paths) {
    const wanted = at(input.before, p);
    if (at(current, p) !== at(input.after, p)) laterEdits.push(p);
    if (at(current, p) !== wanted) changes[p] = wanted;
  }
  const name = targetName(target);
  const components = [...new Set(paths.map((p) => classifyPath(fleet, p).component).filter((c): c is string => c !== null))];
  const component = target.component ?? (components.length >= 1 && components.length <= 2 ? components.join(", ") : "changes");
  const group = input.trigger.kind === "alert" ? input.trigger.group : null;
  const reason =
    input.trigger.kind === "alert" ? alertname(target.alerts, group) : `#${input.trigger.pullRequest} (requested by @${input.trigger.actor})`;
  const title = titleText(`Roll back ${component} in ${name}: ${reason}`);
  const metadata: RollbackMetadata = {
    v: 1,
    key: input.key,
    groupKey: group?.groupKey ?? null,
    fingerprints: [...new Set(target.alerts.map((a) => a.fingerprint))].sort(),
    episodes: [...new Set(target.alerts.map(alertEpisode))].sort(),
    environment: target.environment,
    ...(target.cluster !== undefined ? { cluster: target.cluster } : {}),
    clusters: [...target.clusters],
    ...(target.component !== undefined ? { component: target.component } : {}),
    revertedSha: change.sha,
    ...(change.pullRequest ? { revertedPullRequest: change.pullRequest.number } : {}),
  };
  const reverted = change.pullRequest
    ? `#${change.pullRequest.number} (${markdownText(change.pullRequest.title)}), merge commit ${change.sha}`
    : `commit ${change.sha}${change.message ? ` (${markdownText(change.message)})` : ""}`;
  const scope = target.clusters.length > 1 ? `${target.environment} (clusters ${target.clusters.join(", ")})` : name;
  const body = [
    `Fleetward rolls back ${markdownText(component)} in **${scope}**${input.trigger.kind === "alert" ? " because an SLO alert fired" : ` as requested by @${markdownText(input.trigger.actor)}`}.`,
    "",
    `Reverts ${reverted}, merged ${markdownText(change.mergedAt)}, restoring these files to their state before it:`,
    "",
    ...paths.map((p) => `- \`${p.replace(/`/g, "'")}\` ${p in changes ? (changes[p] === null ? "(deleted: the change added it)" : at(input.after, p) === null ? "(restored: the change removed it)" : "(restored)") : "(already as before)"}`),
    ...(laterEdits.length
      ? ["", `⚠️ Changed again after the reverted change (those later edits are undone too): ${laterEdits.map((p) => `\`${p.replace(/`/g, "'")}\``).join(", ")}`]
      : []),
    ...(target.alerts.length ? ["", "### Alerts", "", ...target.alerts.flatMap(alertLines)] : []),
    ...renderDashboardLinks(dashboardLinks(input.dashboards, target, target.component !== undefined ? [target.component] : components)),
    ...(group?.externalURL ? ["", `Sent by ${markdownLink("Alertmanager", group.externalURL) ?? markdownText(group.externalURL)}.`] : []),
    "",
    input.settings.autoMerge ? "Auto-merge is on for this target." : "Review and merge to roll back; close to keep the current state.",
    "",
    renderMetadata("rollback", metadata),
  ].join("\n");
  const commitMessage = `${title}\n\nRestores ${paths.length} file(s) of ${scope} to their state before ${change.sha}.`;
  return {
    branch: rollbackBranch(target, input.key),
    title,
    body,
    commitMessage,
    labels: [...input.settings.labels],
    autoMerge: input.settings.autoMerge,
    changes,
    laterEdits,
    empty: Object.keys(changes).length === 0,
    metadata,
  };
}
