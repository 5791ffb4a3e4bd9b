/**
 * Analysis gates end to end (issue 16): the real app against the GitHub simulator, measuring a REAL Prometheus
 * (Debian's, started on a free port) that scrapes a metrics endpoint the test flips between healthy and erroring.
 * The app reads bake time from the simulator's clock; Prometheus runs in real time (1 s scrapes, 5 s windows).
 */
import { jest } from "@jest/globals";
import { fleetwardApp } from "../../../src/app/index.js";
import { reconcilePromotions } from "../../../src/app/promotion/reconcile-promotions.js";
import { ConfigStore } from "../../../src/app/repo-config.js";
import { decodeRecord } from "../../../src/analysis/analysis-state-codec.js";
import { createTestProbot } from "../../helpers/create-test-probot.js";
import { freePort } from "../../helpers/free-port.js";
import type { MetricsEndpoint } from "../../helpers/real-servers/metrics-endpoint.js";
import { startMetricsEndpoint } from "../../helpers/real-servers/metrics-endpoint.js";
import { pollUntil } from "../../helpers/real-servers/poll-until.js";
import type { PrometheusServer } from "../../helpers/real-servers/prometheus-server.js";
import { startPrometheus } from "../../helpers/real-servers/prometheus-server.js";
import { withServerLogs } from "../../helpers/real-servers/real-process.js";
import { useGitHubSimulator } from "../../helpers/use-github-simulator.js";

jest.setTimeout(120_000);

const h = useGitHubSimulator();
const OWNER = "acme";
const REPO = "gitops";
const MINUTE = 60_000;
const RATIO =
  'sum(rate(http_requests_total{code="500",cluster=~"{{cluster}}"}[5s])) / sum(rate(http_requests_total{cluster=~"{{cluster}}"}[5s]))';

let metrics: MetricsEndpoint;
let prometheus: PrometheusServer;
const savedServers = process.env.FLEETWARD_PROMETHEUS_SERVERS;

beforeAll(async () => {
  metrics = await startMetricsEndpoint();
  prometheus = await startPrometheus({ scrape: [{ job: "payments", targets: [metrics.target], labels: { cluster: "prod-eu-1" } }] });
  await withServerLogs(() => [{ name: "prometheus", log: () => prometheus.log() }], async () => {
    await pollUntil("Prometheus has a request rate", async () => ((await prometheus.query('sum(rate(http_requests_total[5s]))'))[0]?.value ?? 0) > 0 || undefined, 30_000);
  });
});

afterAll(async () => {
  if (savedServers === undefined) delete process.env.FLEETWARD_PROMETHEUS_SERVERS;
  else process.env.FLEETWARD_PROMETHEUS_SERVERS = savedServers;
  await prometheus?.stop();
  await metrics?.close();
});

function config(analysis: string): string {
  return `environments:
  - name: staging
    paths: ["envs/staging/**"]
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: staging
    settings:
      analysis: { server: prod }
clusters:
  - { name: prod-eu-1, environment: prod, paths: ["clusters/prod-eu-1/**"] }
  - { name: prod-us-1, environment: prod, paths: ["clusters/prod-us-1/**"] }
promotion:
  waves:
    prod:
      - { name: canary, clusters: [prod-eu-1], bake: 2m }
      - { name: rest, clusters: [prod-us-1] }
analyses:
  - name: error-ratio
    scopes: [prod/canary]
    query: '${RATIO}'
    threshold: "< 0.05"
    interval: 1m
    count: 3
${analysis}settings:
  promotion:
    mode: auto
    gates:
      policyCheck: ""
`;
}

/** The app against the simulator with `analysis` added to the config; a change merged into staging opens the canary promotion (gates evaluated). */
async function mergeIntoStaging(prometheusUrl: string, analysis: string) {
  process.env.FLEETWARD_PROMETHEUS_SERVERS = JSON.stringify({ prod: { url: prometheusUrl, timeout: "2s", retries: 1 } });
  const sim = h.sim;
  sim.createRepo({
    owner: OWNER,
    name: REPO,
    files: {
      ".github/fleetward.yml": config(analysis),
      "envs/staging/payments/deploy.yaml": "image: payments:v1\n",
      "clusters/prod-eu-1/payments/deploy.yaml": "image: payments:v1\n",
      "clusters/prod-us-1/payments/deploy.yaml": "image: payments:v1\n",
    },
  });
  const now = () => sim.clock.now();
  const { probot, app } = await createTestProbot({ sim, appFn: fleetwardApp({ now }) });
  sim.install({ appId: app.id, account: OWNER, repos: [REPO] });
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "v2", files: { "envs/staging/payments/deploy.yaml": "image: payments:v2\n" }, user: "alice", message: "v2" });
  const change = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "v2", title: "v2", user: "alice" });
  await sim.settle();
  sim.merge(OWNER, REPO, change.number, "alice", "merge");
  await sim.settle();
  const reconcile = async () => {
    await reconcilePromotions(probot, { store: new ConfigStore(), now });
    await sim.settle();
  };
  return { sim, reconcile };
}

