/**
 * The alert route with REDIS_URL, through the real server (`startServer`) against the GitHub simulator over HTTP and
 * a real redis-server: answered while Redis is up; with Redis killed, 503 `coordination_unavailable` with
 * Retry-After, quickly, and nothing written to GitHub; answered again after Redis restarts, without restarting the app.
 * Probot's request throttling stays in the process (FLEETWARD_THROTTLE_REDIS unset): the coordinator's is the only
 * Redis client, so GitHub requests still work after Redis lost its data (see probot-throttle-redis.test.ts).
 */
import { Redis } from "ioredis";
import type { Server } from "probot";
import { fleetwardApp } from "../../../src/app/index.js";
import { startServer } from "../../../src/app/server.js";
import { coordinatorOf } from "../../../src/app/coordination/app-coordinator.js";
import { GitHubSimulator, type RunningServer } from "../../../src/simulator/github-simulator.js";
import { readAlertFixture } from "../../helpers/alert-fixtures.js";
import { freePort } from "../../helpers/free-port.js";
import { setHttpAppEnv } from "../../helpers/http-app-env.js";
import { startRedis, type RedisServer } from "../../helpers/real-servers/redis-server.js";
import { withServerLogs } from "../../helpers/real-servers/real-process.js";

const TOKEN = "alert-token";
let sim: GitHubSimulator;
let api: RunningServer;
let redis: RedisServer;
let server: Server;
let restoreEnv: (() => void) | undefined;
let port: number;

// Every ioredis client made in this file: counted, and closed in afterAll.
const clients: Redis[] = [];
const connect = Redis.prototype.connect;
Redis.prototype.connect = function (this: Redis, ...args: Parameters<Redis["connect"]>) {
  clients.push(this);
  return connect.apply(this, args);
};

beforeAll(async () => {
  redis = await startRedis();
  sim = new GitHubSimulator();
  api = await sim.listen();
  const app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": 'environments:\n  - name: dev\n    paths: ["envs/dev/**"]\n' } });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  port = await freePort();
  restoreEnv = setHttpAppEnv(app, api, port, { REDIS_URL: redis.url, FLEETWARD_REDIS_TIMEOUT: "1s", FLEETWARD_LOCK_TTL: "3s", ALERTS_BEARER_TOKEN: TOKEN, LOG_LEVEL: "silent" });
  server = await startServer(fleetwardApp({ now: () => sim.clock.now() }));
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await coordinatorOf(server)?.close();
  for (const c of clients) c.disconnect();
  Redis.prototype.connect = connect;
  await api?.close();
  await redis?.stop();
  restoreEnv?.();
});

async function postAlert(): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null; ms: number }> {
  const started = Date.now();
  const res = await fetch(`http://127.0.0.1:${port}/api/alerts/alertmanager`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(readAlertFixture("alertmanager-v4-slo-burn-firing.constructed.json")),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, retryAfter: res.headers.get("retry-after"), ms: Date.now() - started };
}

const writes = () => sim.requestLog.filter((e) => e.method !== "GET" && e.operationId !== "apps/create-installation-access-token");

test("Redis down: the alert is answered 503 coordination_unavailable at once and nothing is written; after a restart it is handled", () =>
  withServerLogs(() => [redis], async () => {
    const up = await postAlert();
    expect(up.status).toBe(200);
    expect(up.body.status).toBe("unmatched"); // the repository's lock was taken and its configuration read
    const before = writes().length;
    expect(clients.length).toBe(1); // the coordinator's; Probot's throttling is not on Redis by default

    await redis.kill();
    const down = await postAlert();
    expect(down.status).toBe(503);
    expect(down.retryAfter).toBe("30");
    expect(down.body).toMatchObject({ error: "coordination_unavailable" });
    expect(down.body.message).toMatch(/^handling the Alertmanager v4 notification ".+": nothing was done, the coordination store \(Redis\) is unreachable; retry later$/);
    expect(down.ms).toBeLessThan(5_000);
    expect(writes().length).toBe(before);

    await redis.restart();
    const deadline = Date.now() + 15_000;
    let again = await postAlert();
    while (again.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      again = await postAlert();
    }
    expect({ status: again.status, body: again.body }).toMatchObject({ status: 200, body: { status: "unmatched" } });
    sim.assertNoViolations();
  }), 60_000);
