import type { NormalizedAlert } from "./alerts/alert-group.js";
import type { ExistingPullRequest } from "./decide-rollback-action.js";
import { markdownText } from "./markdown-text.js";
import { alertEpisode, readRollbackMetadata } from "./rollback-metadata.js";

export type ResolvedNotice = { action: "comment"; number: number; body: string } | { action: "none"; reason: string };

const MARKER = "<!-- fleetward:rollback-resolved ";

/**
 * When the alerts an open rollback pull request answers resolve, one comment tells the team (who may still
 * merge or close it). `comments` are the bodies of the pull request's existing comments: a comment already
 * carrying the marker for these episodes means it was said (repeats, redeliveries, HA duplicates).
 */
export function planResolvedNotice(input: {
  pullRequest: ExistingPullRequest;
  alerts: readonly NormalizedAlert[];
  comments: readonly string[];
}): ResolvedNotice {
  const { pullRequest } = input;
  const meta = readRollbackMetadata(pullRequest.body);
  if (meta === null) return { action: "none", reason: `#${pullRequest.number} is not a Fleetward rollback` };
  if (pullRequest.state !== "open") return { action: "none", reason: `#${pullRequest.number} is no longer open` };
  const resolved = input.alerts.filter((a) => a.status === "resolved" && meta.episodes.includes(alertEpisode(a)));
  if (resolved.length === 0) return { action: "none", reason: "none of its alerts resolved in this notification" };
  const episodes = [...new Set(resolved.map(alertEpisode))].sort();
  const marker = `${MARKER}${JSON.stringify(episodes).replace(/</g, "\\u003c").replace(/>/g, "\\u003e")} -->`;
  if (input.comments.some((c) => c.includes(marker))) return { action: "none", reason: "already told" };
  const open = meta.episodes.filter((e) => !episodes.includes(e));
  const names = [...new Set(resolved.map((a) => a.labels.alertname ?? a.fingerprint))].map((n) => markdownText(n));
  const body = [
    `Resolved: ${names.join(", ")}${resolved[0]?.endsAt ? ` at ${markdownText(resolved[0].endsAt)}` : ""}.`,
    open.length === 0
      ? "Every alert this rollback answers has resolved. The rollback is still open: merge it to keep the earlier state, or close it to keep the current one."
      : `${open.length} alert(s) of this rollback may still be firing.`,
    "",
    marker,
  ].join("\n");
  return { action: "comment", number: pullRequest.number, body };
}