/** Staging merged, then the canary promotion merged: the canary wave bakes. */
async function setup(prometheusUrl: string, analysis = "") {
  const { sim, reconcile } = await mergeIntoStaging(prometheusUrl, analysis);
  const canary = openPromotion(sim, "prod/canary");
  if (!canary) throw new Error("the canary promotion did not open");
  sim.merge(OWNER, REPO, canary.number, "alice", "merge");
  await sim.settle();
  const mergeSha = sim.pullRequests(OWNER, REPO).find((p) => p.number === canary.number)?.merge_commit_sha ?? "";
  return { sim, reconcile, canary, mergeSha };
}

type Sim = typeof h.sim;
const openPromotion = (sim: Sim, target: string) =>
  sim.pullRequests(OWNER, REPO).find((p) => p.issue.state === "open" && p.headRef === `fleetward/promote/payments/${target}`);
const analysisRun = (sim: Sim, sha: string) => sim.checkRunsOf(OWNER, REPO, sha).find((r) => r.name === "fleetward/analysis");
const lastComment = (sim: Sim, number: number) => sim.comments(OWNER, REPO, number).at(-1)?.body ?? "";

const logs = () => [{ name: "prometheus", log: () => prometheus.log() }];

/** The endpoint is healthy and the 5 s rate window holds no errors from an earlier test. */
async function untilHealthy(): Promise<void> {
  metrics.setErroring(false);
  await pollUntil("the error rate is 0", async () => ((await prometheus.query('sum(rate(http_requests_total{code="500"}[5s]))'))[0]?.value === 0) || undefined, 30_000);
}

test("a healthy wave: measured during the bake, the next wave waits for the last measurement, then opens", async () => {
  await withServerLogs(logs, async () => {
    await untilHealthy();
    const { sim, reconcile, canary, mergeSha } = await setup(prometheus.url);
    await reconcile();
    expect(analysisRun(sim, mergeSha)).toMatchObject({ status: "in_progress" });
    sim.clock.advance(MINUTE);
    await reconcile();
    expect(decodeRecord(analysisRun(sim, mergeSha)?.output.text)?.runs[0]?.measurements.map((m) => [m.phase, m.value])).toEqual([
      ["successful", 0],
      ["successful", 0],
    ]);
    expect(openPromotion(sim, "prod/rest")).toBeUndefined();
    // The bake (2m) is over, but only the third measurement, due now, completes the analysis.
    sim.clock.advance(MINUTE + 1000);
    await reconcile();
    expect(analysisRun(sim, mergeSha)).toMatchObject({ status: "completed", conclusion: "success" });
    expect(openPromotion(sim, "prod/rest")).toBeDefined();
    const said = sim.comments(OWNER, REPO, canary.number).map((c) => c.body).join("\n");
    expect(said).toContain("✅ Analysis of payments in `prod/canary` passed.");
    expect(said).toContain("Bake of `prod/canary` passed");
  });
});

test("a wave whose query breaches its threshold fails its analysis and does not open the next wave", async () => {
  metrics.setErroring(true);
  try {
    await withServerLogs(logs, async () => {
      await pollUntil("the error ratio is above 0.05", async () => ((await prometheus.query(RATIO.replace(/\{\{cluster\}\}/g, "prod-eu-1")))[0]?.value ?? 0) > 0.05 || undefined, 30_000);
      const { sim, reconcile, canary, mergeSha } = await setup(prometheus.url);
      await reconcile();
      expect(analysisRun(sim, mergeSha)).toMatchObject({ status: "completed", conclusion: "failure" });
      sim.clock.advance(10 * MINUTE);
      await reconcile();
      expect(openPromotion(sim, "prod/rest")).toBeUndefined();
      const said = lastComment(sim, canary.number);
      expect(said).toMatch(/^⛔ Rollout of payments halted before `prod\/rest`: analysis failed: error-ratio: failed: value [0-9.]+ \{\} is not < 0.05/);
      expect(said).toContain('sum(rate(http_requests_total{code="500",cluster=~"prod-eu-1"}[5s]))');
      expect(sim.labelsOf(OWNER, REPO, canary.number)).not.toContain("fleetward:baking");
    });
  } finally {
    metrics.setErroring(false);
  }
});

