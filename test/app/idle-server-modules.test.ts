/**
 * Issue 17: the idle server (the built `dist/src/app/server.js` with a GitHub App configured, no REDIS_URL) loads none
 * of the heavy modules before its first event: the compiler (binaryen), the Rego engine, the policy planners, the
 * renderer, ioredis, and not the config schema (zod), nor the promotion, rollback and analysis planners (Probot itself
 * loads the `yaml` package). Each capability loads on first use (src/app/lazy/, routeOnFirstRequest, the metrics' scrape-time readers;
 * redis-connection.ts requires ioredis when a connection is made). Modules are recorded by the resolution hook of
 * test/cli/lazy-compiler.
 */
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFleetFiles } from "../../src/demo/fleet-files.js";
import { appServerEnv } from "../../src/simulator/app-server-env.js";
import { GitHubSimulator } from "../../src/simulator/github-simulator.js";
import { freePort } from "../helpers/free-port.js";
import { pollUntil } from "../helpers/poll-until.js";
import { rssOf, spawnNode, waitForHttp, type Spawned } from "../helpers/spawned-process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TRACE = join(ROOT, "test", "cli", "lazy-compiler", "trace-modules.mjs");
const SERVER = join(ROOT, "dist", "src", "app", "server.js");
const HEAVY = /node_modules\/(binaryen|ioredis|js-yaml|ajv|graphql|re2js|zod|minimatch)\/|dist\/src\/(rego\/(?!wasm\/(defer-)?compiler-loading\.js)|render\/|sandbox\/(?!sandbox-limits\.js)|policy\/(?!check\/check-names\.js)|config\/(?!config-file-ref\.js|parse-duration\.js)|promotion\/(?!parse-promote-command\.js|fleet-status\/first-per-change\.js)|rollback\/|analysis\/|fleet\/)/;
/** What each capability loads on first use: the module behind its lazy wrapper. */
const CAPABILITY = {
  policyCheck: "/dist/src/app/run-policy-check.js",
  configSchema: "/node_modules/zod/",
  promotionEvents: "/dist/src/app/promotion/promotion-events.js",
  rollbackCommands: "/dist/src/app/run-rollback-command.js",
  promoteCommand: "/dist/src/app/promotion/run-promote-command.js",
  genericAlerts: "/dist/src/app/routes/generic-alerts-route.js",
  alertHandling: "/dist/src/app/rollback/handle-alert-group.js",
  grafanaAlerts: "/dist/src/app/routes/grafana-alerts-route.js",
  incidentGauges: "/dist/src/app/observability/fleet-state-read.js",
  reconciler: "/dist/src/app/promotion/reconcile-promotions.js",
} as const;

interface TracedServer {
  proc: Spawned;
  url: string;
  /** Every module resolved so far (file URLs). */
  modules(): string[];
  loaded(capability: keyof typeof CAPABILITY): boolean;
  stop(): Promise<void>;
}

/** The built server under the module trace hook, in a temp dir, answering /healthz. */
async function startTracedServer(env: Record<string, string>): Promise<TracedServer> {
  if (!existsSync(SERVER)) throw new Error("dist/ is not built: run `npx tsc -p tsconfig.build.json` (npm test does)");
  const dir = mkdtempSync(join(tmpdir(), "fleetward-idle-"));
  const trace = join(dir, "trace.txt");
  const port = await freePort();
  const proc = spawnNode(["--import", TRACE, SERVER], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", FLEETWARD_TRACE_MODULES: trace, ...env },
  });
  const stop = async () => {
    proc.stop();
    await proc.exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    const res = await waitForHttp(`${url}/healthz`, proc, 60_000);
    expect(res.status).toBe(200);
  } catch (error) {
    await stop();
    throw error;
  }
  const modules = () => readFileSync(trace, "utf8").split("\n").filter(Boolean);
  return { proc, url, modules, loaded: (c) => modules().some((m) => m.includes(CAPABILITY[c])), stop };
}

function heavyModules(server: TracedServer): string[] {
  return [...new Set(server.modules().filter((m) => HEAVY.test(m)))];
}

/** Runs `body`; on failure the server's log is added to the error. */
async function withLog(server: TracedServer, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    throw new Error(`${String(error)}\nserver log:\n${server.proc.output()}`, { cause: error });
  } finally {
    await server.stop();
  }
}

