/**
 * The writing functions in src/app/github/ (Git Data API commits, branches, pull requests, issues,
 * comments, reactions, permissions, teams, check listings) against the simulator, which checks every
 * request against GitHub's OpenAPI description.
 */
import { addLabels, createIssue, listIssuesWithLabel, updateIssue } from "../../src/app/github/issues.js";
import { createComment, reactToComment, updateComment } from "../../src/app/github/comments.js";
import { listCheckRuns } from "../../src/app/github/list-check-runs.js";
import { getPermissionLevel, isTeamMember } from "../../src/app/github/permissions.js";
import { getBranchSha, pointBranch } from "../../src/app/github/point-branch.js";
import {
  createPullRequest,
  getPullRequest,
  listOpenPullRequests,
  listReviews,
  mergePullRequest,
  updatePullRequest,
} from "../../src/app/github/pull-requests.js";
import { listTree, readTreeFiles } from "../../src/app/github/read-tree-files.js";
import { writeCommit } from "../../src/app/github/write-commit.js";
import { publishCheckRun } from "../../src/app/github/publish-check-run.js";
import { listInstalledRepos, repoClient } from "../../src/app/github/repo-client.js";
import { createTestProbot } from "../helpers/create-test-probot.js";
import { installAppClient } from "../helpers/install-app-client.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";

const ctx = useGitHubSimulator();
const where = { owner: "acme", repo: "gitops" };

function setup(files: Record<string, string>) {
  const { sim } = ctx;
  return { sim, ...installAppClient(sim, { ...where, files }) };
}

test("readTreeFiles reads the wanted files of a commit, one blob read per distinct content", async () => {
  const { sim, gh, head } = setup({ "envs/dev/a.yaml": "same\n", "envs/dev/b.yaml": "same\n", "envs/prod/c.yaml": "c\n", "README.md": "r\n" });
  const blobsBefore = sim.callCount("git/get-blob");
  const files = await readTreeFiles(gh, { ...where, ref: head }, (p) => p.startsWith("envs/"));
  expect(Object.fromEntries(files)).toEqual({ "envs/dev/a.yaml": "same\n", "envs/dev/b.yaml": "same\n", "envs/prod/c.yaml": "c\n" });
  expect(sim.callCount("git/get-blob") - blobsBefore).toBe(2);
  const listing = await listTree(gh, { ...where, ref: head });
  expect([...listing.blobs.keys()].sort()).toEqual(["README.md", "envs/dev/a.yaml", "envs/dev/b.yaml", "envs/prod/c.yaml"]);
  expect(listing.truncated).toBe(false);
});

test("writeCommit makes one commit with changes and deletions on top of its parent, moving no ref", async () => {
  const { sim, gh, head } = setup({ "envs/dev/a.yaml": "a: 1\n", "envs/dev/gone.yaml": "x\n", "keep.txt": "k\n" });
  const sha = await writeCommit(gh, where, {
    parentSha: head,
    changes: { "envs/dev/a.yaml": "a: 2\n", "envs/dev/gone.yaml": null, "envs/staging/new.yaml": "n: 1\n" },
    message: "Promote a",
  });
  expect(sim.resolveCommitish(sim.repo("acme", "gitops"), "main")).toBe(head);
  expect(sim.filesAt("acme", "gitops", sha)).toEqual({ "envs/dev/a.yaml": "a: 2\n", "envs/staging/new.yaml": "n: 1\n", "keep.txt": "k\n" });
  const commit = await gh.rest.git.getCommit({ ...where, commit_sha: sha });
  expect(commit.data.parents.map((p) => p.sha)).toEqual([head]);
  expect(commit.data.message).toBe("Promote a");
});

