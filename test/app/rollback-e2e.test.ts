/**
 * SLO-driven rollback end to end: a real Probot HTTP server (routes registered as `npm start` registers them)
 * on loopback, acting on the GitHub simulator over HTTP (every request checked against GitHub's OpenAPI
 * description), fed the shared Alertmanager bodies (test/fixtures/alerts). Octokit's retry plugin is off so a
 * simulated outage reaches the route (in production the plugin retries first; the route's 5xx comes after).
 */
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { Writable } from "node:stream";
import pino from "pino";
import { Probot, Server } from "probot";
import { fleetwardApp } from "../../src/app/index.js";
import { freePort } from "../helpers/free-port.js";
import { TestOctokit } from "../helpers/create-test-probot.js";
import { readAlertFixture } from "../helpers/alert-fixtures.js";
import { simQuiet } from "../helpers/sim-quiet.js";
import { SLO_ROLLBACK_CONFIG } from "../helpers/slo-rollback-fleet.js";
import { GitHubSimulator, type RunningServer } from "../../src/simulator/github-simulator.js";
import { CREATE_ATTEMPTS } from "../../src/app/github/create-once.js";

const readShared = (name: string): Record<string, unknown> => readAlertFixture(name) as Record<string, unknown>;

const CONFIG = SLO_ROLLBACK_CONFIG;

const INITIAL = {
  ".github/fleetward.yml": CONFIG,
  "envs/dev/checkout/deploy.yaml": "image: checkout:v1\n",
  "envs/staging/checkout/deploy.yaml": "image: checkout:v1\n",
  "envs/prod/checkout/deploy.yaml": "image: checkout:v1\n",
  "envs/prod/payments/deploy.yaml": "image: payments:v1\n",
  "clusters/prod-eu-1/checkout/patch.yaml": "replicas: 3\n",
  "clusters/prod-us-1/checkout/patch.yaml": "replicas: 3\n",
  "README.md": "gitops\n",
};

const TOKEN = "16688eb5e9f289f1991c"; // the token in the shared Flagger request's metadata
const GRAFANA_SECRET = "grafana-hmac-secret";
const ENV_KEYS = ["ALERTS_BEARER_TOKEN", "ALERTS_BASIC_AUTH", "ALERTS_MAX_BODY_BYTES", "GRAFANA_WEBHOOK_SECRET", "GRAFANA_WEBHOOK_TIMESTAMP_HEADER"];
const OWNER = "acme";
const REPO = "gitops";