test("Prometheus down: the analysis fails closed after errorTimeout with a clear message; the next wave stays closed", async () => {
  const down = `http://127.0.0.1:${await freePort()}`;
  const { sim, reconcile, canary, mergeSha } = await setup(down, "    errorTimeout: 1m\n");
  await reconcile();
  // One error is not yet a verdict: the run retries until errorTimeout.
  expect(analysisRun(sim, mergeSha)).toMatchObject({ status: "in_progress" });
  sim.clock.advance(MINUTE);
  await reconcile();
  expect(analysisRun(sim, mergeSha)).toMatchObject({ status: "completed", conclusion: "failure" });
  sim.clock.advance(10 * MINUTE);
  await reconcile();
  expect(openPromotion(sim, "prod/rest")).toBeUndefined();
  expect(lastComment(sim, canary.number)).toMatch(/analysis failed: error-ratio: failed closed: prometheus "prod" unreachable: /);
});

test("an analysis of the source environment is a gate of the next promotion: pending while measuring, then passing", async () => {
  await withServerLogs(logs, async () => {
    const staging = `  - name: staging-errors
    scopes: [staging]
    server: prod
    query: 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))'
    threshold: "<= 0.01"
    interval: 1m
    count: 2
`;
    await untilHealthy();
    const { sim, reconcile } = await mergeIntoStaging(prometheus.url, staging);
    const gates = () => {
      const pr = openPromotion(sim, "prod/canary");
      return pr ? sim.checkRunsOf(OWNER, REPO, pr.headSha).find((r) => r.name === "fleetward/promotion-gates") : undefined;
    };
    expect(gates()).toMatchObject({ conclusion: "action_required" });
    expect(gates()?.output.summary).toMatch(/\| analysis \| ⏳ pending \| analysis of `staging`: staging-errors: measuring \(1 of 2 measurements, last: 0 <= 0.01\)/);
    sim.clock.advance(MINUTE);
    await reconcile();
    expect(gates()).toMatchObject({ conclusion: "success" });
    expect(gates()?.output.summary).toContain("staging-errors: passed (2 of 2 measurements, 0 failed");
  });
});

test("onFailure: rollback: a breaching query opens exactly one revert pull request and one incident, even after more ticks and a re-run", async () => {
  metrics.setErroring(true);
  try {
    await withServerLogs(logs, async () => {
      await pollUntil("the error ratio is above 0.05", async () => ((await prometheus.query(RATIO.replace(/\{\{cluster\}\}/g, "prod-eu-1")))[0]?.value ?? 0) > 0.05 || undefined, 30_000);
      const { sim, reconcile, canary, mergeSha } = await setup(prometheus.url, "    onFailure: rollback\n");
      await reconcile();
      expect(analysisRun(sim, mergeSha)).toMatchObject({ status: "completed", conclusion: "failure" });
      const reverts = () => sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith("fleetward/rollback/"));
      const incidents = () => sim.issues(OWNER, REPO).filter((i) => i.labels.includes("fleetward:incident") && i.state === "open");
      const check = () => {
        expect(reverts()).toHaveLength(1);
        expect(reverts()[0]?.issue.state).toBe("open");
        expect(reverts()[0]?.headRef).toMatch(/^fleetward\/rollback\/prod-eu-1\//);
        expect(incidents()).toHaveLength(1);
      };
      check();
      const revert = reverts()[0];
      expect(sim.filesAt(OWNER, REPO, revert?.headRef ?? "")["clusters/prod-eu-1/payments/deploy.yaml"]).toBe("image: payments:v1\n");
      const incident = incidents()[0];
      expect(incident?.body).toContain("analysis error-ratio");
      expect(incident?.body).toContain("is not &lt; 0.05");
      expect(incident?.body).toContain('code="500",cluster=~"prod-eu-1"');
      // More ticks; then the wave is made to bake again, so the same failed analysis is judged again (as another replica would).
      sim.clock.advance(10 * MINUTE);
      await reconcile();
      sim.addLabels(sim.repo(OWNER, REPO), sim.pull(OWNER, REPO, canary.number).issue, ["fleetward:baking"], sim.user("alice"));
      await sim.settle();
      await reconcile();
      await reconcile();
      check();
      expect(openPromotion(sim, "prod/rest")).toBeUndefined();
    });
  } finally {
    metrics.setErroring(false);
  }
});
