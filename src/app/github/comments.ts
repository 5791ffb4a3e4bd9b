import type { GitHubClient, RepoRef } from "./github-client.js";
import { NO_RETRY, createOnce } from "./create-once.js";

/**
 * Posts a comment on an issue or pull request, at most once; returns its id and URL. One `issues.createComment` call
 * (octokit's retries off); after an uncertain failure (5xx, network) the newest comment with exactly this body is
 * adopted if there is one, else the comment is posted again (`createOnce`). An identical earlier comment is taken as
 * this one: at worst a repeated identical message is not posted twice.
 */
export async function createComment(gh: GitHubClient, where: RepoRef & { number: number; body: string }): Promise<{ id: number; htmlUrl: string }> {
  return createOnce({
    create: async () => {
      const res = await gh.rest.issues.createComment({ owner: where.owner, repo: where.repo, issue_number: where.number, body: where.body, ...NO_RETRY });
      return { id: res.data.id, htmlUrl: res.data.html_url };
    },
    findExisting: async () => {
      const comments = await gh.paginate(gh.rest.issues.listComments, { owner: where.owner, repo: where.repo, issue_number: where.number, per_page: 100 });
      const same = comments.filter((c) => c.body === where.body).at(-1);
      return same ? { id: same.id, htmlUrl: same.html_url } : null;
    },
  });
}

/** Replaces a comment's body. One `issues.updateComment` call. */
export async function updateComment(gh: GitHubClient, where: RepoRef & { commentId: number; body: string }): Promise<void> {
  await gh.rest.issues.updateComment({ owner: where.owner, repo: where.repo, comment_id: where.commentId, body: where.body });
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** Reacts to an issue comment (👀 = "eyes" when a command is taken). One `reactions.createForIssueComment` call. */
export async function reactToComment(gh: GitHubClient, where: RepoRef & { commentId: number; content: ReactionContent }): Promise<void> {
  await gh.rest.reactions.createForIssueComment({ owner: where.owner, repo: where.repo, comment_id: where.commentId, content: where.content });
}

/** The comments of an issue or pull request, oldest first, as (id, author, body). Calls: ceil(comments / 100) `issues.listComments`. */
export async function listComments(gh: GitHubClient, where: RepoRef & { number: number }): Promise<Array<{ id: number; author: string; body: string }>> {
  const comments = await gh.paginate(gh.rest.issues.listComments, { owner: where.owner, repo: where.repo, issue_number: where.number, per_page: 100 });
  return comments.map((c) => ({ id: c.id, author: c.user?.login ?? "", body: c.body ?? "" }));
}
