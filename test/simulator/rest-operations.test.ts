import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import { useNockGuard } from "../helpers/nock-guard.js";
import { createSimFixture } from "./sim-fixture.js";

useNockGuard();
const h = useGitHubSimulator({ validateResponses: true });
const o = { owner: "acme", repo: "fleet" } as const;

test("app endpoints: GET /app, installations by repo/org, list; token scoped to named repositories", async () => {
  const { test: t, installation } = await createSimFixture(h.sim);
  h.sim.createRepo({ owner: "acme", name: "other" });
  const appOctokit = await t.probot.auth();
  const app = await appOctokit.rest.apps.getAuthenticated();
  expect(app.data?.slug).toBe("fleetward-test");
  expect((await appOctokit.rest.apps.getRepoInstallation(o)).data.id).toBe(installation.id);
  expect((await appOctokit.rest.apps.getOrgInstallation({ org: "acme" })).data.id).toBe(installation.id);
  expect((await appOctokit.rest.apps.listInstallations()).data.map((i) => i.id)).toEqual([installation.id]);
  await expect(appOctokit.rest.apps.getOrgInstallation({ org: "nobody" })).rejects.toMatchObject({ status: 404 });
  const scoped = await appOctokit.rest.apps.createInstallationAccessToken({ installation_id: installation.id, repositories: ["fleet"] });
  expect(scoped.data.repository_selection).toBe("selected");
  const auth = { authorization: `token ${scoped.data.token}` };
  expect((await h.sim.handle({ method: "GET", url: "/repos/acme/fleet", headers: auth })).status).toBe(200);
  expect((await h.sim.handle({ method: "GET", url: "/repos/acme/other", headers: auth })).status).toBe(404);
});

test("a repository outside the installation is invisible (404)", async () => {
  const { octokit } = await createSimFixture(h.sim);
  h.sim.createRepo({ owner: "elsewhere", name: "private" });
  await expect(octokit.rest.repos.get({ owner: "elsewhere", repo: "private" })).rejects.toMatchObject({ status: 404 });
});

