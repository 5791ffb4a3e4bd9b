/**
 * The redeliverer end to end: the real server (in process, over HTTP) against the simulator, whose deliveries first
 * go to a port where nothing listens (the app down: GitHub records "failed to connect"). Once the app is reachable,
 * the redeliverer (every second here) lists the app's deliveries (`GET /app/hook/deliveries`, app JWT), asks for
 * each failed event once (`POST …/attempts`), and the redelivered pull request gets its check run; later runs ask
 * for nothing more, and nothing is done twice.
 */
import type { Server } from "probot";
import { fleetwardApp } from "../../src/app/index.js";
import { startServer } from "../../src/app/server.js";
import { closePolicySandbox } from "../../src/sandbox/index.js";
import { freePort } from "../helpers/free-port.js";
import { pollUntil } from "../helpers/poll-until.js";
import { setHttpAppEnv } from "../helpers/http-app-env.js";
import { GitHubSimulator, type RunningServer } from "../../src/simulator/github-simulator.js";

const CONFIG = `environments:
  - name: dev
    paths: ["envs/dev/**"]
`;

let sim: GitHubSimulator;
let api: RunningServer;
let server: Server;
let restoreEnv: (() => void) | undefined;
let port: number;

beforeAll(async () => {
  sim = new GitHubSimulator();
  api = await sim.listen();
  const app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": CONFIG, "envs/dev/web.yaml": "kind: ConfigMap\n" } });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  port = await freePort();
  restoreEnv = setHttpAppEnv(app, api, port, { FLEETWARD_REDELIVER_INTERVAL: "1s", FLEETWARD_RECONCILE_INTERVAL: "off", LOG_LEVEL: "silent" });
  server = await startServer(fleetwardApp({ now: () => sim.clock.now() }));
});

afterAll(async () => {
  await server?.stop();
  await api?.close();
  restoreEnv?.();
  await closePolicySandbox(); // the pull request's policy check started the worker pool
});

test("deliveries refused while the app was unreachable are redelivered once each, and complete", async () => {
  const down = sim.deliverTo(`http://127.0.0.1:${await freePort()}/api/github/webhooks`);
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "tweak", from: "main", files: { ".github/fleetward.yml": `${CONFIG}  - name: prod\n    paths: ["envs/prod/**"]\n    promotedFrom: dev\n` }, user: "alice", message: "Add prod" });
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "tweak", base: "main", title: "Add prod", user: "alice" });
  await expect(sim.settle()).rejects.toThrow(/webhook deliveries failed/);
  const failed = new Set(sim.webhooks.attempts.filter((a) => a.statusCode === 0).map((a) => a.guid));
  expect(failed.size).toBeGreaterThanOrEqual(2);
  expect(sim.checkRunsOf("acme", "gitops", pr.headSha)).toEqual([]);

  // The app is reachable again; a minute and more later (GitHub's own retries are over) the redeliverer acts.
  down();
  sim.deliverTo(`http://127.0.0.1:${port}/api/github/webhooks`);
  sim.clock.advance(2 * 60_000);
  const config = await pollUntil("the fleetward/config check run", () => sim.checkRunsOf("acme", "gitops", pr.headSha).find((r) => r.name === "fleetward/config" && r.status === "completed"));
  expect(config.conclusion).toBe("success");

  // Every failed event was redelivered exactly once, and succeeded; a few more runs ask for nothing.
  await pollUntil("every redelivery", () => ([...failed].every((g) => sim.webhooks.attempts.some((a) => a.guid === g && a.redelivery)) ? true : undefined));
  await new Promise((r) => setTimeout(r, 3500));
  await sim.settle();
  for (const guid of failed) {
    const again = sim.webhooks.attempts.filter((a) => a.guid === guid && a.redelivery);
    expect(again).toHaveLength(1);
    expect(again[0]!.statusCode).toBeGreaterThanOrEqual(200);
    expect(again[0]!.statusCode).toBeLessThan(300);
  }
  expect(sim.requestLog.filter((e) => e.operationId === "apps/redeliver-webhook-delivery")).toHaveLength(failed.size);
  expect(sim.checkRunsOf("acme", "gitops", pr.headSha).filter((r) => r.name === "fleetward/config")).toHaveLength(1);
  sim.assertNoViolations();
}, 120_000);
