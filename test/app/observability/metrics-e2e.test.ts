/**
 * `GET /metrics` end to end: the real Probot HTTP server (`startServer`, as `npm start` wires it) against the GitHub
 * simulator's HTTP server. A scripted run (a pull request's policy check, its merge opening a promotion pull
 * request, an alert opening and merging a revert), then the exposition is checked by Debian's `promtool check
 * metrics` and parsed here, and its counters and gauges compared with what the simulator saw. Then 1,000 pull
 * requests' worth of webhook deliveries must not add a single Fleetward series.
 */
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import pino from "pino";
import type { Server } from "probot";
import { fleetwardApp } from "../../../src/app/index.js";
import { startServer } from "../../../src/app/server.js";
import { closePolicySandbox } from "../../../src/sandbox/index.js";
import { freePort } from "../../helpers/free-port.js";
import { setHttpAppEnv } from "../../helpers/http-app-env.js";
import { ensureRuntimeBuilt } from "../../rego/runtime/ensure-runtime-built.js";
import { GitHubSimulator, type CreatedApp, type RunningServer } from "../../../src/simulator/github-simulator.js";
import { type Exposition, parseExposition, sumOf, valueOf } from "./prom-text.js";

const CONFIG = `environments:
  - name: dev
    paths: ["envs/dev/**"]
    settings: { rollback: { autoMerge: true } }
  - name: staging
    paths: ["envs/staging/**"]
    promotedFrom: dev
rollback:
  rules:
    - name: pages
      match: ["severity=page"]
      environment: { label: env }
      component: { label: service, optional: true }
settings:
  promotion:
    mode: auto
    gates:
      policyCheck: ""
`;
const POLICY = `package main

deny contains "no latest tags" if {
	endswith(input.data.image, ":latest")
}
`;
const manifest = (image: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: checkout
data:
  image: ${image}
`;
const OWNER = "acme";
const REPO = "gitops";
const METRICS_TOKEN = "metrics-secret-token";
const ALERTS_TOKEN = "alerts-secret-token";

let sim: GitHubSimulator;
let api: RunningServer;
let app: CreatedApp;
let server: Server;
let base: string;
let restoreEnv: (() => void) | undefined;
let installationId: number;
const delivered = new Map<string, number>();

const scrape = (auth: string | null = `Bearer ${METRICS_TOKEN}`) => fetch(`${base}/metrics`, { headers: auth ? { authorization: auth } : {} });
async function exposition(): Promise<{ text: string; parsed: Exposition }> {
  const res = await scrape();
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { text, parsed: parseExposition(text) };
}
/** Polls `probe` until it returns a value (the middleware answers 202 after 9 s while handlers still run). */
async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sim.settle();
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const postAlert = (body: unknown, token = ALERTS_TOKEN) =>
  fetch(`${base}/api/alerts/generic`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

beforeAll(async () => {
  ensureRuntimeBuilt();
  await closePolicySandbox();
  sim = new GitHubSimulator({ clockStart: "2026-08-20T09:00:00Z" });
  api = await sim.listen();
  app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({
    owner: OWNER,
    name: REPO,
    files: { ".github/fleetward.yml": CONFIG, "policy/deny.rego": POLICY, "envs/dev/checkout/config.yaml": manifest("checkout:v1"), "envs/staging/checkout/config.yaml": manifest("checkout:v1") },
  });
  installationId = sim.install({ appId: app.id, account: OWNER, repos: [REPO] }).id;
  const port = await freePort();
  restoreEnv = setHttpAppEnv(app, api, port, { METRICS_TOKEN, ALERTS_BEARER_TOKEN: ALERTS_TOKEN });
  server = await startServer(fleetwardApp(), { log: pino({ level: process.env.METRICS_E2E_LOG ?? "silent" }) });
  base = `http://127.0.0.1:${port}`;
  sim.deliverTo(`${base}/api/github/webhooks`);
  sim.onWebhook((d) => {
    const key = `${d.name}/${(d.payload as { action?: string }).action ?? ""}`;
    delivered.set(key, (delivered.get(key) ?? 0) + 1);
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await api?.close();
  await closePolicySandbox();
  restoreEnv?.();
});

test("without or with a wrong bearer token /metrics answers 401, with it 200", async () => {
  expect((await scrape(null)).status).toBe(401);
  expect((await scrape("Bearer nope")).status).toBe(401);
  expect((await scrape(`Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString("base64")}`)).status).toBe(401);
  expect((await scrape()).status).toBe(200);
  expect((await fetch(`${base}/metrics`, { method: "POST", headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(405);
});

test("a scripted run: policy check, promotion, alert and revert, counted as the simulator saw them", async () => {
  // A pull request in dev: the policy check runs in the sandbox.
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "checkout-v2", user: "alice", message: "checkout v2", files: { "envs/dev/checkout/config.yaml": manifest("checkout:v2") } });
  const pr = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "checkout-v2", title: "checkout v2", user: "alice" });
  const headSha = sim.resolveCommitish(sim.repo(OWNER, REPO), "checkout-v2")!;
  const policyRuns = await waitFor("the policy check", () => {
    const runs = sim.checkRunsOf(OWNER, REPO, headSha).filter((r) => r.name === "fleetward/policy");
    return runs.every((r) => r.conclusion !== null) && runs.length > 0 ? runs : undefined;
  });
  expect(policyRuns.map((r) => r.conclusion)).toEqual(["success"]);
  // Its merge: the push opens the staging promotion.
  sim.merge(OWNER, REPO, pr.number, "alice", "merge");
  const promotions = await waitFor("the promotion", () => {
    const open = sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith("fleetward/promote/"));
    return open.length > 0 && sim.checkRunsOf(OWNER, REPO, open[0]!.headSha).some((r) => r.name === "fleetward/promotion-gates" && r.conclusion !== null) ? open : undefined;
  });
  expect(promotions).toHaveLength(1);
  // An alert for dev: a revert opened and merged (autoMerge), an incident opened; a refused one too.
  sim.clock.advance(5 * 60_000);
  expect((await postAlert({ status: "firing", labels: { alertname: "CheckoutErrors", severity: "page", env: "dev", service: "checkout" }, alerts: [{ startsAt: sim.clock.now().toISOString() }] })).status).toBe(200);
  expect((await postAlert({ status: "firing", alerts: [] }, "wrong")).status).toBe(401);
  await sim.settle();
  const reverts = sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith("fleetward/rollback/"));
  expect(reverts.map((p) => p.merged)).toEqual([true]);
  const incidents = sim.issues(OWNER, REPO).filter((i) => sim.labelsOf(OWNER, REPO, i.number).includes("fleetward:incident") && i.state === "open");
  expect(incidents).toHaveLength(1);
  sim.assertNoViolations();

  const first = await exposition();
  // Debian's promtool reads it as Prometheus would (stdin): Fleetward's families pass its checks and lint; the
  // whole exposition parses, its only remarks being about prom-client's own process gauges' names.
  const promtool = (text: string) => spawnSync("/usr/bin/promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  const ours = promtool(first.text.split(/\n(?=# HELP )/).filter((family) => family.startsWith("# HELP fleetward_")).join("\n") + "\n");
  expect([ours.status, ours.stdout, ours.stderr]).toEqual([0, "", ""]);
  expect(first.text).toContain("# HELP fleetward_webhook_deliveries_total");
  const all = promtool(first.text);
  const remarks = `${all.stdout}${all.stderr}`.trim().split("\n").map((l) => l.trim()).sort();
  expect(remarks).toEqual(["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"].map((n) => `${n} non-counter metrics should not have "_total" suffix`));

  // The scrape-time gauges read GitHub (cached): a second scrape counts every request the app made.
  const { parsed } = await exposition();
  expect(sumOf(parsed, "fleetward_github_requests_total")).toBe(sim.requestLog.length);
  // Pagination follows full URLs: cut to their path, with placeholders for the pull request number.
  expect(valueOf(parsed, "fleetward_github_requests_total", { route: "GET /repos/{owner}/{repo}/pulls/{id}/files", status: "2xx" })).toBe(
    sim.requestLog.filter((r) => r.operationId === "pulls/list-files").length,
  );
  expect(parsed.samples.filter((s) => s.name === "fleetward_github_requests_total" && s.labels.route?.includes(OWNER))).toEqual([]);
  // The simulator answers x-ratelimit-remaining: 4999; one series per installation (and "app" for app-level calls).
  const limits = parsed.samples.filter((s) => s.name === "fleetward_github_rate_limit_remaining");
  expect(limits.map((s) => [s.labels.installation, s.value]).sort()).toEqual([[String(installationId), 4999], ["app", 4999]].sort());

  for (const [key, count] of delivered) {
    const [event, action] = key.split("/") as [string, string];
    expect([key, sumOf(parsed, "fleetward_webhook_deliveries_total", { event, action })]).toEqual([key, count]);
  }
  expect(sumOf(parsed, "fleetward_webhook_deliveries_total", { outcome: "error" })).toBe(0);
  const prDeliveries = [...delivered].filter(([k]) => k.startsWith("pull_request/")).reduce((a, [, n]) => a + n, 0);
  expect(valueOf(parsed, "fleetward_webhook_duration_seconds_count", { event: "pull_request", outcome: "success" })).toBe(prDeliveries);

  expect(valueOf(parsed, "fleetward_check_runs_total", { name: "fleetward/policy", conclusion: "success" })).toBeGreaterThanOrEqual(1);
  expect(valueOf(parsed, "fleetward_policy_compile_duration_seconds_count")).toBeGreaterThanOrEqual(1);
  expect(valueOf(parsed, "fleetward_policy_evaluation_duration_seconds_count")).toBeGreaterThanOrEqual(1);

  expect(valueOf(parsed, "fleetward_promotion_pull_requests_total", { outcome: "opened" })).toBe(promotions.length);
  expect(valueOf(parsed, "fleetward_reverts_total", { outcome: "opened" })).toBe(1);
  expect(valueOf(parsed, "fleetward_reverts_total", { outcome: "merged" })).toBe(1);
  expect(valueOf(parsed, "fleetward_alerts_total", { source: "generic", outcome: "handled" })).toBe(1);
  expect(valueOf(parsed, "fleetward_alerts_total", { source: "generic", outcome: "refused" })).toBe(1);
  expect(valueOf(parsed, "fleetward_open_incidents", { environment: "dev" })).toBe(1);
  expect(valueOf(parsed, "fleetward_frozen_scopes", { environment: "dev" })).toBe(1);
  expect(valueOf(parsed, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
  expect(parsed.types.get("fleetward_webhook_duration_seconds")).toBe("histogram");
}, 180_000);

/** A signed delivery straight to the server, as GitHub would send it. */
async function deliver(name: string, payload: object, id: string): Promise<number> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", app.webhookSecret).update(body).digest("hex")}`;
  const res = await fetch(`${base}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": id, "x-hub-signature-256": signature },
    body,
  });
  await res.text();
  return res.status;
}

/** Pull request number `n`'s events: labelled, commented on (not a command), closed unmerged; each with its own SHA and user. */
async function pullRequestEvents(n: number): Promise<void> {
  const repository = { id: 1, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER }, default_branch: "main" };
  const user = { login: `user-${n}` };
  const sha = createHmac("sha1", "x").update(String(n)).digest("hex");
  const pull_request = { number: n, merged_at: null, head: { ref: `feature-${n}`, sha }, base: { ref: "main" }, user };
  const installation = { id: installationId };
  expect(await deliver("pull_request", { action: "labeled", number: n, pull_request, repository, sender: user, installation, label: { name: `l-${n}` } }, `pr-${n}-labeled`)).toBe(200);
  expect(await deliver("issue_comment", { action: "created", issue: { number: n, pull_request: {} }, comment: { id: n, body: `looks good ${n}`, user }, repository, sender: user, installation }, `pr-${n}-comment`)).toBe(200);
  expect(await deliver("pull_request", { action: "closed", number: n, pull_request, repository, sender: user, installation }, `pr-${n}-closed`)).toBe(200);
}

const fleetwardSeries = (parsed: Exposition) =>
  new Set(parsed.samples.filter((s) => s.name.startsWith("fleetward_")).map((s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`));

test("cardinality: 1,000 pull requests' worth of deliveries add no Fleetward series after the first ten", async () => {
  const start = (await exposition()).parsed;
  const count = (e: Exposition, event: string, action: string) => valueOf(e, "fleetward_webhook_deliveries_total", { event, action, outcome: "success" }) ?? 0;
  for (let n = 10_001; n <= 10_010; n++) await pullRequestEvents(n);
  const before = fleetwardSeries((await exposition()).parsed);
  for (let n = 10_011; n <= 11_000; n++) await pullRequestEvents(n);
  const { parsed } = await exposition();
  const after = fleetwardSeries(parsed);
  expect([...after].filter((s) => !before.has(s))).toEqual([]);
  expect(after.size).toBe(before.size);
  expect(count(parsed, "pull_request", "closed") - count(start, "pull_request", "closed")).toBe(1000);
  expect(count(parsed, "issue_comment", "created") - count(start, "issue_comment", "created")).toBe(1000);
  // No pull request number, SHA or user name in any label value.
  const values = parsed.samples.flatMap((s) => Object.values(s.labels));
  expect(values.filter((v) => /10\d{3}|user-|feature-|[0-9a-f]{40}/.test(v))).toEqual([]);
}, 300_000);
