import type { RollbackMetadata } from "./rollback-metadata.js";
import { readRollbackMetadata } from "./rollback-metadata.js";

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
  /** Fingerprints of the target's alerts in this notification. */
  fingerprints: readonly string[];
  /** Whether the notification still has firing alerts for the target (resolved notifications never open). */
  firing: boolean;
  existing: readonly ExistingPullRequest[];
  /** The app's bot login (e.g. `fleetward[bot]`): only its pull requests count. */
  trustedAuthor?: string;
}

/**
 * Idempotency for rollback pull requests, from the metadata of existing ones:
 * - an open pull request with the same key: `update` when the notification brings fingerprints it does not list
 *   yet, else `none` (repeat notification, redelivery, HA duplicate);
 * - a merged or closed one with the same key and no open one: `none` (the team already rolled back, or declined;
 *   the same alert group never reverts a second change);
 * - nothing with the key: `open` while firing, `none` when resolved.
 */
export function decideRollbackAction(input: DecideRollbackInput): RollbackAction {
  const mine = input.existing
    .filter((pr) => input.trustedAuthor === undefined || pr.author?.toLowerCase() === input.trustedAuthor.toLowerCase())
    .map((pr) => ({ pr, meta: readRollbackMetadata(pr.body) }))
    .filter((x): x is { pr: ExistingPullRequest; meta: RollbackMetadata } => x.meta !== null && x.meta.key === input.key);
  const open = mine.find((x) => x.pr.state === "open");
  if (open) {
    const known = new Set(open.meta.fingerprints);
    const newFingerprints = [...new Set(input.fingerprints)].filter((f) => !known.has(f)).sort();
    if (newFingerprints.length > 0 && input.firing) {
      return { action: "update", number: open.pr.number, metadata: { ...open.meta, fingerprints: [...known, ...newFingerprints].sort() }, newFingerprints };
    }
    return { action: "none", number: open.pr.number, reason: `pull request #${open.pr.number} already rolls back this alert group` };
  }
  const done = mine.find((x) => x.pr.merged) ?? mine[0];
  if (done) {
    return {
      action: "none",
      number: done.pr.number,
      reason: done.pr.merged
        ? `pull request #${done.pr.number} already rolled back this alert group`
        : `pull request #${done.pr.number} for this alert group was closed without merging`,
    };
  }
  if (!input.firing) return { action: "none", number: null, reason: "the alerts resolved before a rollback was opened" };
  return { action: "open" };
}
