/**
 * Issue 15's acceptance for several replicas: three processes of the BUILT server (test/helpers/replicas.ts) with
 * one real redis-server (REDIS_URL), against the GitHub simulator over HTTP with 10 % seeded 502s (before or after
 * GitHub applied the request). Webhooks are spread round-robin; the merge is delivered to all three at once and the
 * alert is POSTed to all three at once (each sender retrying 5xx, as GitHub's redeliverer and Alertmanager do).
 * Then: one promotion pull request, one revert pull request, one incident; Redis killed → alerts answered 503,
 * webhooks failed, nothing written; Redis back → the retried alert and the redelivered webhook complete, once.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CreatedApp } from "../../src/simulator/github-simulator.js";
import { GitHubSimulator, type RunningServer } from "../../src/simulator/github-simulator.js";
import type { FaultInjector } from "../../src/simulator/fault-injection.js";
import type { WebhookDelivery } from "../../src/simulator/webhook-dispatcher.js";
import type { WebhookFanOut } from "../../src/simulator/webhook-fan-out.js";
import { readAlertFixture } from "../helpers/alert-fixtures.js";
import { buildServerCopy, replicaEnv, startReplicas, type Replicas, type ServerCopy } from "../helpers/replicas.js";
import { startRedis, type RedisServer } from "../helpers/real-servers/redis-server.js";
import { pollUntil } from "../helpers/real-servers/poll-until.js";
import { SLO_ROLLBACK_CONFIG } from "../helpers/slo-rollback-fleet.js";
import { withServerLogs } from "../helpers/real-servers/real-process.js";

const OWNER = "acme";
const REPO = "gitops";
const TOKEN = "replicas-alert-token";
const SEED = "issue-15-replicas";
const MINUTE = 60_000;


const INITIAL = {
  ".github/fleetward.yml": SLO_ROLLBACK_CONFIG,
  "envs/dev/checkout/deploy.yaml": "image: checkout:v1\n",
  "envs/staging/checkout/deploy.yaml": "image: checkout:v1\n",
  "envs/prod/checkout/deploy.yaml": "image: checkout:v1\n",
  "envs/dev/payments/deploy.yaml": "image: payments:v1\n",
  "envs/staging/payments/deploy.yaml": "image: payments:v1\n",
  "envs/prod/payments/deploy.yaml": "image: payments:v1\n",
  "clusters/prod-eu-1/checkout/patch.yaml": "replicas: 3\n",
  "clusters/prod-us-1/checkout/patch.yaml": "replicas: 3\n",
};

let sim: GitHubSimulator;
let api: RunningServer;
let app: CreatedApp;
let copy: ServerCopy | undefined;
let redis: RedisServer | undefined;
let replicas: Replicas | undefined;
let faults: FaultInjector;
let fanOut: WebhookFanOut;
/** Webhook deliveries that failed (a replica's error answer), as settle() reported them. */
const deliveryFailures: string[] = [];

beforeAll(async () => {
  // The sim's clock runs an hour behind the replicas' wall clock: every attempt GitHub lists is old enough for the
  // redeliverer (it waits a minute for GitHub's own retries), and the alert's times stay in the past.
  sim = new GitHubSimulator({ clockStart: new Date(Math.floor(Date.now() / 1000) * 1000 - 60 * MINUTE) });
  api = await sim.listen();
  app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({ owner: OWNER, name: REPO, files: INITIAL });
  sim.install({ appId: app.id, account: OWNER, repos: [REPO] });
  for (const u of ["alice", "bob"]) sim.setPermission(OWNER, REPO, u, "write");
  copy = buildServerCopy();
  step("server built");
  redis = await startRedis();
  replicas = await startReplicas(
    copy,
    3,
    replicaEnv(app, api, {
      REDIS_URL: redis.url,
      ALERTS_BEARER_TOKEN: TOKEN,
      FLEETWARD_REDELIVER_INTERVAL: "2s",
      FLEETWARD_RECONCILE_INTERVAL: "off",
      LOG_LEVEL: "info",
    }),
  );
  step("3 replicas ready");
  fanOut = sim.webhooks.spreadOver(replicas.list.map((r) => r.webhookUrl)).fanOut;
}, 600_000);

afterAll(async () => {
  await replicas?.stopAll();
  await redis?.stop();
  await api?.close();
  copy?.remove();
});

