import { type GitHubClient, type RepoRef, isHttpStatus } from "./github-client.js";
import { labelNames } from "./label-names.js";
import { NO_RETRY, createOnce } from "./create-once.js";

/** A pull request as the planners see it: plain data, no octokit types. */
export interface PullRequestFacts {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  merged: boolean;
  draft: boolean;
  headRef: string;
  headSha: string;
  baseRef: string;
  author: string;
  labels: string[];
  htmlUrl: string;
  createdAt: string;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

interface ApiPull {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  merged_at?: string | null;
  draft?: boolean;
  head: { ref: string; sha: string };
  base: { ref: string };
  user: { login: string } | null;
  labels: Array<{ name?: string } | string>;
  html_url: string;
  created_at: string;
  merge_commit_sha?: string | null;
}

function facts(p: ApiPull): PullRequestFacts {
  return {
    number: p.number,
    title: p.title,
    body: p.body ?? "",
    state: p.state === "open" ? "open" : "closed",
    merged: Boolean(p.merged_at),
    draft: p.draft ?? false,
    headRef: p.head.ref,
    headSha: p.head.sha,
    baseRef: p.base.ref,
    author: p.user?.login ?? "",
    labels: labelNames(p.labels),
    htmlUrl: p.html_url,
    createdAt: p.created_at,
    mergedAt: p.merged_at ?? null,
    mergeCommitSha: p.merge_commit_sha ?? null,
  };
}

/** One pull request, or null when it does not exist. One `pulls.get` call. */
export async function getPullRequest(gh: GitHubClient, where: RepoRef & { number: number }): Promise<PullRequestFacts | null> {
  try {
    const res = await gh.rest.pulls.get({ owner: where.owner, repo: where.repo, pull_number: where.number });
    return facts(res.data);
  } catch (error) {
    if (isHttpStatus(error, 404)) return null;
    throw error;
  }
}

/**
 * The open pull requests whose head branch starts with `headPrefix` (all when omitted), oldest first.
 * Calls: ceil(open pull requests / 100) `pulls.list`.
 */
export async function listOpenPullRequests(gh: GitHubClient, where: RepoRef & { headPrefix?: string }): Promise<PullRequestFacts[]> {
  const pulls = await gh.paginate(gh.rest.pulls.list, { owner: where.owner, repo: where.repo, state: "open", per_page: 100, sort: "created", direction: "asc" });
  return pulls.map(facts).filter((p) => where.headPrefix === undefined || p.headRef.startsWith(where.headPrefix));
}

/**
 * The most recently updated closed pull requests (merged or not), newest first, whose head branch starts with one of
 * `headPrefixes`: one page of at most 100. One `pulls.list` call.
 */
export async function listRecentClosedPullRequests(gh: GitHubClient, where: RepoRef & { headPrefixes: readonly string[] }): Promise<PullRequestFacts[]> {
  const res = await gh.rest.pulls.list({ owner: where.owner, repo: where.repo, state: "closed", sort: "updated", direction: "desc", per_page: 100 });
  return res.data.map(facts).filter((p) => where.headPrefixes.some((prefix) => p.headRef.startsWith(prefix)));
}

/**
 * Every pull request (open and closed) whose head is `branch` of this repository, newest first: the
 * history of one of Fleetward's deterministic branches. Calls: ceil(matches / 100) `pulls.list`.
 */
export async function listPullRequestsForBranch(gh: GitHubClient, where: RepoRef & { branch: string; state?: "open" | "all" }): Promise<PullRequestFacts[]> {
  const pulls = await gh.paginate(gh.rest.pulls.list, {
    owner: where.owner,
    repo: where.repo,
    head: `${where.owner}:${where.branch}`,
    state: where.state ?? "all",
    per_page: 100,
    sort: "created",
    direction: "desc",
  });
  return pulls.map(facts);
}

/** The merged pull request whose merge commit is `sha`, or null (a direct push). One `repos.listPullRequestsAssociatedWithCommit` call. */
export async function mergedPullRequestOf(gh: GitHubClient, where: RepoRef & { sha: string }): Promise<PullRequestFacts | null> {
  const res = await gh.rest.repos.listPullRequestsAssociatedWithCommit({ owner: where.owner, repo: where.repo, commit_sha: where.sha, per_page: 100 });
  const pull = res.data.map(facts).find((p) => p.merged && p.mergeCommitSha === where.sha);
  return pull ?? null;
}

/**
 * Opens a pull request from `head` into `base`, at most once: one `pulls.create` call (octokit's retries off). After an
 * uncertain failure (5xx, network), or GitHub's 422 "A pull request already exists" on a retry, the open pull request
 * from `head` into `base` is adopted if there is one, else the create is sent again (`createOnce`). A 422 on the first
 * attempt (someone else's pull request) is thrown: the callers decide what to do with it.
 */
export async function createPullRequest(
  gh: GitHubClient,
  where: RepoRef & { head: string; base: string; title: string; body: string; draft?: boolean },
): Promise<PullRequestFacts> {
  return createOnce({
    create: async () => {
      const res = await gh.rest.pulls.create({
        owner: where.owner,
        repo: where.repo,
        head: where.head,
        base: where.base,
        title: where.title,
        body: where.body,
        ...(where.draft ? { draft: true } : {}),
        ...NO_RETRY,
      });
      return facts(res.data);
    },
    findExisting: async () => {
      const open = (await listPullRequestsForBranch(gh, { ...where, branch: where.head, state: "open" })).filter((p) => p.baseRef === where.base);
      return open[0] ?? null;
    },
    isConflict: isPullRequestExists,
  });
}

/** GitHub's answer to a second open pull request for the same head and base: 422 "A pull request already exists…". */
export function isPullRequestExists(error: unknown): boolean {
  if (!isHttpStatus(error, 422)) return false;
  return /already exists/i.test(error instanceof Error ? error.message : "");
}

/** Changes a pull request's title, body or state. One `pulls.update` call. */
export async function updatePullRequest(
  gh: GitHubClient,
  where: RepoRef & { number: number; title?: string; body?: string; state?: "open" | "closed" },
): Promise<PullRequestFacts> {
  const res = await gh.rest.pulls.update({
    owner: where.owner,
    repo: where.repo,
    pull_number: where.number,
    ...(where.title !== undefined ? { title: where.title } : {}),
    ...(where.body !== undefined ? { body: where.body } : {}),
    ...(where.state !== undefined ? { state: where.state } : {}),
  });
  return facts(res.data);
}

export type MergeOutcome = { merged: true; sha: string } | { merged: false; reason: string };

/**
 * Merges a pull request if its head is still `sha` (GitHub answers 409 otherwise, 405 when it cannot be
 * merged). One `pulls.merge` call; refusals come back as `merged: false`, other errors are thrown.
 */
export async function mergePullRequest(
  gh: GitHubClient,
  where: RepoRef & { number: number; sha: string; method: "merge" | "squash" | "rebase"; title?: string },
): Promise<MergeOutcome> {
  try {
    const res = await gh.rest.pulls.merge({
      owner: where.owner,
      repo: where.repo,
      pull_number: where.number,
      sha: where.sha,
      merge_method: where.method,
      ...(where.title !== undefined ? { commit_title: where.title } : {}),
    });
    return { merged: true, sha: res.data.sha };
  } catch (error) {
    if (isHttpStatus(error, 405) || isHttpStatus(error, 409)) {
      return { merged: false, reason: error instanceof Error ? error.message : String(error) };
    }
    throw error;
  }
}

/** The reviews of a pull request, oldest first, as (reviewer, state, commit). */
export async function listReviews(
  gh: GitHubClient,
  where: RepoRef & { number: number },
): Promise<Array<{ user: string; state: string; commitId: string | null; submittedAt: string | null }>> {
  const reviews = await gh.paginate(gh.rest.pulls.listReviews, { owner: where.owner, repo: where.repo, pull_number: where.number, per_page: 100 });
  return reviews.map((r) => ({ user: r.user?.login ?? "", state: r.state, commitId: r.commit_id ?? null, submittedAt: r.submitted_at ?? null }));
}
