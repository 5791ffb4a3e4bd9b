/**
 * End to end: the real Probot HTTP server (`startServer`, as `npm start` runs it) on loopback, configured
 * for GitHub Enterprise over HTTP (GHE_HOST/GHE_PROTOCOL) and pointed at the GitHub simulator's HTTP
 * server. The simulator delivers signed webhooks over HTTP; every API call the app makes is checked
 * against GitHub's OpenAPI description.
 */
import { createHmac } from "node:crypto";
import { freePort } from "../helpers/free-port.js";
import { setHttpAppEnv } from "../helpers/http-app-env.js";
import { Writable } from "node:stream";
import pino from "pino";
import type { Server } from "probot";
import { fleetwardApp } from "../../src/app/index.js";
import { startServer } from "../../src/app/server.js";
import { GitHubSimulator, type RunningServer } from "../../src/simulator/github-simulator.js";

const VALID = `environments:
  - name: dev
    paths: ["envs/dev/**"]
  - name: staging
    paths: ["envs/staging/**"]
    promotedFrom: dev
`;
const FIXED = `${VALID}  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: staging
`;
// Line 6 names an environment that does not exist.
const BROKEN = `environments:
  - name: dev
    paths: ["envs/dev/**"]
  - name: staging
    paths: ["envs/staging/**"]
    promotedFrom: stagin
`;


describe("fleetward/config end to end over HTTP", () => {
  let sim: GitHubSimulator;
  let api: RunningServer;
  let server: Server;
  let port: number;
  let logLines: Array<Record<string, unknown>>;
  let restoreEnv: (() => void) | undefined;
  let secret: string;

  beforeAll(async () => {
    sim = new GitHubSimulator();
    api = await sim.listen();
    const app = sim.createApp({ slug: "fleetward" });
    secret = app.webhookSecret;
    sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": VALID, "envs/dev/web/deploy.yaml": "kind: Deployment\n" } });
    sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
    port = await freePort();
    restoreEnv = setHttpAppEnv(app, api, port);
    logLines = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split("\n")) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    server = await startServer(fleetwardApp(), { log: pino({ level: "debug" }, sink) });
    sim.deliverTo(`http://127.0.0.1:${port}/api/github/webhooks`);
  });

  afterAll(async () => {
    await server?.stop();
    await api?.close();
    restoreEnv?.();
  });

  afterEach(async () => {
    await sim.settle();
    sim.assertNoViolations();
  });

  test("a pull request that breaks .github/fleetward.yml gets a failing check with an annotation at the broken line", async () => {
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "break-config", from: "main", files: { ".github/fleetward.yml": BROKEN }, user: "alice", message: "Promote staging from a typo" });
    const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "break-config", base: "main", title: "Break the config", user: "alice" });
    await sim.settle();

    const runs = sim.checkRunsOf("acme", "gitops", pr.headSha).filter((r) => r.name === "fleetward/config");
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.status).toBe("completed");
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toEqual([
      expect.objectContaining({
        path: ".github/fleetward.yml",
        start_line: 6,
        end_line: 6,
        annotation_level: "failure",
        message: expect.stringContaining('unknown environment "stagin"'),
      }),
    ]);

    // Every log line of the event's work carries the delivery id.
    const delivery = sim.webhooks.deliveries().find((d) => d.name === "pull_request" && (d.payload as { action?: string }).action === "opened");
    expect(delivery).toBeDefined();
    const eventLines = logLines.filter((l) => l.msg === "configuration checked");
    expect(eventLines.length).toBeGreaterThan(0);
    for (const line of eventLines) expect(line.id).toBe(delivery!.id);
  });

  test("a redelivered webhook updates the same check run instead of creating another", async () => {
    const delivery = sim.webhooks.deliveries().find((d) => d.name === "pull_request" && (d.payload as { action?: string }).action === "opened");
    expect(delivery).toBeDefined();
    const headSha = (delivery!.payload as { pull_request: { head: { sha: string } } }).pull_request.head.sha;
    sim.redeliver(delivery!.id);
    await sim.settle();
    expect(sim.checkRunsOf("acme", "gitops", headSha).filter((r) => r.name === "fleetward/config")).toHaveLength(1);
  });

  test("a fix pushed to the pull request turns the check green", async () => {
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "break-config", files: { ".github/fleetward.yml": FIXED }, user: "alice", message: "Fix the typo, add prod" });
    await sim.settle();
    const head = sim.resolveCommitish(sim.repo("acme", "gitops"), "break-config")!;
    const runs = sim.checkRunsOf("acme", "gitops", head).filter((r) => r.name === "fleetward/config");
    expect(runs).toHaveLength(1);
    expect(runs[0]!.conclusion).toBe("success");
    expect(runs[0]!.annotations).toEqual([]);
  });

  test("a wrongly signed webhook is refused and does nothing", async () => {
    const before = sim.requestLog.length;
    const body = JSON.stringify({ action: "opened", number: 1 });
    const wrong = "sha256=" + createHmac("sha256", secret + "-not").update(body).digest("hex");
    const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "forged-1", "x-hub-signature-256": wrong },
      body,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const unsigned = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "forged-2" },
      body,
    });
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect(sim.requestLog.length).toBe(before);
  });

  test("/healthz and /readyz answer on the same server", async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
  });
});
