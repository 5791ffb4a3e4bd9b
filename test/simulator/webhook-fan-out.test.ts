/**
 * Webhooks to several replicas (src/simulator/webhook-fan-out.ts through WebhookDispatcher.spreadOver): one
 * replica per delivery in turn, the chosen deliveries to all at once (concurrently), and a delivery a replica
 * answers with an error is a failed attempt in GitHub's deliveries list (what the redeliverer reads).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GitHubSimulator } from "../../src/simulator/github-simulator.js";

interface Replica {
  url: string;
  /** Delivery ids received, in order. */
  got: string[];
  server: Server;
}

/** Requests being handled now, and at most at once, over all replicas. */
let inFlight = 0;
let maxInFlight = 0;

async function replica(answer: (event: string) => number, holdMs = 0): Promise<Replica> {
  const got: string[] = [];
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    got.push(String(req.headers["x-github-delivery"]));
    req.resume();
    setTimeout(() => {
      inFlight--;
      res.writeHead(answer(String(req.headers["x-github-event"]))).end();
    }, holdMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, server };
}

const replicas: Replica[] = [];
afterEach(async () => {
  for (const r of replicas.splice(0)) {
    r.server.closeAllConnections();
    await new Promise((resolve) => r.server.close(resolve));
  }
});

function world() {
  const sim = new GitHubSimulator();
  const app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({ owner: "acme", name: "fleet", files: { "README.md": "# fleet\n" } });
  sim.install({ appId: app.id, account: "acme" });
  return sim;
}

test("round-robin: each delivery goes to one replica, in turn", async () => {
  const sim = world();
  replicas.push(await replica(() => 202), await replica(() => 202), await replica(() => 202));
  const { fanOut } = sim.webhooks.spreadOver(replicas.map((r) => r.url));
  for (let i = 0; i < 6; i++) sim.openIssue({ owner: "acme", repo: "fleet", title: `t${i}`, user: "alice" });
  await sim.settle();
  const ids = sim.webhooks.deliveries().filter((d) => d.name === "issues").map((d) => d.id);
  expect(replicas.map((r) => r.got)).toEqual([
    [ids[0], ids[3]],
    [ids[1], ids[4]],
    [ids[2], ids[5]],
  ]);
  expect([...fanOut.sent.values()]).toEqual([2, 2, 2]);
  expect(sim.webhooks.attempts.map((a) => a.url)).toEqual([0, 1, 2, 0, 1, 2].map((i) => replicas[i]!.url));
});

test("a chosen delivery goes to all replicas at once (same id and body, concurrently); the others stay round-robin", async () => {
  const sim = world();
  maxInFlight = 0;
  replicas.push(await replica(() => 202, 300), await replica(() => 202, 300), await replica(() => 202, 300));
  const { fanOut, stop } = sim.webhooks.spreadOver(replicas.map((r) => r.url));
  fanOut.toAll((d) => d.name === "issues" && (d.payload as { issue: { title: string } }).issue.title === "merge");
  sim.openIssue({ owner: "acme", repo: "fleet", title: "before", user: "alice" });
  const merge = sim.openIssue({ owner: "acme", repo: "fleet", title: "merge", user: "alice" });
  sim.openIssue({ owner: "acme", repo: "fleet", title: "after", user: "alice" });
  await sim.settle();
  const id = (title: string) => sim.webhooks.deliveries().find((d) => (d.payload as { issue?: { title: string } }).issue?.title === title)!.id;
  expect(merge.title).toBe("merge");
  expect(replicas.map((r) => r.got)).toEqual([[id("before"), id("merge")], [id("merge"), id("after")], [id("merge")]]);
  expect(maxInFlight).toBe(3);
  expect(sim.webhooks.attempts.filter((a) => a.guid === id("merge"))).toHaveLength(3);
  // Stopped: nothing more goes to the replicas.
  stop();
  sim.openIssue({ owner: "acme", repo: "fleet", title: "unheard", user: "alice" });
  await sim.settle();
  expect(replicas.flatMap((r) => r.got)).toHaveLength(5);
});

test("a replica's error answer is a failed attempt in GET /app/hook/deliveries, and settle() reports it", async () => {
  const sim = world();
  replicas.push(await replica(() => 202), await replica(() => 503));
  sim.webhooks.spreadOver(replicas.map((r) => r.url));
  sim.openIssue({ owner: "acme", repo: "fleet", title: "ok", user: "alice" });
  sim.openIssue({ owner: "acme", repo: "fleet", title: "refused", user: "alice" });
  await expect(sim.settle()).rejects.toThrow(/1 webhook deliveries failed; first: issues .*HTTP 503/);
  const app = [...sim.apps.values()][0]!;
  const jwt = await import("node:crypto").then(({ createSign }) => {
    const now = Math.floor(Date.now() / 1000);
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const head = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 300, iss: app.id })}`;
    return `${head}.${createSign("RSA-SHA256").update(head).sign(app.privateKey, "base64url")}`;
  });
  const res = await sim.handle({ method: "GET", url: "/app/hook/deliveries?status=failure", headers: { authorization: `Bearer ${jwt}`, accept: "application/vnd.github+json" } });
  expect(res.status).toBe(200);
  const failed = JSON.parse(res.body) as Array<{ guid: string; status_code: number; status: string }>;
  const refused = sim.webhooks.deliveries().find((d) => (d.payload as { issue?: { title: string } }).issue?.title === "refused")!;
  expect(failed).toEqual([expect.objectContaining({ guid: refused.id, status_code: 503, status: "Invalid HTTP Response: 503" })]);
  sim.assertNoViolations();
});
