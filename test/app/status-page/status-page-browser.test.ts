/**
 * The /fleet status page in headless Chromium (Debian's package, through playwright-core): the real Probot server
 * (`startServer`, as `npm start` runs it) against the GitHub simulator over HTTP, signing in through the simulator's
 * OAuth web flow. A promotion and an alert happen first, through webhooks and the alert route; then the page is read
 * as two users, checked with axe-core and the keyboard, and photographed (test-artifacts/status-page.png).
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import type { Server } from "probot";
import { chromium, type Browser, type Page } from "playwright-core";
import { fleetwardApp } from "../../../src/app/index.js";
import { startServer } from "../../../src/app/server.js";
import { freePort } from "../../helpers/free-port.js";
import { setHttpAppEnv } from "../../helpers/http-app-env.js";
import { SLO_ROLLBACK_RULES } from "../../helpers/slo-rollback-fleet.js";
import { GitHubSimulator, type RunningServer } from "../../../src/simulator/github-simulator.js";

const require = createRequire(import.meta.url);
const ARTIFACTS = join(import.meta.dirname, "..", "..", "..", "test-artifacts");
const OWNER = "acme";
const REPO = "gitops";
const ALERTS_TOKEN = "alerts-bearer-for-the-status-page-test";

const CONFIG = `environments:
  - name: dev
    paths: ["envs/dev/**"]
  - name: staging
    paths: ["envs/staging/**"]
    promotedFrom: dev
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: staging
clusters:
  - { name: prod-eu-1, environment: prod, labels: { wave: "1" }, paths: ["clusters/prod-eu-1/**"] }
  - { name: prod-us-1, environment: prod, labels: { wave: "2" }, paths: ["clusters/prod-us-1/**"] }
promotion:
  components:
    - match: api
      strategy: values
      fields:
        - { file: kustomization.yaml, path: "images[].newTag" }
  waves:
    prod:
      - { name: canary, selector: { matchLabels: { wave: "1" } }, bake: 1h }
      - { name: rest, clusters: [prod-us-1] }
` + SLO_ROLLBACK_RULES;

const kustomization = (tag: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deploy.yaml
images:
  - name: ghcr.io/acme/api
    newTag: "${tag}"
`;

const FILES: Record<string, string> = {
  ".github/fleetward.yml": CONFIG,
  "envs/dev/api/kustomization.yaml": kustomization("1.0.0"),
  "envs/staging/api/kustomization.yaml": kustomization("1.0.0"),
  "clusters/prod-eu-1/api/kustomization.yaml": kustomization("1.0.0"),
  "clusters/prod-us-1/api/kustomization.yaml": kustomization("1.0.0"),
};

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

describe("the /fleet status page in headless Chromium", () => {
  let sim: GitHubSimulator;
  let api: RunningServer;
  let server: Server;
  let browser: Browser;
  let base: string;
  let restoreEnv: () => void;
  const logLines: string[] = [];

  beforeAll(async () => {
    sim = new GitHubSimulator();
    api = await sim.listen();
    const app = sim.createApp();
    sim.createRepo({ owner: OWNER, name: REPO, files: FILES });
    sim.createRepo({ owner: OWNER, name: "hidden", files: { ".github/fleetward.yml": "environments: []\n" } });
    sim.install({ appId: app.id, account: OWNER });
    for (const u of ["alice", "bob"]) sim.setPermission(OWNER, REPO, u, "write");
    sim.setPermission(OWNER, "hidden", "alice", "read");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    restoreEnv = setHttpAppEnv(app, api, port, {
      GITHUB_CLIENT_ID: sim.oauth.clientId(app.id),
      GITHUB_CLIENT_SECRET: sim.oauth.clientSecret(app.id),
      SESSION_SECRET: "a-session-secret-of-at-least-32-characters",
      PUBLIC_URL: base,
      ALERTS_BEARER_TOKEN: ALERTS_TOKEN,
      FLEETWARD_RECONCILE_INTERVAL: "0",
    });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString("utf8"));
        done();
      },
    });
    server = await startServer(fleetwardApp({ now: () => sim.clock.now() }), { log: pino({ level: "debug" }, sink) });
    sim.deliverTo(`${base}/api/github/webhooks`);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });

    // A change merged in dev is promoted to staging; merging that opens the prod canary wave.
    sim.commitFiles({ owner: OWNER, repo: REPO, branch: "api-1.1.0", files: { "envs/dev/api/kustomization.yaml": kustomization("1.1.0") }, user: "alice" });
    const change = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "api-1.1.0", title: "api 1.1.0", user: "alice" });
    await sim.settle();
    sim.merge(OWNER, REPO, change.number, "alice");
    await sim.settle();
    const staging = sim.pullRequests(OWNER, REPO).find((p) => p.headRef === "fleetward/promote/api/staging");
    if (!staging) throw new Error(`no staging promotion; log:\n${logLines.join("")}`);
    sim.merge(OWNER, REPO, staging.number, "bob");
    await sim.settle();
    // An SLO alert on prod-eu-1 opens an incident that freezes it.
    const alert = await fetch(`${base}/api/alerts/generic`, {
      method: "POST",
      headers: { authorization: `Bearer ${ALERTS_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "firing", labels: { alertname: "ApiErrors", sloth_severity: "page", env: "production", cluster: "prod-eu-1", sloth_service: "api" }, alerts: [{ startsAt: sim.clock.iso() }] }),
    });
    if (alert.status >= 300) throw new Error(`alert answered ${alert.status}: ${await alert.text()}`);
    await sim.settle();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await api?.close();
    restoreEnv?.();
  });

  /** A test body that prints the app's log when it fails. */
  const withLog = (body: () => Promise<void>) => async (): Promise<void> => {
    try {
      await body();
    } catch (error) {
      console.error(`the app's log:\n${logLines.join("").slice(-20_000)}`);
      throw error;
    }
  };

  /** A new browser context signed in as `login`; `bypassCSP` lets the test inject axe-core (the page allows no script). */
  async function signIn(login: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
    sim.oauth.signInAs(login);
    const page = await (await browser.newContext({ bypassCSP: options.bypassCSP ?? false })).newPage();
    await page.goto(`${base}/fleet`);
    await page.getByRole("link", { name: "Sign in with GitHub" }).click();
    await page.waitForURL(`${base}/fleet`);
    return page;
  }

  test("a user sees the repositories they can read, the versions after the promotion, drift and the frozen cluster", withLog(async () => {
    const page = await signIn("bob");
    const text = await page.locator("main").innerText();
    expect(await page.getByRole("heading", { level: 2 }).allInnerTexts()).toEqual([`${OWNER}/${REPO}`]);
    expect(text).not.toContain("hidden");
    const matrix = page.getByRole("table", { name: /Versions in acme\/gitops/ });
    const header = await matrix.locator("thead th").allInnerTexts();
    expect(header).toEqual(["Component", "dev", "staging", "prod / prod-eu-1 (wave canary) frozen", "prod / prod-us-1 (wave rest)"]);
    expect(await matrix.locator("tbody tr").first().locator("th, td").allInnerTexts()).toEqual(["api", "1.1.0", "1.1.0", "1.0.0 drift", "1.0.0 drift"]);
    // The canary promotion is open, linked, with its gates; the incident is linked.
    const canary = sim.pullRequests(OWNER, REPO).find((p) => p.headRef === "fleetward/promote/api/prod/canary")!;
    expect(await page.locator(`a[href="https://github.com/${OWNER}/${REPO}/pull/${canary.number}"]`).count()).toBeGreaterThan(0);
    const incident = sim.issues(OWNER, REPO).find((i) => !i.isPull && i.state === "open")!;
    await expect(page.locator(`a[href="https://github.com/${OWNER}/${REPO}/issues/${incident.number}"]`).count()).resolves.toBeGreaterThan(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(ARTIFACTS, "status-page.png"), fullPage: true });
    await page.context().close();
  }), 60_000);

  test("a user with read access to the private repository sees it too", withLog(async () => {
    const page = await signIn("alice");
    expect(await page.getByRole("heading", { level: 2 }).allInnerTexts()).toEqual([`${OWNER}/${REPO}`, `${OWNER}/hidden`]);
    await page.context().close();
  }), 60_000);

  test("axe-core finds no violation, and Tab reaches every link and button in order with a visible focus", withLog(async () => {
    const page = await signIn("bob", { bypassCSP: true });
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    // Browser-side code as text: the test's TypeScript has no DOM types.
    const violations = (await page.evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target) })))`)) as unknown[];
    expect(violations).toEqual([]);
    const expected = (await page.evaluate(`[...document.querySelectorAll("a[href], button")].map((e, i) => (e.dataset.order = String(i)))`)) as string[];
    expect(expected.length).toBeGreaterThan(5);
    const reached: { order: string | undefined; outline: string }[] = [];
    for (let i = 0; i < expected.length; i++) {
      await page.keyboard.press("Tab");
      reached.push((await page.evaluate(`({ order: document.activeElement.dataset.order, outline: getComputedStyle(document.activeElement).outlineStyle })`)) as { order: string | undefined; outline: string });
    }
    expect(reached.map((r) => r.order)).toEqual(expected);
    expect(reached.filter((r) => r.outline === "none")).toEqual([]);
    await page.context().close();
  }), 60_000);

  test("sign-out needs the page's CSRF token; it ends the session; no token or code reaches the log", withLog(async () => {
    const page = await signIn("bob");
    const cookies = await page.context().cookies(base);
    const session = cookies.find((c) => c.name === "fleetward_session")!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
    // A cross-site form without the token is refused and the session stays.
    const forged = await fetch(`${base}/fleet/logout`, { method: "POST", headers: { cookie: `fleetward_session=${session.value}`, "content-type": "application/x-www-form-urlencoded" }, body: "csrf=guess", redirect: "manual" });
    expect(forged.status).toBe(403);
    await page.reload();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${base}/fleet`);
    await expect(page.getByRole("link", { name: "Sign in with GitHub" }).count()).resolves.toBe(1);
    const log = logLines.join("");
    expect(log).toContain("status page: signed in");
    const tokens = [...sim.oauth.tokens.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) expect(log).not.toContain(t);
    // Nor the one-time code or the state of the callback.
    expect(log.match(/.{200}code=[0-9a-f]{20}.{50}/g) ?? []).toEqual([]);
    expect(log).toContain('"url":"/fleet/callback?[redacted]"');
    expect(log).not.toContain(session.value);
    await page.context().close();
  }), 60_000);

  test("the page's headers: CSP without script, nosniff, no referrer; without a session it invites to sign in", withLog(async () => {
    const res = await fetch(`${base}/fleet`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await res.text()).toContain('href="/fleet/login"');
    // A callback whose state is not this browser's is refused.
    const callback = await fetch(`${base}/fleet/callback?code=x&state=y`, { redirect: "manual" });
    expect(callback.status).toBe(400);
  }));
});
