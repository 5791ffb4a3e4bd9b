import type { Fleet } from "../fleet/build-fleet.js";
import { normalizeRepoPath } from "../fleet/classify-path.js";
import type { RollbackTarget } from "./rollback-target.js";
import { targetName } from "./rollback-target.js";
import { targetContainsPath } from "./target-contains-path.js";

/** Branches of Fleetward's own rollback pull requests; such changes are never chosen as the cause. */
export const ROLLBACK_BRANCH_PREFIX = "fleetward/rollback/";

/** One change that reached the default branch: a merged pull request or a pushed commit. */
export interface HistoryChange {
  /** The commit that brought the change to the default branch (merge or squash commit, or the pushed commit). */
  sha: string;
  /** Its first parent: the default branch just before the change. */
  parentSha: string;
  /** ISO 8601 time the change reached the default branch (merge time, or commit time for a push). */
  mergedAt: string;
  /** Files the change modified, added or removed. */
  files: string[];
  /** Per-commit changed files of a pull request; their union is added to `files`. */
  commits?: { sha: string; files: string[] }[];
  pullRequest?: { number: number; title: string; url?: string; headRef?: string; author?: string };
  /** First line of the commit message, for explanations when there is no pull request. */
  message?: string;
}

export interface FindChangeInput {
  fleet: Fleet;
  target: Pick<RollbackTarget, "environment" | "cluster" | "clusters" | "component">;
  /** When the alert started (ISO 8601): the earliest `startsAt` of the target's firing alerts. */
  startsAt: string;
  /** Look-back in milliseconds (`resolveRollbackSettings(...).lookbackMs`). */
  lookbackMs: number;
  /** Changes in any order. */
  history: readonly HistoryChange[];
}

export type ChangeChoice =
  | { found: true; change: HistoryChange; files: string[]; explanation: string }
  | {
      found: false;
      reason: "invalid_start" | "no_change" | "after_alert" | "outside_lookback";
      explanation: string;
    };

function describeChange(c: HistoryChange): string {
  if (c.pullRequest) return `#${c.pullRequest.number} (${c.pullRequest.title}, ${c.sha.slice(0, 7)})`;
  return `commit ${c.sha.slice(0, 7)}${c.message ? ` (${c.message})` : ""}`;
}

/** Files of a change, including its commits' files, normalised and without duplicates. */
export function changeFiles(change: HistoryChange): string[] {
  const all = [...change.files, ...(change.commits ?? []).flatMap((c) => c.files)].map(normalizeRepoPath);
  return [...new Set(all)];
}

/**
 * The last change that reached the target before its alert started, within the look-back: among changes
 * touching the target's files (`targetContainsPath`), merged at or before `startsAt` and no earlier than
 * `startsAt - lookbackMs`, the latest (equal times: the one listed first, as GitHub lists newest first).
 * Fleetward's own rollback pull requests are skipped. Explains the choice, or why there is none.
 */
export function findChangeToRevert(input: FindChangeInput): ChangeChoice {
  const name = targetName(input.target) + (input.target.component ? `/${input.target.component}` : "");
  const start = Date.parse(input.startsAt);
  if (Number.isNaN(start)) {
    return { found: false, reason: "invalid_start", explanation: `the alert's start time ${JSON.stringify(input.startsAt)} is not a date` };
  }
  const earliest = start - input.lookbackMs;
  const touching = input.history
    .map((change, order) => ({
      change,
      order,
      time: Date.parse(change.mergedAt),
      files: changeFiles(change).filter((p) => targetContainsPath(input.fleet, input.target, p)),
    }))
    .filter((c) => !Number.isNaN(c.time) && c.files.length > 0)
    .filter((c) => !(c.change.pullRequest?.headRef ?? "").startsWith(ROLLBACK_BRANCH_PREFIX))
    .sort((a, b) => b.time - a.time || a.order - b.order);
  const before = touching.filter((c) => c.time <= start);
  const chosen = before.find((c) => c.time >= earliest);
  const startText = new Date(start).toISOString();
  if (chosen) {
    const later = touching.length - before.length;
    return {
      found: true,
      change: chosen.change,
      files: chosen.files.sort(),
      explanation:
        `${describeChange(chosen.change)} is the last change to ${name} before the alert started at ${startText}: ` +
        `merged ${new Date(chosen.time).toISOString()}, ${chosen.files.length} file(s) of the target` +
        (later > 0 ? `; ${later} later change(s) are after the alert started and are not the cause` : ""),
    };
  }
  if (touching.length === 0) {
    return { found: false, reason: "no_change", explanation: `no change in the history touches ${name}` };
  }
  if (before.length === 0) {
    return {
      found: false,
      reason: "after_alert",
      explanation: `every change to ${name} (${touching.length}) reached it after the alert started at ${startText}`,
    };
  }
  const newest = before[0];
  return {
    found: false,
    reason: "outside_lookback",
    explanation: `the last change to ${name} before the alert, ${newest ? describeChange(newest.change) : "?"} at ${newest ? new Date(newest.time).toISOString() : "?"}, is older than the look-back (${Math.round(input.lookbackMs / 60_000)} minutes before ${startText})`,
  };
}