test("listCommits filters by sha, path, since and until (sim clock timestamps)", async () => {
  const { octokit } = await createSimFixture(h.sim);
  h.sim.clock.advance(3600_000);
  const a = h.sim.commitFiles({ ...o, branch: "main", files: { "a.yaml": "a\n" }, user: "alice" });
  h.sim.clock.advance(3600_000);
  const b = h.sim.commitFiles({ ...o, branch: "main", files: { "b.yaml": "b\n" }, user: "alice" });
  h.sim.clock.advance(3600_000);
  const c = h.sim.commitFiles({ ...o, branch: "dev", files: { "a.yaml": "a2\n" }, user: "bob" });
  const main = await octokit.rest.repos.listCommits(o);
  expect(main.data.slice(0, 2).map((x) => x.sha)).toEqual([b.sha, a.sha]);
  expect(main.data).toHaveLength(3);
  const dev = await octokit.rest.repos.listCommits({ ...o, sha: "dev", path: "a.yaml" });
  expect(dev.data.map((x) => x.sha)).toEqual([c.sha, a.sha]);
  const window = await octokit.rest.repos.listCommits({ ...o, since: "2026-01-01T01:30:00Z", until: "2026-01-01T02:30:00Z" });
  expect(window.data.map((x) => x.sha)).toEqual([b.sha]);
  expect(window.data[0]?.commit.committer?.date).toBe("2026-01-01T02:00:00Z");
  expect(window.data[0]?.author?.login).toBe("alice");
  const one = await octokit.rest.repos.getCommit({ ...o, ref: c.sha });
  expect(one.data.files?.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([["a.yaml", "modified", 1, 1]]);
  const branch = await octokit.rest.repos.getBranch({ ...o, branch: "dev" });
  expect(branch.data.commit.sha).toBe(c.sha);
  await expect(octokit.rest.repos.getBranch({ ...o, branch: "nope" })).rejects.toMatchObject({ status: 404 });
});

test("issues: create, list with state/label filters, update, comments, labels, reactions", async () => {
  const { octokit } = await createSimFixture(h.sim);
  await octokit.rest.issues.createLabel({ ...o, name: "rollback", color: "ff0000", description: "SLO rollback" });
  expect((await octokit.rest.issues.getLabel({ ...o, name: "rollback" })).data.color).toBe("ff0000");
  await expect(octokit.rest.issues.createLabel({ ...o, name: "Rollback", color: "ff0000" })).rejects.toMatchObject({ status: 422 });
  const i1 = await octokit.rest.issues.create({ ...o, title: "one", labels: ["rollback"] });
  const i2 = await octokit.rest.issues.create({ ...o, title: "two" });
  await octokit.rest.issues.addLabels({ ...o, issue_number: i2.data.number, labels: ["rollback", "prod"] });
  await octokit.rest.issues.update({ ...o, issue_number: i1.data.number, state: "closed" });
  const open = await octokit.rest.issues.listForRepo({ ...o, labels: "rollback" });
  expect(open.data.map((i) => i.number)).toEqual([i2.data.number]);
  const all = await octokit.rest.issues.listForRepo({ ...o, state: "all", labels: "rollback,prod" });
  expect(all.data.map((i) => i.number)).toEqual([i2.data.number]);
  const removed = await octokit.rest.issues.removeLabel({ ...o, issue_number: i2.data.number, name: "prod" });
  expect(removed.data.map((l) => l.name)).toEqual(["rollback"]);
  const c = await octokit.rest.issues.createComment({ ...o, issue_number: i2.data.number, body: "hi" });
  await octokit.rest.issues.updateComment({ ...o, comment_id: c.data.id, body: "hello" });
  const first = await octokit.rest.reactions.createForIssueComment({ ...o, comment_id: c.data.id, content: "+1" });
  const again = await octokit.rest.reactions.createForIssueComment({ ...o, comment_id: c.data.id, content: "+1" });
  expect([first.status, again.status, again.data.id]).toEqual([201, 200, first.data.id]);
  await octokit.rest.reactions.createForIssue({ ...o, issue_number: i2.data.number, content: "eyes" });
  const comments = await octokit.rest.issues.listComments({ ...o, issue_number: i2.data.number });
  expect(comments.data.map((x) => [x.body, x.reactions?.["+1"]])).toEqual([["hello", 1]]);
  const issue = await octokit.rest.issues.get({ ...o, issue_number: i2.data.number });
  expect([issue.data.reactions?.eyes, issue.data.comments]).toEqual([1, 1]);
  // a user's comment cannot be edited by the app
  const userComment = h.sim.comment({ ...o, number: i2.data.number, body: "mine", user: "alice" });
  await expect(octokit.rest.issues.updateComment({ ...o, comment_id: userComment.id, body: "x" })).rejects.toMatchObject({ status: 403 });
});

test("statuses: create, combined (latest per context), list", async () => {
  const { octokit, repo } = await createSimFixture(h.sim);
  const sha = repo.refs.get("refs/heads/main") ?? "";
  await octokit.rest.repos.createCommitStatus({ ...o, sha, state: "pending", context: "fleetward/policy" });
  let combined = await octokit.rest.repos.getCombinedStatusForRef({ ...o, ref: "main" });
  expect([combined.data.state, combined.data.total_count]).toEqual(["pending", 1]);
  await octokit.rest.repos.createCommitStatus({ ...o, sha, state: "success", context: "fleetward/policy" });
  await octokit.rest.repos.createCommitStatus({ ...o, sha, state: "success", context: "ci" });
  combined = await octokit.rest.repos.getCombinedStatusForRef({ ...o, ref: sha });
  expect([combined.data.state, combined.data.total_count]).toEqual(["success", 2]);
  await octokit.rest.repos.createCommitStatus({ ...o, sha, state: "error", context: "ci" });
  combined = await octokit.rest.repos.getCombinedStatusForRef({ ...o, ref: sha });
  expect(combined.data.state).toBe("failure");
  const list = await octokit.rest.repos.listCommitStatusesForRef({ ...o, ref: sha });
  expect(list.data.map((s) => s.state)).toEqual(["error", "success", "success", "pending"]);
  await expect(octokit.rest.repos.createCommitStatus({ ...o, sha: "0".repeat(40), state: "success" })).rejects.toMatchObject({ status: 422 });
});

test("pull requests: list filters, update, reviewers, conflicts block merging, squash and rebase merges", async () => {
  const { octokit } = await createSimFixture(h.sim);
  h.sim.setPermission("acme", "fleet", "bob", "write");
  h.sim.commitFiles({ ...o, branch: "a", files: { "clusters/prod/app.yaml": "replicas: 5\n" }, user: "alice" });
  h.sim.commitFiles({ ...o, branch: "b", files: { "clusters/prod/app.yaml": "replicas: 7\n" }, user: "alice" });
  h.sim.commitFiles({ ...o, branch: "c", files: { "c1.yaml": "1\n" }, user: "alice" });
  h.sim.commitFiles({ ...o, branch: "c", files: { "c2.yaml": "2\n" }, user: "alice" });
  const pa = await octokit.rest.pulls.create({ ...o, head: "a", base: "main", title: "A" });
  const pb = await octokit.rest.pulls.create({ ...o, head: "b", base: "main", title: "B" });
  const pc = await octokit.rest.pulls.create({ ...o, head: "c", base: "main", title: "C" });
  await expect(octokit.rest.pulls.create({ ...o, head: "a", base: "main", title: "dup" })).rejects.toMatchObject({ status: 422 });
  expect((await octokit.rest.pulls.list({ ...o, head: "acme:b" })).data.map((p) => p.number)).toEqual([pb.data.number]);
  expect((await octokit.rest.pulls.list({ ...o, base: "main", direction: "asc" })).data.map((p) => p.number)).toEqual([pa.data.number, pb.data.number, pc.data.number]);
  const rr = await octokit.rest.pulls.requestReviewers({ ...o, pull_number: pa.data.number, reviewers: ["bob"] });
  expect(rr.data.requested_reviewers?.map((u) => u.login)).toEqual(["bob"]);
  await expect(octokit.rest.pulls.requestReviewers({ ...o, pull_number: pa.data.number, reviewers: ["mallory"] })).rejects.toMatchObject({ status: 422 });
  const edited = await octokit.rest.pulls.update({ ...o, pull_number: pa.data.number, title: "A!", body: "why" });
  expect([edited.data.title, edited.data.body]).toEqual(["A!", "why"]);

  await octokit.rest.pulls.merge({ ...o, pull_number: pa.data.number, merge_method: "squash" });
  const squashed = await octokit.rest.repos.getCommit({ ...o, ref: "main" });
  expect([squashed.data.parents.length, squashed.data.commit.message.split("\n")[0]]).toEqual([1, `A! (#${pa.data.number})`]);
  const conflicted = await octokit.rest.pulls.get({ ...o, pull_number: pb.data.number });
  expect([conflicted.data.mergeable, conflicted.data.mergeable_state]).toEqual([false, "dirty"]);
  await expect(octokit.rest.pulls.merge({ ...o, pull_number: pb.data.number })).rejects.toMatchObject({ status: 405 });
  await octokit.rest.pulls.merge({ ...o, pull_number: pc.data.number, merge_method: "rebase" });
  const rebased = await octokit.rest.repos.listCommits({ ...o, per_page: 2 });
  expect(rebased.data.map((c) => c.commit.message)).toEqual(["Update c2.yaml", "Update c1.yaml"]);
  expect(h.sim.filesAt("acme", "fleet")).toMatchObject({ "clusters/prod/app.yaml": "replicas: 5\n", "c1.yaml": "1\n", "c2.yaml": "2\n" });
  const closed = await octokit.rest.pulls.list({ ...o, state: "closed" });
  expect(closed.data.map((p) => p.number).sort()).toEqual([pa.data.number, pc.data.number].sort());
  await expect(octokit.rest.pulls.update({ ...o, pull_number: pa.data.number, state: "open" })).rejects.toMatchObject({ status: 422 });
});

test("check runs: rerequest via API goes to the owning app; another app may not update the run", async () => {
  const { octokit, repo } = await createSimFixture(h.sim);
  const sha = repo.refs.get("refs/heads/main") ?? "";
  const run = await octokit.rest.checks.create({ ...o, name: "policy", head_sha: sha, conclusion: "neutral", output: { title: "t", summary: "s" } });
  await octokit.rest.checks.rerequestRun({ ...o, check_run_id: run.data.id });
  await h.sim.settle();
  const names = h.sim.webhooks.deliveries().map((d) => `${d.name}.${String((d.payload as { action?: string }).action)}`);
  expect(names.filter((n) => n.startsWith("check_"))).toEqual(["check_run.created", "check_run.completed", "check_suite.completed", "check_run.rerequested"]);
  const other = h.sim.createApp({ slug: "other" });
  const inst = h.sim.install({ appId: other.id, account: "acme" });
  const token = h.sim.issueToken(inst);
  const res = await h.sim.handle({ method: "PATCH", url: `/repos/acme/fleet/check-runs/${run.data.id}`, headers: { authorization: `token ${token.token}` }, body: JSON.stringify({ status: "in_progress" }) });
  expect(res.status).toBe(403);
});

test("pulls.listFiles stops at GitHub's 3000-file cap", async () => {
  const { octokit } = await createSimFixture(h.sim);
  const files: Record<string, string> = {};
  for (let i = 0; i < 3005; i++) files[`f/${String(i).padStart(4, "0")}.txt`] = `${i}\n`;
  h.sim.commitFiles({ ...o, branch: "huge", files, user: "alice" });
  const pr = h.sim.openPullRequest({ ...o, head: "huge", title: "huge", user: "alice" });
  const last = await octokit.rest.pulls.listFiles({ ...o, pull_number: pr.number, per_page: 100, page: 30 });
  expect(last.data.map((f) => f.filename).at(-1)).toBe("f/2999.txt");
  expect(last.headers.link).not.toMatch(/rel="next"/);
  const beyond = await octokit.rest.pulls.listFiles({ ...o, pull_number: pr.number, per_page: 100, page: 31 });
  expect(beyond.data).toEqual([]);
  const full = await octokit.rest.pulls.get({ ...o, pull_number: pr.number });
  expect(full.data.changed_files).toBe(3005);
});

test("reviews through the API, blobs round-trip, raw+json and object media types", async () => {
  const { octokit } = await createSimFixture(h.sim);
  h.sim.commitFiles({ ...o, branch: "r", files: { "deploy/app.yaml": "image: v2\n" }, user: "alice" });
  const theirs = h.sim.openPullRequest({ ...o, head: "r", title: "R", user: "alice" });
  const approved = await octokit.rest.pulls.createReview({ ...o, pull_number: theirs.number, event: "APPROVE" });
  expect([approved.data.state, approved.data.commit_id]).toEqual(["APPROVED", theirs.headSha]);
  await expect(octokit.rest.pulls.createReview({ ...o, pull_number: theirs.number, event: "REQUEST_CHANGES" })).rejects.toMatchObject({ status: 422 });
  h.sim.commitFiles({ ...o, branch: "s", files: { "s.yaml": "s\n" }, user: "alice" });
  const ours = await octokit.rest.pulls.create({ ...o, head: "s", base: "main", title: "S" });
  await expect(octokit.rest.pulls.createReview({ ...o, pull_number: ours.data.number, event: "APPROVE" })).rejects.toMatchObject({ status: 422 });
  await h.sim.settle();
  const submitted = h.sim.webhooks.deliveries().filter((d) => d.name === "pull_request_review");
  expect(submitted.map((d) => (d.payload as { review: { state: string } }).review.state)).toEqual(["approved"]);

  const blob = await octokit.rest.git.createBlob({ ...o, content: Buffer.from([0, 1, 2, 255]).toString("base64"), encoding: "base64" });
  const back = await octokit.rest.git.getBlob({ ...o, file_sha: blob.data.sha });
  expect([...Buffer.from(back.data.content, "base64")]).toEqual([0, 1, 2, 255]);
  expect(back.data.size).toBe(4);

  const raw = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...o, path: "deploy/app.yaml", ref: "r", headers: { accept: "application/vnd.github.raw+json" } });
  expect(raw.data as unknown).toBe("image: v2\n");
  const dir = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...o, path: "deploy", ref: "r", headers: { accept: "application/vnd.github.object+json" } });
  expect(dir.data).toMatchObject({ type: "dir", path: "deploy", entries: [{ type: "file", path: "deploy/app.yaml" }] });
});
