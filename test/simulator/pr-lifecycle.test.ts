import { verify } from "@octokit/webhooks-methods";
import { GitHubSimulator, type RunningServer } from "../../src/simulator/github-simulator.js";
import { createSimFixture } from "./sim-fixture.js";
import { useNockGuard } from "../helpers/nock-guard.js";

useNockGuard();

let sim: GitHubSimulator;
let server: RunningServer;

beforeEach(async () => {
  sim = new GitHubSimulator({ validateResponses: true });
  server = await sim.listen();
});

afterEach(async () => {
  await server.close();
  await sim.settle();
  sim.assertNoViolations();
});

test("a PR's whole life over real HTTP (GHE /api/v3 prefix) with the webhook sequence", async () => {
  const { octokit, repo, test: t } = await createSimFixture(sim, { baseUrl: server.baseUrl });
  const seen: string[] = [];
  t.probot.onAny((e) => {
    const action = "action" in e.payload && typeof e.payload.action === "string" ? `.${e.payload.action}` : "";
    seen.push(`${e.name}${action}`);
  });
  t.connect();

  // branch + commit through the git API
  const main = repo.refs.get("refs/heads/main") ?? "";
  const baseCommit = await octokit.rest.git.getCommit({ owner: "acme", repo: "fleet", commit_sha: main });
  const tree = await octokit.rest.git.createTree({ owner: "acme", repo: "fleet", base_tree: baseCommit.data.tree.sha, tree: [{ path: "clusters/prod/app.yaml", mode: "100644", type: "blob", content: "replicas: 4\n" }] });
  const c1 = await octokit.rest.git.createCommit({ owner: "acme", repo: "fleet", message: "Scale prod", tree: tree.data.sha, parents: [main] });
  await octokit.rest.git.createRef({ owner: "acme", repo: "fleet", ref: "refs/heads/scale", sha: c1.data.sha });

  const pr = await octokit.rest.pulls.create({ owner: "acme", repo: "fleet", head: "scale", base: "main", title: "Scale prod", body: "more replicas" });
  expect(pr.data.mergeable).toBe(true);

  // a user pushes another commit → synchronize
  const c2 = sim.commitFiles({ owner: "acme", repo: "fleet", branch: "scale", files: { "clusters/prod/extra.yaml": "x: 1\n" }, user: "alice" });
  const commits = await octokit.rest.pulls.listCommits({ owner: "acme", repo: "fleet", pull_number: pr.data.number });
  expect(commits.data.map((c) => c.sha)).toEqual([c1.data.sha, c2.sha]);

  await octokit.rest.issues.createComment({ owner: "acme", repo: "fleet", issue_number: pr.data.number, body: "/fleetward plan" });
  sim.review({ owner: "acme", repo: "fleet", number: pr.data.number, user: "bob", state: "APPROVED" });
  const reviews = await octokit.rest.pulls.listReviews({ owner: "acme", repo: "fleet", pull_number: pr.data.number });
  expect(reviews.data.map((r) => [r.user?.login, r.state])).toEqual([["bob", "APPROVED"]]);

  await expect(octokit.rest.pulls.merge({ owner: "acme", repo: "fleet", pull_number: pr.data.number, sha: c1.data.sha })).rejects.toMatchObject({ status: 409 });
  const merged = await octokit.rest.pulls.merge({ owner: "acme", repo: "fleet", pull_number: pr.data.number, sha: c2.sha });
  const after = await octokit.rest.pulls.get({ owner: "acme", repo: "fleet", pull_number: pr.data.number });
  expect([after.data.state, after.data.merged, after.data.merge_commit_sha, after.data.merged_by?.login]).toEqual(["closed", true, merged.data.sha, "fleetward-test[bot]"]);
  const mergeCommit = await octokit.rest.repos.getCommit({ owner: "acme", repo: "fleet", ref: "main" });
  expect(mergeCommit.data.parents.map((p) => p.sha)).toEqual([main, c2.sha]);
  expect(sim.filesAt("acme", "fleet")["clusters/prod/app.yaml"]).toBe("replicas: 4\n");
  const assoc = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: "acme", repo: "fleet", commit_sha: c1.data.sha });
  expect(assoc.data.map((p) => p.number)).toEqual([pr.data.number]);
  const cmp = await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "fleet", basehead: `${main}...main` });
  expect([cmp.data.status, cmp.data.ahead_by, cmp.data.files?.map((f) => f.filename)]).toEqual(["ahead", 3, ["clusters/prod/app.yaml", "clusters/prod/extra.yaml"]]);
  const byPath = await octokit.rest.repos.listCommits({ owner: "acme", repo: "fleet", path: "clusters/prod/extra.yaml" });
  expect(byPath.data.map((c) => c.sha)).toEqual([merged.data.sha, c2.sha]);

  await sim.settle();
  expect(seen).toEqual([
    "push",
    "check_suite.requested",
    "pull_request.opened",
    "push",
    "check_suite.requested",
    "pull_request.synchronize",
    "issue_comment.created",
    "pull_request_review.submitted",
    "pull_request.closed",
    "push",
    "check_suite.requested",
  ]);
  const closed = sim.webhooks.deliveries().find((d) => d.name === "pull_request" && (d.payload as { action: string }).action === "closed");
  expect(closed && (closed.payload as { pull_request: { merged: boolean } }).pull_request.merged).toBe(true);
  const last = sim.webhooks.deliveries().filter((d) => d.name === "push").at(-1);
  expect(last?.name).toBe("push");
  expect(last && (last.payload as { ref: string; after: string; commits: Array<{ id: string }> })).toMatchObject({ ref: "refs/heads/main", after: merged.data.sha });
  expect(last && (await verify(t.app.webhookSecret, last.body, last.signature256))).toBe(true);
});

