/**
 * Idempotency and supersede: given the open promotion pull requests and a new plan, which to open, which to
 * update (with a "superseded" note) and which are already up to date (a redelivered webhook).
 */
import { parsePromotionMetadata } from "./parse-promotion-metadata.js";
import type { PlannedPromotion } from "./plan-promotions.js";

export interface OpenPromotionPullRequest {
  number: number;
  /** The head branch. */
  branch: string;
  body: string | null;
}

export type PromotionUpdateDecision =
  | { action: "open"; promotion: PlannedPromotion }
  /** Push the new commit to the branch, replace the body (with the note) and say so in a comment. */
  | { action: "update"; promotion: PlannedPromotion; number: number; body: string; note: string }
  /** Same content already open (a redelivery, or a later change that promotes nothing new): nothing to do. */
  | { action: "unchanged"; promotion: PlannedPromotion; number: number }
  /** The open pull request already carries a newer change (an old webhook arrived late): leave it. */
  | { action: "stale"; promotion: PlannedPromotion; number: number };

export interface DecideOptions {
  /**
   * Whether commit `candidate` (of the new plan) is newer than `open` (promoted by the open pull request), e.g.
   * from the compare API (`open` is an ancestor of `candidate`). Default: the new plan is newer.
   */
  isNewer?: (candidate: string, open: string) => boolean;
}

/** The note that an open pull request now carries a newer change. */
export function supersededNote(previous: { pr: number | null; sha: string } | null, next: PlannedPromotion): string {
  const last = next.metadata.chain[next.metadata.chain.length - 1];
  const now = last ? (last.pr === null ? `\`${last.sha.slice(0, 7)}\`` : `#${last.pr} (\`${last.sha.slice(0, 7)}\`)`) : "a newer change";
  const before = previous === null ? "an earlier change" : previous.pr === null ? `\`${previous.sha.slice(0, 7)}\`` : `#${previous.pr} (\`${previous.sha.slice(0, 7)}\`)`;
  return `Superseded: this promotion of ${next.component} to ${next.target} now carries ${now} instead of ${before}.`;
}

/**
 * A pull request matches a planned promotion by its metadata (component and target), else by its branch.
 * Same fingerprint (the same file changes, from whichever commit): unchanged; an older commit than the open one:
 * stale. Otherwise: update.
 */
export function decidePromotionUpdates(
  open: readonly OpenPromotionPullRequest[],
  promotions: readonly PlannedPromotion[],
  options: DecideOptions = {},
): PromotionUpdateDecision[] {
  return promotions.map((p): PromotionUpdateDecision => {
    const candidates = open
      .map((pr) => ({ pr, meta: parsePromotionMetadata(pr.body) }))
      .filter(({ pr, meta }) => (meta !== null ? meta.component === p.component && meta.target === p.target : pr.branch === p.branch))
      .sort((a, b) => a.pr.number - b.pr.number);
    const match = candidates[0];
    if (!match) return { action: "open", promotion: p };
    const prevHop = match.meta?.chain[match.meta.chain.length - 1] ?? null;
    const nextHop = p.metadata.chain[p.metadata.chain.length - 1];
    // Same content: nothing to push and nothing to re-title, whichever commit the plan came from (a later merge
    // that changed nothing promotable, a redelivery); the pull request keeps crediting the change it carries.
    if (match.meta && match.meta.fingerprint === p.metadata.fingerprint) {
      return { action: "unchanged", promotion: p, number: match.pr.number };
    }
    if (prevHop && nextHop && prevHop.sha !== nextHop.sha && options.isNewer && !options.isNewer(nextHop.sha, prevHop.sha)) {
      return { action: "stale", promotion: p, number: match.pr.number };
    }
    const note = supersededNote(prevHop === null ? null : { pr: prevHop.pr, sha: prevHop.sha }, p);
    return { action: "update", promotion: p, number: match.pr.number, body: `> ${note}\n\n${p.body}`, note };
  });
}
