/**
 * The alert pipeline with real components: Debian's Prometheus scrapes a /metrics endpoint the test flips
 * between healthy and erroring and evaluates an SLO alerting rule; Debian's Alertmanager (three of them, none
 * peered) delivers to the real Probot server (`startServer`, as `npm start`) at /api/alerts/alertmanager with a
 * bearer token; the app acts on the GitHub simulator over HTTP. Each Alertmanager posts through its own fault
 * proxy, which records the answers and can inject failures. Nothing here sleeps a fixed time: every step polls
 * the simulator's state or the proxies' records with a bound.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import pino from "pino";
import type { Server } from "probot";
import { fleetwardApp } from "../../src/app/index.js";
import { startServer } from "../../src/app/server.js";
import { closePolicySandbox } from "../../src/sandbox/index.js";
import { freePort } from "../helpers/free-port.js";
import { setHttpAppEnv } from "../helpers/http-app-env.js";
import { startAlertmanager, type AlertmanagerServer } from "../helpers/real-servers/alertmanager-server.js";
import { startFaultProxy, type FaultProxy } from "../helpers/real-servers/fault-proxy.js";
import { startMetricsEndpoint, type MetricsEndpoint } from "../helpers/real-servers/metrics-endpoint.js";
import { pollUntil } from "../helpers/real-servers/poll-until.js";
import { startPrometheus, type PrometheusServer } from "../helpers/real-servers/prometheus-server.js";
import { withServerLogs } from "../helpers/real-servers/real-process.js";
import { GitHubSimulator, type RunningServer } from "../../src/simulator/github-simulator.js";

const OWNER = "acme";
const REPO = "gitops";
const TOKEN = "alert-pipeline-token";
const DASHBOARD = "https://grafana.example.com/d/checkout-slo/checkout";

const CONFIG = `environments:
  - name: staging
    paths: ["envs/staging/**"]
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: staging
clusters:
  - name: prod-eu-1
    environment: prod
    paths: ["clusters/prod-eu-1/**"]
rollback:
  rules:
    - name: slo-pages
      match: ["severity=page"]
      environment: { label: env, map: { production: prod } }
      cluster: { label: cluster, optional: true }
      component: { label: service, optional: true }
dashboards:
  components:
    checkout: "${DASHBOARD}?var-env={{environment}}&var-cluster={{cluster}}"
`;

/** A fenced YAML block of docs/rollback.md, found by the HTML comment before it. */
function docBlock(marker: string): string {
  const text = readFileSync(join(import.meta.dirname, "..", "..", "docs", "rollback.md"), "utf8");
  const block = new RegExp(`<!-- ${marker} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\`\`\``).exec(text)?.[1];
  if (block === undefined) throw new Error(`docs/rollback.md has no yaml block after <!-- ${marker} -->`);
  return block;
}

/** The documented rule (more than 5 % of requests answered 5xx), with its 5 m window and 2 m `for:` made seconds. */
const RULES_YAML = docBlock("prometheus-rule-example").replaceAll("[5m]", "[5s]").replace("for: 2m", "for: 1s");
if (!RULES_YAML.includes("[5s]") || !RULES_YAML.includes("for: 1s")) throw new Error("the documented rule no longer has a [5m] window and for: 2m to shorten");

/** Bound of each wait; generous for a loaded 2-core machine (a delivery the app handles took up to ~20 s under load 17). */
const STEP_MS = 45_000;

