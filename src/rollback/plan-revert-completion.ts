/**
 * Retries complete what a killed run left undone. The steps after a rollback pull request is opened (its
 * labels, its auto-merge) and the comments that go with an update are re-checked against what GitHub shows,
 * so a retry finishes them instead of stopping at "already open". Pure.
 */
import type { RollbackSettings } from "./resolve-rollback-settings.js";

/** An open (or closed) rollback pull request as GitHub shows it now. */
export interface RevertPullState {
  state: "open" | "closed";
  merged: boolean;
  labels: readonly string[];
}

export interface RevertCompletion {
  /** Labels the plan gives it that it does not carry (compared without case, as GitHub does). */
  addLabels: string[];
  /** Auto-merge is on for the target and the pull request is still open. */
  merge: boolean;
}

/** What an existing rollback pull request still lacks of its plan. */
export function planRevertCompletion(pull: RevertPullState, settings: Pick<RollbackSettings, "labels" | "autoMerge">): RevertCompletion {
  if (pull.state !== "open") return { addLabels: [], merge: false };
  const carried = new Set(pull.labels.map((l) => l.toLowerCase()));
  return { addLabels: settings.labels.filter((l) => !carried.has(l.toLowerCase())), merge: settings.autoMerge && !pull.merged };
}

/**
 * Whether `body` was the app's last word on an issue or pull request (`comments`: the app's own, oldest first):
 * a comment posted just before a run was killed is not posted again by the retry, while the same words after
 * something else was said (an alert firing again after it resolved) are.
 */
export function alreadySaid(comments: readonly string[], body: string): boolean {
  return comments.length > 0 && comments[comments.length - 1] === body;
}
