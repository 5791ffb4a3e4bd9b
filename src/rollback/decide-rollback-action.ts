import type { RollbackMetadata } from "./rollback-metadata.js";
import { alertEpisode, readRollbackMetadata } from "./rollback-metadata.js";

/** A pull request as the decision needs it (from the REST API's list of pull requests with Fleetward's label or branch prefix). */
export interface ExistingPullRequest {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  body: string | null;
  /** Login of the author; with `trustedAuthor`, other authors' pull requests are ignored (anyone can copy metadata). */
  author?: string | null;
}

export type RollbackAction =
  | { action: "open" }
  | { action: "update"; number: number; metadata: RollbackMetadata; newFingerprints: string[] }
  | { action: "none"; number: number | null; reason: string };

export interface DecideRollbackInput {
  key: string;
  /** The target's alerts in this notification (fingerprint and start of each). */
  alerts: readonly { fingerprint: string; startsAt: string }[];
  /** Whether the notification still has firing alerts for the target (resolved notifications never open). */
  firing: boolean;
  existing: readonly ExistingPullRequest[];
  /** The app's bot login (e.g. `fleetward[bot]`): only its pull requests count. */
  trustedAuthor?: string;
}

/**
 * Idempotency for rollback pull requests, from the metadata of existing ones with the same key:
 * - an open one: `update` when the notification brings alert episodes (fingerprint and start) it does not list
 *   yet, else `none` (repeat notification, redelivery, HA duplicate);
 * - a merged or closed one that answered one of these episodes: `none` (the team already rolled back, or
 *   declined; the same firing never reverts a second change);
 * - otherwise `open` while firing (a new firing of a group whose earlier rollback is closed is a new episode),
 *   `none` when resolved.
 */
export function decideRollbackAction(input: DecideRollbackInput): RollbackAction {
  const mine = input.existing
    .filter((pr) => input.trustedAuthor === undefined || pr.author?.toLowerCase() === input.trustedAuthor.toLowerCase())
    .map((pr) => ({ pr, meta: readRollbackMetadata(pr.body) }))
    .filter((x): x is { pr: ExistingPullRequest; meta: RollbackMetadata } => x.meta !== null && x.meta.key === input.key);
  const episodes = [...new Set(input.alerts.map(alertEpisode))];
  const open = mine.find((x) => x.pr.state === "open");
  if (open) {
    const knownEpisodes = new Set(open.meta.episodes);
    const fresh = episodes.filter((e) => !knownEpisodes.has(e));
    if (fresh.length > 0 && input.firing) {
      const knownFingerprints = new Set(open.meta.fingerprints);
      const newFingerprints = [...new Set(input.alerts.map((a) => a.fingerprint))].filter((f) => !knownFingerprints.has(f)).sort();
      const metadata: RollbackMetadata = {
        ...open.meta,
        fingerprints: [...knownFingerprints, ...newFingerprints].sort(),
        episodes: [...knownEpisodes, ...fresh].sort(),
      };
      return { action: "update", number: open.pr.number, metadata, newFingerprints };
    }
    return { action: "none", number: open.pr.number, reason: `pull request #${open.pr.number} already rolls back this alert group` };
  }
  const done = mine.filter((x) => x.meta.episodes.some((e) => episodes.includes(e)));
  const answered = done.find((x) => x.pr.merged) ?? done[0];
  if (answered) {
    return {
      action: "none",
      number: answered.pr.number,
      reason: answered.pr.merged
        ? `pull request #${answered.pr.number} already rolled back these alerts`
        : `pull request #${answered.pr.number} for these alerts was closed without merging`,
    };
  }
  if (!input.firing) return { action: "none", number: null, reason: "no rollback is open and nothing fires" };
  return { action: "open" };
}
