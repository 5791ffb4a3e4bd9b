import { type GitHubClient, type RepoRef, isHttpStatus } from "./github-client.js";
import { labelNames } from "./label-names.js";

/** An issue (never a pull request) as the planners see it. */
export interface IssueFacts {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  author: string;
  labels: string[];
  htmlUrl: string;
  createdAt: string;
  updatedAt: string;
}

interface ApiIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  user: { login: string } | null;
  labels: Array<{ name?: string } | string>;
  html_url: string;
  created_at: string;
  updated_at: string;
  pull_request?: unknown;
}

function facts(i: ApiIssue): IssueFacts {
  return {
    number: i.number,
    title: i.title,
    body: i.body ?? "",
    state: i.state === "open" ? "open" : "closed",
    author: i.user?.login ?? "",
    labels: labelNames(i.labels),
    htmlUrl: i.html_url,
    createdAt: i.created_at,
    updatedAt: i.updated_at,
  };
}

/**
 * Issues and pull requests carrying `label` (the issues API lists both; `pullRequest` tells them apart), newest
 * first unless `oldestFirst`. Calls: ceil(matches / 100) `issues.listForRepo`.
 */
export async function listLabelled(
  gh: GitHubClient,
  where: RepoRef & { label: string; state: "open" | "closed" | "all"; oldestFirst?: boolean },
): Promise<Array<{ pullRequest: boolean; facts: IssueFacts }>> {
  const items = await gh.paginate(gh.rest.issues.listForRepo, {
    owner: where.owner,
    repo: where.repo,
    labels: where.label,
    state: where.state,
    ...(where.oldestFirst ? { sort: "created", direction: "asc" } : {}),
    per_page: 100,
  });
  return items.map((i) => ({ pullRequest: i.pull_request !== undefined, facts: facts(i) }));
}

/** Issues carrying `label` (pull requests left out). Calls: ceil(matches / 100) `issues.listForRepo`. */
export async function listIssuesWithLabel(
  gh: GitHubClient,
  where: RepoRef & { label: string; state: "open" | "closed" | "all" },
): Promise<IssueFacts[]> {
  return (await listLabelled(gh, where)).filter((i) => !i.pullRequest).map((i) => i.facts);
}

/** One issue or pull request by number as `IssueFacts`, or null when it does not exist. One `issues.get` call. */
export async function getIssue(gh: GitHubClient, where: RepoRef & { number: number }): Promise<IssueFacts | null> {
  try {
    const res = await gh.rest.issues.get({ owner: where.owner, repo: where.repo, issue_number: where.number });
    return facts(res.data);
  } catch (error) {
    if (isHttpStatus(error, 404)) return null;
    throw error;
  }
}

/** Opens an issue. One `issues.create` call. */
export async function createIssue(gh: GitHubClient, where: RepoRef & { title: string; body: string; labels?: string[] }): Promise<IssueFacts> {
  const res = await gh.rest.issues.create({
    owner: where.owner,
    repo: where.repo,
    title: where.title,
    body: where.body,
    ...(where.labels ? { labels: where.labels } : {}),
  });
  return facts(res.data);
}

/** Changes an issue's (or pull request's) title, body or state. One `issues.update` call. */
export async function updateIssue(
  gh: GitHubClient,
  where: RepoRef & { number: number; title?: string; body?: string; state?: "open" | "closed" },
): Promise<IssueFacts> {
  const res = await gh.rest.issues.update({
    owner: where.owner,
    repo: where.repo,
    issue_number: where.number,
    ...(where.title !== undefined ? { title: where.title } : {}),
    ...(where.body !== undefined ? { body: where.body } : {}),
    ...(where.state !== undefined ? { state: where.state } : {}),
  });
  return facts(res.data);
}

/** Adds labels to an issue or pull request (GitHub creates missing labels). One `issues.addLabels` call. */
export async function addLabels(gh: GitHubClient, where: RepoRef & { number: number; labels: string[] }): Promise<void> {
  if (where.labels.length === 0) return;
  await gh.rest.issues.addLabels({ owner: where.owner, repo: where.repo, issue_number: where.number, labels: where.labels });
}
