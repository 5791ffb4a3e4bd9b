import { type GitHubClient, type RepoRef, isHttpStatus } from "./github-client.js";
import { labelNames } from "./label-names.js";
import { NO_RETRY, createOnce } from "./create-once.js";

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

/**
 * Opens an issue, at most once: one `issues.create` call (octokit's retries off). After an uncertain failure (5xx,
 * network) it looks for the issue that may have landed (`findCreatedIssue`) and adopts it, else creates again
 * (`createOnce`: at most 3 creates, a lookup before each retry).
 */
export async function createIssue(gh: GitHubClient, where: RepoRef & { title: string; body: string; labels?: string[] }): Promise<IssueFacts> {
  return createOnce({
    create: async () => {
      const res = await gh.rest.issues.create({
        owner: where.owner,
        repo: where.repo,
        title: where.title,
        body: where.body,
        ...(where.labels ? { labels: where.labels } : {}),
        ...NO_RETRY,
      });
      return facts(res.data);
    },
    findExisting: () => findCreatedIssue(gh, where),
  });
}

/**
 * The oldest of the 100 newest open issues with exactly this title and body and at least these labels, or null: the
 * issue a create that failed uncertainly may have opened. No time bound (the app's clock may differ from GitHub's):
 * an identical open issue is taken as this one, so at worst a repeated identical issue is not opened twice.
 * One `issues.listForRepo` call.
 */
export async function findCreatedIssue(
  gh: GitHubClient,
  where: RepoRef & { title: string; body: string; labels?: string[] },
): Promise<IssueFacts | null> {
  const res = await gh.rest.issues.listForRepo({
    owner: where.owner,
    repo: where.repo,
    state: "open",
    sort: "created",
    direction: "desc",
    per_page: 100,
    ...(where.labels && where.labels.length > 0 ? { labels: where.labels.join(",") } : {}),
  });
  const found = res.data.filter((i) => i.pull_request === undefined).map(facts).filter((i) => sameIssue(i, where));
  return found.at(-1) ?? null;
}

/** Whether an issue is the one these fields create (labels added since do not matter). */
export function sameIssue(issue: IssueFacts, wanted: { title: string; body: string; labels?: string[] }): boolean {
  return issue.title === wanted.title && issue.body === wanted.body && (wanted.labels ?? []).every((l) => issue.labels.includes(l));
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