test("pointBranch creates a branch, then force-moves it; getBranchSha reads it or answers null", async () => {
  const { gh, head } = setup({ "a.txt": "1\n" });
  expect(await getBranchSha(gh, { ...where, branch: "fleetward/promote/app/staging" })).toBeNull();
  expect(await pointBranch(gh, { ...where, branch: "fleetward/promote/app/staging", sha: head })).toEqual({ created: true });
  const other = await writeCommit(gh, where, { parentSha: head, changes: { "b.txt": "2\n" }, message: "b" });
  const unrelated = await writeCommit(gh, where, { parentSha: head, changes: { "c.txt": "3\n" }, message: "c" });
  expect(await pointBranch(gh, { ...where, branch: "fleetward/promote/app/staging", sha: other })).toEqual({ created: false });
  // not a fast-forward from `other`: still moved, the app owns this branch
  expect(await pointBranch(gh, { ...where, branch: "fleetward/promote/app/staging", sha: unrelated })).toEqual({ created: false });
  expect(await getBranchSha(gh, { ...where, branch: "fleetward/promote/app/staging" })).toBe(unrelated);
});

test("pull requests: create, list by head prefix, get, update, review list, merge with a stale and a current sha", async () => {
  const { sim, gh, head } = setup({ "a.txt": "1\n" });
  const sha = await writeCommit(gh, where, { parentSha: head, changes: { "a.txt": "2\n" }, message: "two" });
  await pointBranch(gh, { ...where, branch: "fleetward/promote/app/prod", sha });
  sim.commitFiles({ ...where, branch: "human", files: { "h.txt": "h\n" }, user: "alice" });
  sim.openPullRequest({ ...where, head: "human", title: "Human change", user: "alice" });
  const pr = await createPullRequest(gh, { ...where, head: "fleetward/promote/app/prod", base: "main", title: "Promote app to prod", body: "b" });
  expect(pr).toMatchObject({ state: "open", merged: false, headRef: "fleetward/promote/app/prod", headSha: sha, baseRef: "main", body: "b" });
  const ours = await listOpenPullRequests(gh, { ...where, headPrefix: "fleetward/" });
  expect(ours.map((p) => p.number)).toEqual([pr.number]);
  expect(await listOpenPullRequests(gh, where)).toHaveLength(2);
  const updated = await updatePullRequest(gh, { ...where, number: pr.number, body: "superseded" });
  expect(updated.body).toBe("superseded");
  sim.review({ ...where, number: pr.number, user: "bob", state: "APPROVED" });
  expect(await listReviews(gh, { ...where, number: pr.number })).toEqual([expect.objectContaining({ user: "bob", state: "APPROVED", commitId: sha })]);
  expect(await mergePullRequest(gh, { ...where, number: pr.number, sha: head, method: "squash" })).toMatchObject({ merged: false });
  const merged = await mergePullRequest(gh, { ...where, number: pr.number, sha, method: "squash" });
  expect(merged.merged).toBe(true);
  expect(await getPullRequest(gh, { ...where, number: pr.number })).toMatchObject({ merged: true, state: "closed" });
  expect(await getPullRequest(gh, { ...where, number: 999 })).toBeNull();
  expect(sim.filesAt("acme", "gitops", "main")["a.txt"]).toBe("2\n");
});

test("issues: create with labels, list by label (pull requests left out), update, close, add labels", async () => {
  const { sim, gh } = setup({ "a.txt": "1\n" });
  const issue = await createIssue(gh, { ...where, title: "Incident: prod", body: "firing", labels: ["fleetward:incident"] });
  sim.openIssue({ ...where, title: "unrelated", user: "alice" });
  expect((await listIssuesWithLabel(gh, { ...where, label: "fleetward:incident", state: "open" })).map((i) => i.number)).toEqual([issue.number]);
  await addLabels(gh, { ...where, number: issue.number, labels: ["env:prod"] });
  await addLabels(gh, { ...where, number: issue.number, labels: [] });
  expect(sim.labelsOf("acme", "gitops", issue.number).sort()).toEqual(["env:prod", "fleetward:incident"]);
  const closed = await updateIssue(gh, { ...where, number: issue.number, state: "closed", body: "resolved" });
  expect(closed).toMatchObject({ state: "closed", body: "resolved" });
  expect(await listIssuesWithLabel(gh, { ...where, label: "fleetward:incident", state: "open" })).toEqual([]);
  expect(await listIssuesWithLabel(gh, { ...where, label: "fleetward:incident", state: "all" })).toHaveLength(1);
});