test("the idle server with a configured app loads no compiler, Rego engine, planner, config schema (zod), renderer or Redis client", async () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const server = await startTracedServer({ APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "idle-test" });
  await withLog(server, async () => {
    const modules = server.modules();
    // The configured app is loaded (its handlers and routes), so the absence below is not a server that stopped early.
    expect(modules.some((m) => m.endsWith("/dist/src/app/handlers/check-run.js"))).toBe(true);
    expect(modules.some((m) => m.endsWith("/dist/src/app/coordination/redis-connection.js"))).toBe(true);
    expect(modules.some((m) => m.endsWith("/dist/src/app/observability/fleet-state-gauges.js"))).toBe(true);
    expect(heavyModules(server)).toEqual([]);
    console.log(`idle server RSS with the trace hook: ${((await rssOf(server.proc.child.pid ?? 0)) / 2 ** 20).toFixed(1)} MiB (the hook adds a thread; the bench measures without it)`);
  });
}, 90_000);

const OWNER = "acme";
const REPO = "fleet";
const DEV_OVERLAY = "envs/dev/podinfo/kustomization.yaml";

test("through the simulator, each event family, route and the metrics scrape load their capability on first use, and work", async () => {
  const sim = new GitHubSimulator();
  const api = await sim.listen();
  const app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({ owner: OWNER, name: REPO, files: readFleetFiles() });
  sim.install({ appId: app.id, account: OWNER, repos: [REPO] });
  sim.setPermission(OWNER, REPO, "alice", "write");
  const alertToken = "idle-alerts-token";
  const server = await startTracedServer({ ...appServerEnv(app, api), ALERTS_BEARER_TOKEN: alertToken });
  const stopDeliveries = sim.deliverTo(`${server.url}/api/github/webhooks`);
  try {
    await withLog(server, async () => {
      expect(heavyModules(server)).toEqual([]);

      // push (of a branch): the promotion event handlers' work loads (and finds nothing to promote off the default branch).
      const text = sim.filesAt(OWNER, REPO)[DEV_OVERLAY] ?? "";
      sim.commitFiles({ owner: OWNER, repo: REPO, branch: "podinfo-6.5.0", user: "alice", files: { [DEV_OVERLAY]: text.replace(/newTag: "[^"]*"/, 'newTag: "6.5.0"') } });
      await pollUntil("the promotion events' module", () => server.loaded("promotionEvents") || undefined);
      expect(server.loaded("policyCheck")).toBe(false);

      // pull_request: the policy check (and with it the config schema) loads and judges the change.
      const change = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "podinfo-6.5.0", title: "podinfo 6.5.0 in dev", user: "alice" });
      const policy = await pollUntil("fleetward/policy on the pull request", () => sim.checkRunsOf(OWNER, REPO, change.headSha).find((r) => r.name === "fleetward/policy" && r.status === "completed"));
      expect(policy.conclusion).toBe("success");
      expect([server.loaded("policyCheck"), server.loaded("configSchema")]).toEqual([true, true]);
      expect([server.loaded("rollbackCommands"), server.loaded("promoteCommand")]).toEqual([false, false]);

      // issue_comment: `/unfreeze` on a pull request loads the rollback commands (not /promote's) and answers.
      sim.comment({ owner: OWNER, repo: REPO, number: change.number, body: "/unfreeze", user: "alice" });
      await pollUntil("the answer to /unfreeze", () => sim.comments(OWNER, REPO, change.number).find((c) => /works on a Fleetward incident issue/.test(c.body)));
      expect([server.loaded("rollbackCommands"), server.loaded("promoteCommand")]).toEqual([true, false]);

      // push (the merge into the default branch): the promotion into staging opens.
      sim.merge(OWNER, REPO, change.number, "alice", "merge");
      await pollUntil("the promotion pull request into staging", () => sim.pullRequests(OWNER, REPO).find((p) => p.headRef === "fleetward/promote/podinfo/staging"));

      // Alert routes: the first request to one path loads that route only.
      expect([server.loaded("genericAlerts"), server.loaded("alertHandling")]).toEqual([false, false]);
      const alert = await fetch(`${server.url}/api/alerts/generic`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${alertToken}` },
        body: JSON.stringify({ status: "firing", labels: { alertname: "Latency", severity: "ticket" }, alerts: [{ startsAt: new Date().toISOString() }] }),
      });
      expect(alert.status).toBe(200);
      expect(await alert.json()).toMatchObject({ status: "unmatched" });
      expect([server.loaded("genericAlerts"), server.loaded("alertHandling"), server.loaded("grafanaAlerts")]).toEqual([true, true, false]);

      // /metrics: the gauges were registered at start; their reader loads with the first scrape.
      expect(server.loaded("incidentGauges")).toBe(false);
      const scrape = await fetch(`${server.url}/metrics`);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toMatch(/^# TYPE fleetward_open_incidents gauge$/m);
      expect(server.loaded("incidentGauges")).toBe(true);
      // The reconciler's planners load with its first run, every 5 minutes (the default): not within this test.
      expect(server.loaded("reconciler")).toBe(false);
    });
  } finally {
    stopDeliveries();
    await api.close();
  }
}, 240_000);