describe("real Prometheus → real Alertmanager → Fleetward → GitHub simulator", () => {
  let sim: GitHubSimulator;
  let api: RunningServer;
  let server: Server | undefined;
  let restoreEnv: (() => void) | undefined;
  let metrics: MetricsEndpoint | undefined;
  let prometheus: PrometheusServer | undefined;
  let ams: AlertmanagerServer[] = [];
  let proxies: FaultProxy[] = [];
  let changePull: number;
  const appLog: string[] = [];

  const wrongProxy = () => proxies[0]!;
  const proxyA = () => proxies[1]!;
  const proxyB = () => proxies[2]!;
  const rollbackPulls = () => sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith("fleetward/rollback/"));
  const incidents = () => sim.issues(OWNER, REPO).filter((i) => sim.labelsOf(OWNER, REPO, i.number).includes("fleetward:incident"));
  /**
   * What an alert could make the app write (branches, commits, pull requests, issues, comments, labels), as
   * "METHOD operationId url" (check runs are not about alerts).
   */
  const alertWrites = () =>
    sim.requestLog.filter((r) => r.method !== "GET" && /^(git|pulls|issues)\//.test(r.operationId ?? "")).map((r) => `${r.method} ${r.operationId} ${r.url}`);
  const logs = () => [
    ...(prometheus ? [{ name: "prometheus", log: () => prometheus!.log() }] : []),
    ...ams,
    { name: "fleetward", log: () => appLog.join("") },
    { name: "proxies", log: () => JSON.stringify(proxies.map((p) => p.requests.map((r) => ({ status: r.status, injected: r.injected, answer: r.answer }))), null, 1) },
  ];
  /** Deliveries the app answered (not injected) with `status`, of notifications whose status is `alertStatus`. */
  const answered = (proxy: FaultProxy, status: number, alertStatus: "firing" | "resolved") =>
    proxy.requests.filter((r) => !r.injected && r.status === status && (r.body as { status?: string } | null)?.status === alertStatus);

  beforeAll(async () => {
    // GitHub's clock 30 minutes behind the wall clock: the change merged "now" in the simulator precedes the
    // alert's real start, within the default 7 d look-back.
    sim = new GitHubSimulator({ clockStart: new Date(Date.now() - 30 * 60_000).toISOString() });
    api = await sim.listen();
    const app = sim.createApp({ slug: "fleetward" });
    sim.createRepo({
      owner: OWNER,
      name: REPO,
      files: {
        ".github/fleetward.yml": CONFIG,
        "envs/staging/checkout/deploy.yaml": "image: checkout:v1\n",
        "envs/prod/checkout/deploy.yaml": "image: checkout:v1\n",
        "clusters/prod-eu-1/checkout/patch.yaml": "replicas: 3\n",
      },
    });
    sim.install({ appId: app.id, account: OWNER, repos: [REPO] });
    // The change the alert will blame, merged before the app listens (its push's checks are not this test's).
    sim.commitFiles({ owner: OWNER, repo: REPO, branch: "checkout-v2", user: "alice", message: "checkout v2", files: { "envs/prod/checkout/deploy.yaml": "image: checkout:v2\n", "clusters/prod-eu-1/checkout/patch.yaml": "replicas: 5\n" } });
    const pr = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "checkout-v2", title: "checkout v2 in prod", user: "alice" });
    sim.merge(OWNER, REPO, pr.number, "alice", "merge");
    changePull = pr.number;
    const port = await freePort();
    restoreEnv = setHttpAppEnv(app, api, port, { ALERTS_BEARER_TOKEN: TOKEN });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        appLog.push(chunk.toString());
        done();
      },
    });
    server = await startServer(fleetwardApp(), { log: pino({ level: "info" }, sink) });
    const base = `http://127.0.0.1:${port}`;
    sim.deliverTo(`${base}/api/github/webhooks`);


    proxies = await Promise.all([0, 1, 2].map(() => startFaultProxy(base)));
    metrics = await startMetricsEndpoint();
    const hook = (proxy: FaultProxy) => `${proxy.url}/api/alerts/alertmanager`;
    const started = await Promise.allSettled([
      startAlertmanager({ name: "alertmanager-wrong-token", webhookUrl: hook(proxies[0]!), bearerToken: "not-the-token" }),
      startAlertmanager({ name: "alertmanager-a", webhookUrl: hook(proxies[1]!), bearerToken: TOKEN }),
      startAlertmanager({ name: "alertmanager-b", webhookUrl: hook(proxies[2]!), bearerToken: TOKEN }),
      startPrometheus({
        scrape: [{ job: "checkout", targets: [metrics.target], labels: { env: "production", cluster: "prod-eu-1", service: "checkout" } }],
        rulesYaml: RULES_YAML,
        alertmanagers: [],
      }),
    ]);
    ams = started.flatMap((s) => (s.status === "fulfilled" && "metric" in s.value ? [s.value] : []));
    const prom = started[3];
    if (prom.status === "fulfilled") prometheus = prom.value as PrometheusServer;
    const failed = started.flatMap((s) => (s.status === "rejected" ? [(s.reason as Error).message] : []));
    if (failed.length > 0) throw new Error(`servers did not start:\n${failed.join("\n")}`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([prometheus?.stop(), ...ams.map((am) => am.stop())]);
    await Promise.all([metrics?.close(), ...proxies.map((p) => p.close())]);
    await server?.stop();
    await api?.close();
    await closePolicySandbox(); // the merged change's policy check started the worker pool
    restoreEnv?.();
  }, 30_000);

  afterEach(async () => {
    await sim.settle();
    sim.assertNoViolations();
  });

  test("an Alertmanager with a wrong token gets 401 for the real alert and opens nothing", () =>
    withServerLogs(logs, async () => {
      await prometheus!.reload({ alertmanagers: [ams[0]!.target] });
      const before = alertWrites().length;
      metrics!.setErroring(true);
      const refused = await pollUntil("the wrong-token Alertmanager's delivery is answered", async () => wrongProxy().requests.find((r) => !r.injected), STEP_MS);
      expect(refused.status).toBe(401);
      expect(refused.answer).toContain("unauthorized");
      expect((refused.body as { status: string; alerts: { labels: Record<string, string> }[] }).alerts[0]!.labels).toMatchObject({
        alertname: "CheckoutHighErrorRate",
        env: "production",
        cluster: "prod-eu-1",
        service: "checkout",
        severity: "page",
      });
      await sim.settle();
      expect(alertWrites().slice(before)).toEqual([]);
      expect(rollbackPulls()).toHaveLength(0);
      expect(incidents()).toHaveLength(0);
    }), 100_000);

  test("two unpeered Alertmanagers, each first answered 503 and retrying: one revert pull request and one incident", () =>
    withServerLogs(logs, async () => {
      proxyA().failNext(1, 503);
      proxyB().failNext(1, 503);
      // The alert still fires; Prometheus resends it every second to the Alertmanagers it now has.
      await prometheus!.reload({ alertmanagers: [ams[1]!.target, ams[2]!.target] });
      await pollUntil(
        "both Alertmanagers' retries are answered 200",
        async () => (answered(proxyA(), 200, "firing").length > 0 && answered(proxyB(), 200, "firing").length > 0 ? true : undefined),
        STEP_MS,
      );
      await sim.settle();
      for (const proxy of [proxyA(), proxyB()]) expect(proxy.requests[0]).toMatchObject({ status: 503, injected: true });
      expect(await ams[1]!.metric("alertmanager_notification_requests_failed_total", { integration: "webhook" })).toBeGreaterThanOrEqual(1);
      expect(rollbackPulls()).toHaveLength(1);
      expect(incidents()).toHaveLength(1);

      const [pull] = rollbackPulls();
      expect(pull!.issue.title).toBe("Roll back checkout in prod-eu-1: CheckoutHighErrorRate");
      expect(sim.filesAt(OWNER, REPO, pull!.headSha)).toMatchObject({ "envs/prod/checkout/deploy.yaml": "image: checkout:v1\n", "clusters/prod-eu-1/checkout/patch.yaml": "replicas: 3\n" });
      const body = pull!.issue.body ?? "";
      expect(body).toContain(`#${changePull}`);
      // Alert links: Prometheus's own generatorURL, the Alertmanager that sent it, the component's dashboard.
      expect(body).toContain(`](${prometheus!.url}/graph?g0.expr=`);
      expect(body).toMatch(new RegExp(`\\[Alertmanager\\]\\((${ams[1]!.url}|${ams[2]!.url})/\\)`));
      expect(body).toContain(`[checkout dashboard](${DASHBOARD}?var-env=prod&var-cluster=prod-eu-1)`);
      const [incident] = incidents();
      expect(incident!.title).toBe("Incident in prod-eu-1: CheckoutHighErrorRate");
      expect(incident!.state).toBe("open");
      expect(incident!.body).toContain(`Rollback: #${pull!.number}`);
      expect(incident!.body).toContain(`](${prometheus!.url}/graph?g0.expr=`);
      expect(incident!.body).toContain(`[checkout dashboard](${DASHBOARD}?var-env=prod&var-cluster=prod-eu-1)`);
    }), 100_000);

  test("recovery: the resolved notifications close the incident once; the revert pull request is told once", () =>
    withServerLogs(logs, async () => {
      metrics!.setErroring(false);
      const closed = await pollUntil("the incident closes", async () => incidents().find((i) => i.state === "closed"), STEP_MS);
      await pollUntil(
        "both Alertmanagers' resolutions are answered 200",
        async () => (answered(proxyA(), 200, "resolved").length > 0 && answered(proxyB(), 200, "resolved").length > 0 ? true : undefined),
        STEP_MS,
      );
      await sim.settle();
      expect(incidents()).toHaveLength(1);
      expect(closed.body).toContain("All alerts have resolved.");
      const [pull] = rollbackPulls();
      expect(rollbackPulls()).toHaveLength(1);
      expect(pull!.issue.state).toBe("open");
      expect(sim.comments(OWNER, REPO, pull!.number).filter((c) => c.body.startsWith("Resolved: CheckoutHighErrorRate"))).toHaveLength(1);
      expect(sim.comments(OWNER, REPO, closed.number).filter((c) => c.body.startsWith("All alerts of this incident have resolved"))).toHaveLength(1);
    }), 100_000);

  test("the documented rule and receiver pass promtool check rules and amtool check-config", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fleetward-docs-"));
    try {
      await writeFile(join(dir, "rules.yml"), docBlock("prometheus-rule-example"));
      await writeFile(join(dir, "alertmanager.yml"), docBlock("alertmanager-receiver-example"));
      const run = promisify(execFile);
      expect((await run("/usr/bin/promtool", ["check", "rules", join(dir, "rules.yml")])).stdout).toContain("SUCCESS: 1 rules found");
      expect((await run("/usr/bin/amtool", ["check-config", join(dir, "alertmanager.yml")])).stdout).toMatch(/SUCCESS[\s\S]*2 receivers/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