// ───────────────────────────── what GitHub holds ─────────────────────────────

const pulls = (prefix: string) => sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith(prefix));
const incidents = () => sim.issues(OWNER, REPO).filter((i) => sim.labelsOf(OWNER, REPO, i.number).includes("fleetward:incident"));
const payload = (d: WebhookDelivery) => d.payload as { ref?: string; action?: string; pull_request?: { number: number; merged?: boolean } };

/** The steps reached, with their time (printed when the test fails). */
const steps: string[] = [];
let started = Date.now();
const step = (what: string) => steps.push(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

/** Rejects after `ms` naming the last step reached (so a stuck run fails with its logs, before jest's timeout). */
async function within(ms: number, body: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the run took over ${ms} ms; last step: ${steps.at(-1) ?? "none"}`)), ms)));
  try {
    await Promise.race([body(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits (bounded) for the deliveries in flight, keeping (not throwing) the failures the replicas answered. */
async function settle(timeoutMs = 60_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`webhook deliveries still in flight after ${timeoutMs} ms`)), timeoutMs)));
  try {
    await Promise.race([sim.settle().catch((e: unknown) => void deliveryFailures.push((e as Error).message)), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Requests of the app's work (not its tokens, nor the redeliverer's polling of its deliveries every 2 s). */
const workRequests = () => sim.requestLog.filter((r) => !(r.operationId ?? "").startsWith("apps/")).length;

/** Until the app stopped calling GitHub for `quietMs` (a handler may go on after its delivery was answered). */
async function quiet(quietMs = 2_500, timeoutMs = 60_000): Promise<void> {
  let seen = -1;
  let since = Date.now();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await settle();
    if (workRequests() !== seen) {
      seen = workRequests();
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    if (Date.now() > deadline) throw new Error(`the replicas kept calling GitHub for ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A human change through a pull request, merged; `toAll` sends the merge's push and closed event to every replica. */
async function mergeChange(branch: string, files: Record<string, string>, toAll: boolean): Promise<{ number: number; pushGuid: () => string | undefined }> {
  sim.commitFiles({ owner: OWNER, repo: REPO, branch, files, user: "alice", message: `Change ${branch}` });
  const pr = sim.openPullRequest({ owner: OWNER, repo: REPO, head: branch, title: `Change ${branch}`, user: "alice" });
  step(`${branch}: pull request #${pr.number} opened`);
  await settle();
  const mergeEvent = (d: WebhookDelivery) =>
    (d.name === "push" && payload(d).ref === "refs/heads/main" && !d.redelivery) || (d.name === "pull_request" && payload(d).action === "closed" && payload(d).pull_request?.number === pr.number);
  fanOut.toAll(toAll ? mergeEvent : undefined);
  const from = sim.webhooks.deliveries().length;
  sim.merge(OWNER, REPO, pr.number, "alice", "merge");
  const pushGuid = () => sim.webhooks.deliveries().slice(from).find((d) => d.name === "push" && payload(d).ref === "refs/heads/main")?.id;
  step(`${branch}: merged`);
  await settle();
  step(`${branch}: merge delivered`);
  fanOut.toAll(undefined);
  return { number: pr.number, pushGuid };
}

// ───────────────────────────── alerts, as Alertmanager sends them ─────────────────────────────

/** The shared Alertmanager body with its times moved to `startsAt` (and `endsAt` kept as far after it). */
function alertBody(name: string, startsAt: Date): Record<string, unknown> {
  const body = readAlertFixture(name) as { alerts: Array<{ startsAt: string; endsAt: string }> };
  for (const a of body.alerts) {
    const shift = startsAt.getTime() - Date.parse(a.startsAt);
    a.startsAt = startsAt.toISOString();
    if (!a.endsAt.startsWith("0001-")) a.endsAt = new Date(Date.parse(a.endsAt) + shift).toISOString();
  }
  return body as unknown as Record<string, unknown>;
}

const postAlert = (url: string, body: unknown) =>
  fetch(`${url}/api/alerts/alertmanager`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });

/** One Alertmanager per replica, all at once, each retrying a 5xx every second until it is not (bounded): the statuses. */
async function alertAll(body: unknown, timeoutMs = 60_000): Promise<number[][]> {
  return Promise.all(
    replicas!.list.map(async (r) => {
      const statuses: number[] = [];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await postAlert(r.url, body);
        await res.text();
        statuses.push(res.status);
        if (res.status < 500 || Date.now() > deadline) return statuses;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }),
  );
}

/** What the replicas wrote to GitHub, in order (method, path, status). */
const writeLog = () =>
  sim.requestLog
    .filter((r) => r.method !== "GET" && !(r.operationId ?? "").startsWith("apps/create-installation"))
    .map((r) => `${r.method} ${r.url} [${r.operationId ?? "?"}] ${r.status}`)
    .join("\n");

const logs = () => [{ name: "steps", log: () => steps.join("\n") }, { name: "GitHub writes", log: writeLog }, ...(replicas?.list ?? []), ...(redis ? [{ name: "redis", log: () => redis!.log() }] : []), { name: "injected faults", log: () => faults?.describe() ?? "" }, { name: "failed deliveries", log: () => deliveryFailures.join("\n") }];

/** The logs' tails go in the failure message; on a failure their whole texts are kept in a temp dir it names. */
async function keepLogsOnFailure(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    const dir = mkdtempSync(join(tmpdir(), "fleetward-multi-replica-logs-"));
    for (const l of logs()) writeFileSync(join(dir, `${l.name.replace(/\W+/g, "-")}.log`), l.log());
    if (e instanceof Error) e.message = `${e.message}\n(whole logs kept in ${dir})`;
    throw e;
  }
}