test("the HTTP server answers under / and /api/v3, with GitHub's error shapes", async () => {
  sim.createApp();
  sim.createRepo({ owner: "acme", name: "fleet" });
  const inst = sim.install({ account: "acme" });
  const token = sim.issueToken(inst).token;
  const headers = { authorization: `token ${token}`, accept: "application/vnd.github+json" };
  const root = await fetch(`http://${server.host}/repos/acme/fleet`, { headers });
  const ghe = await fetch(`${server.baseUrl}/repos/acme/fleet`, { headers });
  expect([root.status, ghe.status]).toEqual([200, 200]);
  expect(((await root.json()) as { full_name: string }).full_name).toBe("acme/fleet");
  expect(((await ghe.json()) as { full_name: string }).full_name).toBe("acme/fleet");
  const missing = await fetch(`${server.baseUrl}/repos/acme/nope`, { headers });
  expect([missing.status, await missing.json()]).toEqual([404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" }]);
  const badJson = await fetch(`${server.baseUrl}/repos/acme/fleet/issues`, { method: "POST", headers, body: "{not json" });
  expect(badJson.status).toBe(400);
  const unauth = await fetch(`${server.baseUrl}/repos/acme/fleet`);
  expect(unauth.status).toBe(401);
  expect(sim.violations.splice(0).map((v) => v.message)).toEqual(["request body is not valid JSON"]);
});

test("webhooks are delivered over HTTP, can be held, dropped and redelivered with the same id", async () => {
  sim.createApp();
  sim.createRepo({ owner: "acme", name: "fleet" });
  sim.install({ account: "acme" });
  const received: Array<{ event: string | null; id: string | null; sig: string | null; body: string }> = [];
  const { createServer } = await import("node:http");
  const hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ event: String(req.headers["x-github-event"]), id: String(req.headers["x-github-delivery"]), sig: String(req.headers["x-hub-signature-256"]), body: Buffer.concat(chunks).toString() });
      res.writeHead(202);
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  const address = hook.address();
  const port = typeof address === "object" && address ? address.port : 0;
  try {
    sim.deliverTo(`http://127.0.0.1:${port}/`);
    await sim.settle();
    received.length = 0;
    sim.webhooks.hold();
    const held = sim.commitFiles({ owner: "acme", repo: "fleet", branch: "main", files: { "a.txt": "a\n" }, user: "alice" });
    await sim.settle();
    expect(received).toHaveLength(0);
    expect(sim.webhooks.held().map((d) => d.name)).toEqual(["push", "check_suite"]);
    sim.webhooks.release();
    await sim.settle();
    expect(received.map((r) => r.event)).toEqual(["push", "check_suite"]);
    expect((JSON.parse(received[0]?.body ?? "{}") as { after: string }).after).toBe(held.sha);
    expect(await verify(sim.webhookSecret, received[0]?.body ?? "", received[0]?.sig ?? "")).toBe(true);

    sim.webhooks.dropNext(1);
    sim.commitFiles({ owner: "acme", repo: "fleet", branch: "main", files: { "a.txt": null }, user: "alice" });
    await sim.settle();
    expect(received.map((r) => r.event)).toEqual(["push", "check_suite", "check_suite"]);
    const lost = sim.webhooks.dropped[0];
    expect(lost?.name).toBe("push");
    expect((lost?.payload as { commits: Array<{ removed: string[] }> }).commits[0]?.removed).toEqual(["a.txt"]);
    sim.redeliver(lost?.id ?? "");
    await sim.settle();
    expect(received).toHaveLength(4);
    expect(received[3]?.id).toBe(lost?.id);
    expect(received[3]?.body).toBe(lost?.body);
  } finally {
    hook.closeAllConnections();
    await new Promise<void>((r) => hook.close(() => r()));
  }
});