test("comments and reactions", async () => {
  const { sim, gh } = setup({ "a.txt": "1\n" });
  const issue = sim.openIssue({ ...where, title: "t", user: "alice" });
  const asked = sim.comment({ ...where, number: issue.number, body: "/promote prod", user: "alice" });
  await reactToComment(gh, { ...where, commentId: asked.id, content: "eyes" });
  const reply = await createComment(gh, { ...where, number: issue.number, body: "on it" });
  await updateComment(gh, { ...where, commentId: reply.id, body: "done" });
  const comments = sim.comments("acme", "gitops", issue.number);
  expect(comments.map((c) => c.body)).toEqual(["/promote prod", "done"]);
  expect(comments[0]?.reactions.map((r) => r.content)).toEqual(["eyes"]);
});

test("permission levels (maintain and triage told apart, strangers none) and team membership", async () => {
  const { sim, gh } = setup({ "a.txt": "1\n" });
  sim.setPermission("acme", "gitops", "mia", "maintain");
  sim.setPermission("acme", "gitops", "tom", "triage");
  sim.setPermission("acme", "gitops", "wes", "write");
  expect(await getPermissionLevel(gh, { ...where, user: "mia" })).toBe("maintain");
  expect(await getPermissionLevel(gh, { ...where, user: "tom" })).toBe("triage");
  expect(await getPermissionLevel(gh, { ...where, user: "wes" })).toBe("write");
  expect(await getPermissionLevel(gh, { ...where, user: "nobody" })).toBe("none");
  sim.addTeamMember("acme", "prod-deployers", "wes");
  expect(await isTeamMember(gh, { org: "acme", teamSlug: "prod-deployers", user: "wes" })).toBe(true);
  expect(await isTeamMember(gh, { org: "acme", teamSlug: "prod-deployers", user: "mia" })).toBe(false);
});

test("listCheckRuns lists the latest runs of a commit with their conclusions", async () => {
  const { gh, head } = setup({ "a.txt": "1\n" });
  await publishCheckRun(gh, where, { name: "fleetward/policy", headSha: head, conclusion: "failure", title: "t", summary: "s", annotations: [] });
  const runs = await listCheckRuns(gh, { ...where, ref: head });
  expect(runs).toEqual([expect.objectContaining({ name: "fleetward/policy", status: "completed", conclusion: "failure" })]);
});

test("repoClient finds the installation of a repository; listInstalledRepos lists every installed repository", async () => {
  const { sim } = ctx;
  sim.createRepo({ owner: "acme", name: "gitops", files: { "a.txt": "1\n" } });
  sim.createRepo({ owner: "acme", name: "other", files: { "b.txt": "2\n" } });
  sim.createRepo({ owner: "globex", name: "infra", files: { "c.txt": "3\n" } });
  const { probot, app } = await createTestProbot({ sim, connect: false });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  sim.install({ appId: app.id, account: "globex" });
  const gh = await repoClient(probot, where);
  const res = await gh.rest.repos.getContent({ ...where, path: "a.txt", mediaType: { format: "raw" } });
  expect(String(res.data)).toBe("1\n");
  await expect(repoClient(probot, { owner: "acme", repo: "other" })).rejects.toMatchObject({ status: 404 });
  const repos = await listInstalledRepos(probot);
  expect(repos.map((r) => `${r.owner}/${r.repo}`).sort()).toEqual(["acme/gitops", "globex/infra"]);
});