describe("SLO-driven rollback over HTTP", () => {
  let sim: GitHubSimulator;
  let api: RunningServer;
  let server: Server;
  let base: string;
  let saved: Record<string, string | undefined>;
  let changeSha: string;
  let changeParent: string;
  let changePull: number;
  const logLines: Array<Record<string, unknown>> = [];

  const firing = () => readShared("alertmanager-v4-slo-burn-firing.constructed.json");
  const resolved = () => readShared("alertmanager-v4-slo-burn-resolved.constructed.json");
  const post = (path: string, body: unknown, auth: string | null = `Bearer ${TOKEN}`, extra: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}), ...extra },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const freeze = (query: string, auth: string | null = `Bearer ${TOKEN}`) => fetch(`${base}/api/freeze?${query}`, { headers: auth ? { authorization: auth } : {} });
  const rollbackPulls = () => sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith("fleetward/rollback/"));
  const incidents = () => sim.issues(OWNER, REPO).filter((i) => sim.labelsOf(OWNER, REPO, i.number).includes("fleetward:incident"));
  /** What the app wrote: branches, pull requests, issues, comments. */
  const writes = () => sim.requestLog.filter((r) => r.method !== "GET" && !(r.operationId ?? "").startsWith("apps/")).length;

  beforeAll(async () => {
    sim = new GitHubSimulator({ clockStart: "2026-08-20T09:00:00Z" });
    api = await sim.listen();
    const app = sim.createApp({ slug: "fleetward" });
    sim.createRepo({ owner: OWNER, name: REPO, files: INITIAL });
    sim.install({ appId: app.id, account: OWNER, repos: [REPO] });
    saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
    Object.assign(process.env, { ALERTS_BEARER_TOKEN: TOKEN, ALERTS_BASIC_AUTH: "alertmanager:s3cret", GRAFANA_WEBHOOK_SECRET: GRAFANA_SECRET });
    delete process.env.ALERTS_MAX_BODY_BYTES;
    delete process.env.GRAFANA_WEBHOOK_TIMESTAMP_HEADER;
    const port = await freePort();
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split("\n")) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    server = new Server({
      host: "127.0.0.1",
      port,
      log: pino({ level: "info" }, sink),
      Probot: Probot.defaults({ appId: app.id, privateKey: app.privateKey, secret: app.webhookSecret, baseUrl: api.baseUrl, Octokit: TestOctokit, log: pino({ level: "info" }, sink) }),
    });
    await server.load(fleetwardApp());
    await server.start();
    base = `http://127.0.0.1:${port}`;
    sim.deliverTo(`${base}/api/github/webhooks`);

    // The change that will burn: merged into prod at 09:58, six minutes before the alert starts (10:04:30).
    sim.clock.advance(58 * 60_000);
    sim.commitFiles({
      owner: OWNER,
      repo: REPO,
      branch: "checkout-v2",
      user: "alice",
      message: "checkout v2 everywhere",
      files: {
        "envs/prod/checkout/deploy.yaml": "image: checkout:v2\n",
        "envs/prod/checkout/canary.yaml": "kind: Canary\n",
        "envs/prod/payments/deploy.yaml": "image: payments:v2\n",
        "clusters/prod-eu-1/checkout/patch.yaml": "replicas: 5\n",
        "clusters/prod-us-1/checkout/patch.yaml": "replicas: 5\n",
      },
    });
    const pr = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "checkout-v2", title: "checkout v2", user: "alice" });
    changeParent = sim.resolveCommitish(sim.repo(OWNER, REPO), "main")!;
    changeSha = sim.merge(OWNER, REPO, pr.number, "alice", "merge").sha;
    changePull = pr.number;
    // An unrelated change after the alert started.
    sim.clock.advance(12 * 60_000);
    sim.commitFiles({ owner: OWNER, repo: REPO, branch: "main", user: "bob", message: "docs", files: { "README.md": "gitops, documented\n" } });
    // The pull request's policy check may outlive its delivery's answer on a loaded machine: wait for its writes.
    await simQuiet(sim);
  });

  afterAll(async () => {
    await server?.stop();
    await api?.close();
    for (const [k, v] of Object.entries(saved ?? {})) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  afterEach(async () => {
    await sim.settle();
    sim.assertNoViolations();
  });

  test("wrong or missing credentials: 401, nothing read or written", async () => {
    const before = sim.requestLog.length;
    expect((await post("/api/alerts/alertmanager", firing(), null)).status).toBe(401);
    expect((await post("/api/alerts/alertmanager", firing(), "Bearer not-the-token")).status).toBe(401);
    expect((await post("/api/alerts/alertmanager", firing(), `Basic ${Buffer.from("alertmanager:wrong").toString("base64")}`)).status).toBe(401);
    expect((await post("/api/alerts/generic", { status: "firing", alerts: [] }, "Token abc")).status).toBe(401);
    expect((await post("/api/alerts/grafana", firing(), null)).status).toBe(401);
    expect((await freeze("env=prod", null)).status).toBe(401);
    expect((await post("/api/gates/flagger", { name: "podinfo", namespace: "test", metadata: { token: "nope" } }, null)).status).toBe(401);
    expect(sim.requestLog.length).toBe(before);
  });

  test("Grafana: the HMAC signature is checked when a secret is configured, credentials too", async () => {
    const body = JSON.stringify({ receiver: "fleetward", status: "firing", orgId: 1, alerts: [{ status: "firing", labels: { alertname: "Other" }, startsAt: "2026-08-20T10:00:00Z" }] });
    const sign = (secret: string) => createHmac("sha256", secret).update(body).digest("hex");
    const basic = `Basic ${Buffer.from("alertmanager:s3cret").toString("base64")}`;
    expect((await post("/api/alerts/grafana", body, basic, { "x-grafana-alerting-signature": sign("wrong") })).status).toBe(401);
    expect((await post("/api/alerts/grafana", body, basic)).status).toBe(401);
    expect((await post("/api/alerts/grafana", body, null, { "x-grafana-alerting-signature": sign(GRAFANA_SECRET) })).status).toBe(401);
    const ok = await post("/api/alerts/grafana", body, basic, { "x-grafana-alerting-signature": sign(GRAFANA_SECRET) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "unmatched", skipped: [expect.stringContaining("no rule matched")] });
  });

  test("malformed JSON and schema violations: 400 saying what is wrong", async () => {
    const before = writes();
    const bad = await post("/api/alerts/alertmanager", '{"version": "4", "alerts": [');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_json" });
    const body = firing();
    const wrong = await post("/api/alerts/alertmanager", { ...body, version: "3", alerts: [{ ...(body.alerts as object[])[0], startsAt: "yesterday" }] });
    expect(wrong.status).toBe(400);
    const answer = (await wrong.json()) as { error: string; errors: string[] };
    expect(answer.error).toBe("invalid_body");
    expect(answer.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^version: /), expect.stringMatching(/^alerts\.0\.startsAt: /)]));
    const generic = await post("/api/alerts/generic", { status: "burning", alerts: [{ startsAt: "2026-08-20T10:00:00Z" }] });
    expect(generic.status).toBe(400);
    expect(((await generic.json()) as { errors: string[] }).errors.join("\n")).toMatch(/status/);
    expect(writes()).toBe(before);
  });

  test("a 10 MB body: 413 without reading it all (declared length and chunked)", async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x20);
    const declared = await post("/api/alerts/alertmanager", big.toString());
    expect(declared.status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/api/alerts/alertmanager`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      let sent = 0;
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (sent < big.length) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once("drain", pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(chunked).toBe(413);
    expect(rollbackPulls()).toHaveLength(0);
  });

  test("an alert without the labels its rule needs is acknowledged and logged; nothing is opened", async () => {
    const body = firing();
    const alert = (body.alerts as Array<{ labels: Record<string, string> }>)[0]!;
    delete alert.labels.env;
    body.commonLabels = { ...(body.commonLabels as Record<string, string>) };
    delete (body.commonLabels as Record<string, string>).env;
    const res = await post("/api/alerts/alertmanager", body);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { status: string; skipped: string[] };
    expect(answer.status).toBe("unmatched");
    expect(answer.skipped).toEqual([expect.stringContaining("labels missing: env (rule slo-pages)")]);
    expect(logLines.some((l) => l.msg === "alert matched no rollback rule; acknowledged")).toBe(true);
    expect(rollbackPulls()).toHaveLength(0);
    expect(incidents()).toHaveLength(0);
  });

  test("firing during a GitHub outage: 5xx, then the retry opens one revert pull request and one incident", async () => {
    // Creates are sent again after a lookup (createOnce): the outage outlasts every attempt.
    sim.failNext({ operationId: "pulls/create", status: 502, times: CREATE_ATTEMPTS });
    const failed = await post("/api/alerts/alertmanager", firing());
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("30");
    expect(rollbackPulls()).toHaveLength(0);
    expect(incidents()).toHaveLength(0);

    sim.failNext({ operationId: "issues/create", status: 500, times: CREATE_ATTEMPTS });
    const half = await post("/api/alerts/alertmanager", firing());
    expect(half.status).toBe(503);
    expect(rollbackPulls()).toHaveLength(1);
    expect(incidents()).toHaveLength(0);

    const ok = await post("/api/alerts/alertmanager", firing());
    expect(ok.status).toBe(200);
    const answer = (await ok.json()) as { status: string; repositories: Array<{ targets: Array<{ target: string; rollback: { action: string }; incident: { action: string } }> }> };
    expect(answer.status).toBe("handled");
    expect(answer.repositories[0]!.targets).toEqual([expect.objectContaining({ target: "prod-eu-1", rollback: expect.objectContaining({ action: "none" }), incident: expect.objectContaining({ action: "open" }) })]);

    const [pull] = rollbackPulls();
    expect(rollbackPulls()).toHaveLength(1);
    expect(pull!.issue.title).toBe("Roll back checkout in prod-eu-1: CheckoutHighErrorRate");
    expect(pull!.headRef).toMatch(/^fleetward\/rollback\/prod-eu-1\/[0-9a-f]{12}$/);
    expect(Object.keys(sim.refs(OWNER, REPO)).filter((r) => r.startsWith("refs/heads/fleetward/rollback/"))).toHaveLength(1);
    expect(sim.labelsOf(OWNER, REPO, pull!.number)).toEqual(["fleetward:rollback"]);
    const body = pull!.issue.body ?? "";
    expect(body).toContain(`#${changePull}`);
    expect(body).toContain(changeSha);
    expect(body).toContain("https://runbooks.example.com/checkout/error-rate");
    expect(body).toContain("http://prometheus.example.com:9090/graph");

    // The revert restores exactly the target's files of the change (checkout in prod and in prod-eu-1) to their state before it.
    const before = sim.filesAt(OWNER, REPO, changeParent);
    const head = sim.filesAt(OWNER, REPO, "main");
    const reverted = sim.filesAt(OWNER, REPO, pull!.headSha);
    const expected: Record<string, string> = {
      ...head,
      "envs/prod/checkout/deploy.yaml": before["envs/prod/checkout/deploy.yaml"]!,
      "clusters/prod-eu-1/checkout/patch.yaml": before["clusters/prod-eu-1/checkout/patch.yaml"]!,
    };
    delete expected["envs/prod/checkout/canary.yaml"];
    expect(reverted).toEqual(expected);
    expect(Object.keys(reverted)).not.toContain("envs/prod/checkout/canary.yaml");
    expect(reverted["envs/prod/payments/deploy.yaml"]).toBe("image: payments:v2\n");
    expect(reverted["clusters/prod-us-1/checkout/patch.yaml"]).toBe("replicas: 5\n");

    const [incident] = incidents();
    expect(incidents()).toHaveLength(1);
    expect(incident!.title).toBe("Incident in prod-eu-1: CheckoutHighErrorRate");
    expect(incident!.state).toBe("open");
    expect(incident!.body).toContain(`Rollback: #${pull!.number}`);
  });

  test("the same alert again, and two HA copies at once: nothing new", async () => {
    const before = writes();
    const again = await post("/api/alerts/alertmanager", firing());
    expect(again.status).toBe(200);
    const both = await Promise.all([post("/api/alerts/alertmanager", firing()), post("/api/alerts/alertmanager", firing())]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(writes()).toBe(before);
    expect(rollbackPulls()).toHaveLength(1);
    expect(incidents()).toHaveLength(1);
  });

  test("the freeze endpoint and the Flagger gate say frozen for prod-eu-1 only", async () => {
    const frozen = await freeze("env=prod&cluster=prod-eu-1");
    expect(frozen.status).toBe(200);
    const state = (await frozen.json()) as { frozen: boolean; reasons: string[] };
    expect(state.frozen).toBe(true);
    expect(state.reasons).toEqual([expect.stringMatching(/^incident #\d+: CheckoutHighErrorRate firing in prod-eu-1 since 2026-08-20T10:04:30.123Z$/)]);
    expect(await (await freeze("env=prod")).json()).toMatchObject({ frozen: true });
    expect(await (await freeze(`cluster=prod-us-1&repo=${OWNER}/${REPO}`)).json()).toEqual({ frozen: false, reasons: [], repository: `${OWNER}/${REPO}` });
    expect(await (await freeze("env=dev")).json()).toMatchObject({ frozen: false });
    expect((await freeze("env=prdo")).status).toBe(400);
    expect((await freeze("env=prod&repo=acme/unknown")).status).toBe(404);

    const gate = readShared("flagger-webhook-gate-request.flagger-docs.json");
    expect((await post("/api/gates/flagger", gate, null)).status).toBe(423); // no scope: any open incident halts; token in metadata
    const meta = gate.metadata as Record<string, string>;
    expect((await post("/api/gates/flagger", { ...gate, metadata: { ...meta, env: "prod", cluster: "prod-eu-1" } }, null)).status).toBe(423);
    const us = await post("/api/gates/flagger", { ...gate, metadata: { ...meta, env: "prod", cluster: "prod-us-1" } }, null);
    expect(us.status).toBe(200);
    expect((await post("/api/gates/flagger", { ...gate, metadata: { cluster: "prod-us-1" } })).status).toBe(200); // bearer header instead
    expect((await post("/api/gates/flagger", { ...gate, name: 5 })).status).toBe(400);
  });

  test("a promotion pull request into the frozen environment shows a failing fleetward/promotion-gates", async () => {
    sim.commitFiles({ owner: OWNER, repo: REPO, branch: "staging-v3", user: "alice", message: "checkout v3 in staging", files: { "envs/staging/checkout/deploy.yaml": "image: checkout:v3\n" } });
    const pr = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "staging-v3", title: "checkout v3 in staging", user: "alice" });
    await sim.settle();
    sim.merge(OWNER, REPO, pr.number, "alice", "merge");
    await sim.settle();
    const promotions = sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith("fleetward/promote/") && p.issue.state === "open");
    expect(promotions.length).toBeGreaterThan(0);
    const [incident] = incidents();
    for (const promotion of promotions) {
      const gates = sim.checkRunsOf(OWNER, REPO, promotion.headSha).filter((r) => r.name === "fleetward/promotion-gates");
      expect(gates).toHaveLength(1);
      expect(gates[0]!.conclusion).toBe("failure");
      expect(gates[0]!.output.summary).toContain(`incident #${incident!.number}: CheckoutHighErrorRate firing in prod-eu-1`);
    }
  });

  test("resolved: the incident closes, the revert pull request is told once, the freeze lifts", async () => {
    const res = await post("/api/alerts/alertmanager", resolved());
    expect(res.status).toBe(200);
    const [incident] = incidents();
    expect(incident!.state).toBe("closed");
    const [pull] = rollbackPulls();
    expect(pull!.issue.state).toBe("open");
    const told = sim.comments(OWNER, REPO, pull!.number).filter((c) => c.body.startsWith("Resolved: CheckoutHighErrorRate"));
    expect(told).toHaveLength(1);
    expect((await post("/api/alerts/alertmanager", resolved())).status).toBe(200);
    expect(sim.comments(OWNER, REPO, pull!.number).filter((c) => c.body.startsWith("Resolved:"))).toHaveLength(1);
    expect(await (await freeze("env=prod&cluster=prod-eu-1")).json()).toMatchObject({ frozen: false, reasons: [] });
    expect((await post("/api/gates/flagger", readShared("flagger-webhook-gate-request.flagger-docs.json"), null)).status).toBe(200);
    await sim.settle();
    for (const promotion of sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith("fleetward/promote/") && p.issue.state === "open")) {
      expect(sim.checkRunsOf(OWNER, REPO, promotion.headSha).find((r) => r.name === "fleetward/promotion-gates")!.conclusion).toBe("success");
    }
  });

  test("a new firing after the resolution reopens the freeze; /unfreeze by a reader is refused, by a writer closes it", async () => {
    const body = firing();
    const alert = (body.alerts as Array<{ startsAt: string }>)[0]!;
    alert.startsAt = "2026-08-20T11:30:00.000Z";
    expect((await post("/api/alerts/alertmanager", body)).status).toBe(200);
    expect(rollbackPulls()).toHaveLength(1); // the open rollback answers the new episode too (updated, not duplicated)
    const open = incidents().filter((i) => i.state === "open");
    expect(open).toHaveLength(1);
    const incident = open[0]!;
    expect(await (await freeze("env=prod&cluster=prod-eu-1")).json()).toMatchObject({ frozen: true });

    sim.setPermission(OWNER, REPO, "mallory", "read");
    sim.comment({ owner: OWNER, repo: REPO, number: incident.number, body: "/unfreeze", user: "mallory" });
    await sim.settle();
    expect(sim.issues(OWNER, REPO).find((i) => i.number === incident.number)!.state).toBe("open");
    expect(sim.comments(OWNER, REPO, incident.number).at(-1)!.body).toMatch(/^Not unfrozen: @mallory has read permission/);

    sim.setPermission(OWNER, REPO, "alice", "write");
    const asked = sim.comment({ owner: OWNER, repo: REPO, number: incident.number, body: "/unfreeze", user: "alice" });
    await sim.settle();
    expect(sim.issues(OWNER, REPO).find((i) => i.number === incident.number)!.state).toBe("closed");
    expect(sim.comments(OWNER, REPO, incident.number).find((c) => c.id === asked.id)!.reactions.map((r) => r.content)).toEqual(["eyes"]);
    expect(await (await freeze("env=prod&cluster=prod-eu-1")).json()).toMatchObject({ frozen: false });
    // The same alert repeating does not reopen what was unfrozen.
    expect((await post("/api/alerts/alertmanager", body)).status).toBe(200);
    expect(incidents().filter((i) => i.state === "open")).toHaveLength(0);
  });

  test("/rollback prod-us-1 on the merged change opens its revert for that cluster; a reader cannot", async () => {
    sim.setPermission(OWNER, REPO, "mallory", "read");
    sim.comment({ owner: OWNER, repo: REPO, number: changePull, body: "/rollback prod-us-1", user: "mallory" });
    await sim.settle();
    expect(rollbackPulls()).toHaveLength(1);
    expect(sim.comments(OWNER, REPO, changePull).at(-1)!.body).toMatch(/^Not rolled back: @mallory has read permission/);

    sim.setPermission(OWNER, REPO, "alice", "write");
    sim.comment({ owner: OWNER, repo: REPO, number: changePull, body: "/rollback prod-us-1", user: "alice" });
    await sim.settle();
    const manual = rollbackPulls().filter((p) => p.headRef.startsWith("fleetward/rollback/prod-us-1/"));
    expect(manual).toHaveLength(1);
    const pull = manual[0]!;
    expect(pull.issue.title).toBe(`Roll back checkout, payments in prod-us-1: #${changePull} (requested by @alice)`);
    const before = sim.filesAt(OWNER, REPO, changeParent);
    const expected: Record<string, string> = {
      ...sim.filesAt(OWNER, REPO, "main"),
      "envs/prod/checkout/deploy.yaml": before["envs/prod/checkout/deploy.yaml"]!,
      "envs/prod/payments/deploy.yaml": before["envs/prod/payments/deploy.yaml"]!,
      "clusters/prod-us-1/checkout/patch.yaml": before["clusters/prod-us-1/checkout/patch.yaml"]!,
    };
    delete expected["envs/prod/checkout/canary.yaml"];
    expect(sim.filesAt(OWNER, REPO, pull.headSha)).toEqual(expected);
    expect(sim.comments(OWNER, REPO, changePull).at(-1)!.body).toBe(`Opened #${pull.number} to roll back #${changePull} in prod-us-1.`);

    // Asked again: the open one is named, nothing new.
    sim.comment({ owner: OWNER, repo: REPO, number: changePull, body: "/rollback prod-us-1", user: "alice" });
    await sim.settle();
    expect(rollbackPulls()).toHaveLength(2);
    expect(sim.comments(OWNER, REPO, changePull).at(-1)!.body).toBe(`#${pull.number} already rolls back #${changePull} in prod-us-1.`);
    sim.comment({ owner: OWNER, repo: REPO, number: changePull, body: "/rollback staging", user: "alice" });
    await sim.settle();
    expect(sim.comments(OWNER, REPO, changePull).at(-1)!.body).toBe("this pull request changed no file of environment staging");
  });

  test("auto-merge where configured: a dev alert (generic route) merges its rollback", async () => {
    sim.commitFiles({ owner: OWNER, repo: REPO, branch: "main", user: "bob", message: "dev checkout v2", files: { "envs/dev/checkout/deploy.yaml": "image: checkout:v2\n" } });
    await sim.settle();
    const startsAt = new Date(sim.clock.now().getTime() + 60_000).toISOString();
    const res = await post("/api/alerts/generic", { status: "firing", labels: { alertname: "DevErrors", sloth_severity: "page", env: "dev", sloth_service: "checkout" }, alerts: [{ startsAt }] });
    expect(res.status).toBe(200);
    const dev = rollbackPulls().filter((p) => p.headRef.startsWith("fleetward/rollback/dev/"));
    expect(dev).toHaveLength(1);
    expect(dev[0]!.merged).toBe(true);
    expect(sim.filesAt(OWNER, REPO, "main")["envs/dev/checkout/deploy.yaml"]).toBe("image: checkout:v1\n");
  });
});
