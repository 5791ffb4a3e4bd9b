/**
 * The reading functions the rollback needs (first-parent history, commit files, merged pull request of a
 * commit, pull requests of a branch, comments, the app's bot login, default branches of installed
 * repositories) against the simulator, which checks every request against GitHub's OpenAPI description.
 */
import { listComments } from "../../src/app/github/comments.js";
import { getIssue } from "../../src/app/github/issues.js";
import { listCommitFiles, listFirstParentChanges } from "../../src/app/github/list-first-parent-changes.js";
import { listPullRequestsForBranch, mergedPullRequestOf } from "../../src/app/github/pull-requests.js";
import { appBotLogin, listInstalledRepos } from "../../src/app/github/repo-client.js";
import { createTestProbot } from "../helpers/create-test-probot.js";
import { installAppClient } from "../helpers/install-app-client.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";

const ctx = useGitHubSimulator({ clockStart: "2026-08-20T09:00:00Z" });
const where = { owner: "acme", repo: "gitops" };

function setup() {
  const { sim } = ctx;
  const { gh, app } = installAppClient(sim, { ...where, files: { "envs/prod/a.yaml": "a: 1\n", "README.md": "r\n" }, slug: "fleetward" });
  return { sim, gh, app };
}

test("listFirstParentChanges follows first parents (a merged pull request is one change, its branch commits are not); listCommitFiles lists a commit's files", async () => {
  const { sim, gh } = setup();
  const root = sim.resolveCommitish(sim.repo("acme", "gitops"), "main")!;
  sim.clock.advance(60_000);
  sim.commitFiles({ ...where, branch: "feature", files: { "envs/prod/a.yaml": "a: 2\n" }, user: "alice", message: "first\n\nbody" });
  sim.clock.advance(60_000);
  sim.commitFiles({ ...where, branch: "feature", files: { "envs/prod/b.yaml": "b: 1\n" }, user: "alice", message: "second" });
  const pr = sim.openPullRequest({ ...where, head: "feature", title: "Feature", user: "alice" });
  sim.clock.advance(60_000);
  const merge = sim.merge("acme", "gitops", pr.number, "alice", "merge");
  sim.clock.advance(60_000);
  const push = sim.commitFiles({ ...where, branch: "main", files: { "README.md": "r2\n" }, user: "bob", message: "docs" });
  const { changes, complete } = await listFirstParentChanges(gh, { ...where, head: push.sha, since: "2026-08-20T08:00:00Z", maxCommits: 100 });
  expect(complete).toBe(true);
  expect(changes.map((c) => [c.sha, c.parentSha, c.message])).toEqual([
    [push.sha, merge.sha, "docs"],
    [merge.sha, root, expect.stringContaining("Merge pull request")],
    [root, null, expect.any(String)],
  ]);
  expect(changes[1]!.date).toBe("2026-08-20T09:03:00Z");
  const recent = await listFirstParentChanges(gh, { ...where, head: push.sha, since: "2026-08-20T09:02:30Z", maxCommits: 100 });
  expect(recent.changes.map((c) => c.sha)).toEqual([push.sha, merge.sha]);
  const capped = await listFirstParentChanges(gh, { ...where, head: push.sha, since: "2026-08-20T08:00:00Z", maxCommits: 1 });
  expect(capped.complete).toBe(false);
  expect((await listCommitFiles(gh, { ...where, sha: merge.sha })).sort()).toEqual(["envs/prod/a.yaml", "envs/prod/b.yaml"]);
  expect(await mergedPullRequestOf(gh, { ...where, sha: merge.sha })).toMatchObject({ number: pr.number, merged: true, headRef: "feature" });
  expect(await mergedPullRequestOf(gh, { ...where, sha: push.sha })).toBeNull();
});

test("listPullRequestsForBranch lists open and closed pull requests of one head branch only; listComments lists comments; getIssue reads one issue", async () => {
  const { sim, gh } = setup();
  sim.commitFiles({ ...where, branch: "fleetward/rollback/prod/abc", files: { "envs/prod/a.yaml": "a: 0\n" }, user: "alice" });
  sim.commitFiles({ ...where, branch: "other", files: { "envs/prod/a.yaml": "a: 9\n" }, user: "alice" });
  const first = sim.openPullRequest({ ...where, head: "fleetward/rollback/prod/abc", title: "one", user: "alice" });
  sim.openPullRequest({ ...where, head: "other", title: "other", user: "alice" });
  sim.merge("acme", "gitops", first.number, "alice");
  sim.commitFiles({ ...where, branch: "fleetward/rollback/prod/abc", files: { "envs/prod/a.yaml": "a: 5\n" }, user: "alice" });
  const second = sim.openPullRequest({ ...where, head: "fleetward/rollback/prod/abc", title: "two", user: "alice" });
  const pulls = await listPullRequestsForBranch(gh, { ...where, branch: "fleetward/rollback/prod/abc" });
  expect(pulls.map((p) => [p.number, p.state, p.merged])).toEqual([
    [second.number, "open", false],
    [first.number, "closed", true],
  ]);
  sim.comment({ ...where, number: second.number, body: "hello", user: "bob" });
  expect(await listComments(gh, { ...where, number: second.number })).toEqual([expect.objectContaining({ author: "bob", body: "hello" })]);
  expect(await listComments(gh, { ...where, number: first.number })).toEqual([]);
  const issue = sim.openIssue({ ...where, title: "Incident", body: "b", user: "alice", labels: ["fleetward:incident"] });
  expect(await getIssue(gh, { ...where, number: issue.number })).toMatchObject({ number: issue.number, title: "Incident", body: "b", state: "open", author: "alice", labels: ["fleetward:incident"] });
  expect(await getIssue(gh, { ...where, number: 999 })).toBeNull();
});

test("appBotLogin is <slug>[bot]; listInstalledRepos names each repository's default branch", async () => {
  const { sim } = ctx;
  sim.createRepo({ owner: "acme", name: "gitops", files: { "a.txt": "1\n" }, defaultBranch: "trunk" });
  const { probot, app } = await createTestProbot({ sim, app: sim.createApp({ slug: "fleetward" }), connect: false });
  sim.install({ appId: app.id, account: "acme" });
  expect(await appBotLogin(probot)).toBe("fleetward[bot]");
  expect(await listInstalledRepos(probot)).toEqual([expect.objectContaining({ owner: "acme", repo: "gitops", defaultBranch: "trunk" })]);
});