test("3 replicas + Redis, 10 % injected 502s: one promotion, one revert, one incident; Redis down → 503 and failed deliveries, nothing doubled; back → completed", async () => {
  step("the run starts");
  started = Date.now();
  await withServerLogs(logs, () => keepLogsOnFailure(() => within(250_000, async () => {
    faults = sim.injectFaults({ seed: SEED, rate: 0.1 })!;

    // A prod change that will burn, merged six minutes before its alert starts.
    sim.clock.advance(2 * MINUTE);
    const burning = await mergeChange("checkout-v2-prod", { "envs/prod/checkout/deploy.yaml": "image: checkout:v2\n", "clusters/prod-eu-1/checkout/patch.yaml": "replicas: 5\n" }, false);
    // The dev change: its merge goes to all three replicas at once.
    sim.clock.advance(MINUTE);
    const devMerge = await mergeChange("checkout-v3-dev", { "envs/dev/checkout/deploy.yaml": "image: checkout:v3\n" }, true);
    const devPush = devMerge.pushGuid();
    expect(new Set(sim.webhooks.attempts.filter((a) => a.guid === devPush).map((a) => a.url))).toEqual(new Set(replicas!.list.map((r) => r.webhookUrl)));
    const promotion = await pollUntil("the checkout promotion to staging", async () => {
      await settle();
      const found = pulls("fleetward/promote/checkout/staging");
      return found.length > 0 ? found : undefined;
    }, 90_000);
    step("checkout promotion opened");
    expect(promotion[0]!.issue.state).toBe("open");
    expect(sim.filesAt(OWNER, REPO, promotion[0]!.headSha)["envs/staging/checkout/deploy.yaml"]).toBe("image: checkout:v3\n");

    // The alert, to all three at once.
    sim.clock.advance(3 * MINUTE);
    const startsAt = new Date(sim.clock.now().getTime() + 2 * MINUTE);
    const firing = await alertAll(alertBody("alertmanager-v4-slo-burn-firing.constructed.json", startsAt));
    step(`firing alert answered: ${JSON.stringify(firing)}`);
    expect(firing.map((s) => s.at(-1))).toEqual([200, 200, 200]);
    await quiet();
    step("quiet after the alert");
    // (How many of each is asserted at the end, after the outage, so that one run shows every duplicate.)
    expect(pulls("fleetward/rollback/")[0]!.issue.body).toContain(`#${burning.number}`);
    expect(incidents().map((i) => i.state)).toContain("open");

    // Redis killed: alerts are answered 503, a webhook fails, nothing is written. (What is seen here is asserted at
    // the end, so that one run reports every phase; the steps log has it too.)
    await redis!.kill();
    step("redis killed");
    const killedAt = sim.requestLog.length;
    const resolved = alertBody("alertmanager-v4-slo-burn-resolved.constructed.json", startsAt);
    const down = await Promise.all(replicas!.list.map(async (r) => (await postAlert(r.url, resolved)).status));
    step(`resolved alert while down: ${JSON.stringify(down)}`);
    const payMerge = await mergeChange("payments-v2-dev", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" }, false);
    const payPush = payMerge.pushGuid()!;
    const payStatuses = sim.webhooks.attempts.filter((a) => a.guid === payPush).map((a) => a.statusCode);
    step(`payments push ${payPush} while down answered ${JSON.stringify(payStatuses)}`);
    await new Promise((r) => setTimeout(r, 5_000)); // two redeliverer ticks: no leader without Redis, nothing asked
    await settle();
    const redeliveredWhileDown = sim.webhooks.attempts.filter((a) => a.guid === payPush && a.redelivery).length;
    const paymentsWhileDown = pulls("fleetward/promote/payments/").length;
    const incidentStatesWhileDown = incidents().map((i) => i.state);
    // At most the payments pull request's own check runs may be written (they take no lock). GraphQL is read only here.
    const writtenWhileDown = [...new Set(sim.requestLog.slice(killedAt).filter((r) => r.method !== "GET" && r.operationId !== "graphql" && !(r.operationId ?? "").startsWith("apps/")).map((r) => r.operationId))];
    step(`while down: ${redeliveredWhileDown} redeliveries, ${paymentsWhileDown} payments promotions, incidents ${JSON.stringify(incidentStatesWhileDown)}, writes ${JSON.stringify(writtenWhileDown)}`);

    // Redis back: the Alertmanagers' retries complete (one "Resolved" note, the incident closed), the redeliverer
    // (the leader) asks for the failed push once and the payments promotion opens.
    await redis!.restart();
    step("redis restarted");
    const recovered = await alertAll(resolved, 30_000);
    step(`resolved alert retried: ${JSON.stringify(recovered.map((statuses) => `${statuses.length} × ${statuses.at(-1)}`))}`);
    const paymentsPromotion = await pollUntil("the redelivered payments push's promotion", async () => {
      await settle();
      const found = pulls("fleetward/promote/payments/staging");
      return found.length > 0 ? found : undefined;
    }, 40_000).catch(() => []);
    step(`payments promotions: ${paymentsPromotion.length}`);
    await quiet();
    const redelivered = sim.webhooks.attempts.filter((a) => a.guid === payPush && a.redelivery);
    step(`payments push redelivered: ${JSON.stringify(redelivered.map((a) => a.statusCode))}`);

    step(`final: promotions ${pulls("fleetward/promote/").map((p) => p.headRef).join(", ")}; rollbacks ${pulls("fleetward/rollback/").length}; incidents ${JSON.stringify(incidents().map((i) => `#${i.number} ${i.state}`))}`);
    // While down: 503s, the push failed, nothing asked or written.
    expect(down).toEqual([503, 503, 503]);
    expect(payStatuses.length).toBeGreaterThan(0);
    expect(payStatuses.every((code) => code >= 500 || code === 0)).toBe(true);
    expect(redeliveredWhileDown).toBe(0);
    expect(paymentsWhileDown).toBe(0);
    expect(incidentStatesWhileDown).not.toContain("closed");
    expect(writtenWhileDown.filter((op) => op !== "checks/create" && op !== "checks/update")).toEqual([]);
    // Back: the retried alert and the redelivered push completed.
    expect(recovered.map((statuses) => statuses.at(-1))).toEqual([200, 200, 200]);
    expect(redelivered.some((a) => a.statusCode >= 200 && a.statusCode < 300)).toBe(true);
    // Nothing doubled, nothing lost.
    expect(pulls("fleetward/promote/payments/staging")).toHaveLength(1);
    expect(pulls("fleetward/promote/checkout/staging")).toHaveLength(1);
    expect(pulls("fleetward/rollback/")).toHaveLength(1);
    expect(incidents()).toHaveLength(1);
    expect(incidents()[0]!.state).toBe("closed");
    const rollback = pulls("fleetward/rollback/")[0]!;
    expect(sim.comments(OWNER, REPO, rollback.number).filter((c) => c.body.startsWith("Resolved:"))).toHaveLength(1);
    // Webhooks were spread over all three; 502s of both kinds happened.
    expect([...fanOut.sent.values()].every((n) => n >= 3)).toBe(true);
    expect(faults.log.some((f) => f.when === "before")).toBe(true);
    expect(faults.log.some((f) => f.when === "after")).toBe(true);
    sim.assertNoViolations();
  })));
}, 280_000);
