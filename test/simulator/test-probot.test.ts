import type { Probot } from "probot";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import { useNockGuard } from "../helpers/nock-guard.js";
import { createTestProbot } from "../helpers/create-test-probot.js";

useNockGuard();
const h = useGitHubSimulator({ validateResponses: true });

/** A tiny app: reacts to PRs with a check run and a comment, answers `/ping` comments with a reaction. */
function demoApp(app: Probot): void {
  app.on("pull_request.opened", async (context) => {
    await context.octokit.rest.checks.create(context.repo({ name: "demo", head_sha: context.payload.pull_request.head.sha, conclusion: "success", output: { title: "ok", summary: "fine" } }));
    await context.octokit.rest.issues.createComment(context.issue({ body: "Thanks!" }));
  });
  app.on("issue_comment.created", async (context) => {
    if (context.payload.comment.body.trim() !== "/ping") return;
    await context.octokit.rest.reactions.createForIssueComment(context.repo({ comment_id: context.payload.comment.id, content: "rocket" }));
  });
}

test("createTestProbot runs a Probot app against the simulator (nock transport)", async () => {
  const { app } = await createTestProbot({ sim: h.sim, appFn: demoApp });
  h.sim.createRepo({ owner: "acme", name: "fleet" });
  h.sim.install({ appId: app.id, account: "acme" });
  h.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "f", files: { "x.yaml": "x: 1\n" }, user: "alice" });
  const pr = h.sim.openPullRequest({ owner: "acme", repo: "fleet", head: "f", title: "X", user: "alice" });
  await h.sim.settle();
  const runs = h.sim.checkRunsOf("acme", "fleet", pr.headSha);
  expect(runs.map((r) => [r.name, r.conclusion])).toEqual([["demo", "success"]]);
  expect(h.sim.comments("acme", "fleet", pr.number).map((c) => [c.user.login, c.body])).toEqual([[`sim-app-${app.id}[bot]`, "Thanks!"]]);
  expect(h.sim.pullRequests("acme", "fleet").map((p) => p.number)).toEqual([pr.number]);
  expect(h.sim.refs("acme", "fleet")["refs/heads/f"]).toBe(pr.headSha);
  const ping = h.sim.comment({ owner: "acme", repo: "fleet", number: pr.number, body: "/ping", user: "bob" });
  await h.sim.settle();
  expect(ping.reactions.map((x) => x.content)).toEqual(["rocket"]);
  expect(h.sim.callCount("apps/create-installation-access-token")).toBe(1);
});

test("a handler failure surfaces from settle(); retries are off so a 500 is one call", async () => {
  const { app } = await createTestProbot({ sim: h.sim, appFn: demoApp });
  h.sim.createRepo({ owner: "acme", name: "fleet" });
  h.sim.install({ appId: app.id, account: "acme" });
  h.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "f", files: { "x.yaml": "x: 1\n" }, user: "alice" });
  h.sim.failNext({ operationId: "checks/create", status: 500 });
  h.sim.openPullRequest({ owner: "acme", repo: "fleet", head: "f", title: "X", user: "alice" });
  await expect(h.sim.settle()).rejects.toThrow(/webhook deliveries failed/);
  expect(h.sim.callCount("checks/create")).toBe(1);
  expect(h.sim.callCount("issues/create-comment")).toBe(0);
});

test("held webhooks reach the app only when released; a dropped one can be redelivered; timestamps follow the sim clock", async () => {
  const { app } = await createTestProbot({ sim: h.sim, appFn: demoApp });
  h.sim.createRepo({ owner: "acme", name: "fleet" });
  h.sim.install({ appId: app.id, account: "acme" });
  h.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "f", files: { "x.yaml": "x: 1\n" }, user: "alice" });
  h.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "g", files: { "y.yaml": "y: 1\n" }, user: "alice" });
  await h.sim.settle();

  h.sim.webhooks.hold();
  const first = h.sim.openPullRequest({ owner: "acme", repo: "fleet", head: "f", title: "F", user: "alice" });
  await h.sim.settle();
  expect(h.sim.checkRunsOf("acme", "fleet", first.headSha)).toHaveLength(0);
  h.sim.clock.advance(90_000);
  h.sim.webhooks.release();
  await h.sim.settle();
  const [run] = h.sim.checkRunsOf("acme", "fleet", first.headSha);
  expect(run?.completed_at).toBe("2026-01-01T00:01:30Z");

  h.sim.webhooks.dropNext(1);
  const second = h.sim.openPullRequest({ owner: "acme", repo: "fleet", head: "g", title: "G", user: "alice" });
  await h.sim.settle();
  expect(h.sim.checkRunsOf("acme", "fleet", second.headSha)).toHaveLength(0);
  const lost = h.sim.webhooks.dropped.at(-1);
  expect(lost?.name).toBe("pull_request");
  h.sim.redeliver(lost?.id ?? "");
  await h.sim.settle();
  expect(h.sim.checkRunsOf("acme", "fleet", second.headSha).map((r) => r.name)).toEqual(["demo"]);
});

test("context.config() reads repository config through the contents API (missing org fallback is a plain 404)", async () => {
  const seen: Array<Record<string, unknown> | null> = [];
  const { app } = await createTestProbot({
    sim: h.sim,
    appFn: (probot: Probot) => {
      probot.on("issues.opened", async (context) => {
        seen.push(await context.config<Record<string, unknown>>("fleetward.yml"));
      });
    },
  });
  h.sim.createRepo({ owner: "acme", name: "fleet", files: { ".github/fleetward.yml": "environments:\n  - dev\n  - prod\n" } });
  h.sim.createRepo({ owner: "acme", name: "bare" });
  h.sim.install({ appId: app.id, account: "acme" });
  h.sim.openIssue({ owner: "acme", repo: "fleet", title: "a", user: "alice" });
  h.sim.openIssue({ owner: "acme", repo: "bare", title: "b", user: "alice" });
  await h.sim.settle();
  expect(seen).toEqual([{ environments: ["dev", "prod"] }, null]);
  expect(h.sim.requestLog.filter((e) => e.operationId === "repos/get-content").map((e) => [e.url, e.status])).toEqual([
    ["/repos/acme/fleet/contents/.github%2Ffleetward.yml", 200],
    ["/repos/acme/bare/contents/.github%2Ffleetward.yml", 404],
    ["/repos/acme/.github/contents/.github%2Ffleetward.yml", 404],
  ]);
});
