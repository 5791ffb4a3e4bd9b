/** The /fleet routes over HTTP without a browser: off without settings, wrong methods, a token GitHub refuses. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createStatusPageRoutes } from "../../../src/app/status-page/create-status-page-routes.js";
import { SESSION_COOKIE, sealSession } from "../../../src/app/status-page/session.js";
import { GitHubSimulator, type RunningServer } from "../../../src/simulator/github-simulator.js";

const SECRET = "a-session-secret-of-at-least-32-characters";
let server: Server | undefined;

async function serve(env: NodeJS.ProcessEnv): Promise<string> {
  const routes = createStatusPageRoutes({ env, log: pino({ level: "silent" }), now: () => new Date(), loadStatus: () => Promise.reject(new Error("not used")) });
  server = createServer((req, res) => {
    void (async () => {
      for (const route of routes) if (await route(req, res)) return;
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

test("without the OAuth settings every route answers 503 saying what is missing and how to turn the page on", async () => {
  const base = await serve({ GITHUB_CLIENT_ID: "Iv1.x" });
  for (const path of ["/fleet", "/fleet/login", "/fleet/callback?code=x&state=y"]) {
    const res = await fetch(`${base}${path}`, { redirect: "manual" });
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).toContain("GITHUB_CLIENT_SECRET is not set");
    expect(body).toContain("SESSION_SECRET is not set");
    expect(body).not.toContain("GITHUB_CLIENT_ID is not set");
  }
  expect((await fetch(`${base}/fleet/logout`, { method: "POST" })).status).toBe(503);
});

describe("with the settings", () => {
  let sim: GitHubSimulator;
  let api: RunningServer;
  beforeEach(async () => {
    sim = new GitHubSimulator();
    api = await sim.listen();
  });
  afterEach(async () => {
    await api.close();
    sim.assertNoViolations();
  });
  const env = () => ({ GITHUB_CLIENT_ID: "Iv1.x", GITHUB_CLIENT_SECRET: "y", SESSION_SECRET: SECRET, GHE_HOST: api.host, GHE_PROTOCOL: "http" });

  test("sign-in goes to GitHub's authorize page with the client id, the callback under PUBLIC_URL and a state cookie", async () => {
    const base = await serve({ ...env(), PUBLIC_URL: "https://fleet.example.com/" });
    const res = await fetch(`${base}/fleet/login`, { redirect: "manual" });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get("location") ?? "");
    expect(`${to.origin}${to.pathname}`).toBe(`http://${api.host}/login/oauth/authorize`);
    expect(to.searchParams.get("client_id")).toBe("Iv1.x");
    expect(to.searchParams.get("redirect_uri")).toBe("https://fleet.example.com/fleet/callback");
    expect(to.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(res.headers.get("set-cookie")).toMatch(/^fleetward_oauth_state=[^;]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
  });

  test("a session whose token GitHub refuses ends, with an invitation to sign in again", async () => {
    const base = await serve(env());
    const cookie = sealSession(SECRET, { login: "bob", token: "ghu_revoked" }, Date.now());
    const res = await fetch(`${base}/fleet`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Your sign-in has expired");
    expect(res.headers.get("set-cookie")).toMatch(/^fleetward_session=; Path=\/; Max-Age=0;/);
  });

  test("sign-out only by POST; other methods on /fleet are refused", async () => {
    const base = await serve(env());
    const get = await fetch(`${base}/fleet/logout`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await fetch(`${base}/fleet`, { method: "POST" })).status).toBe(405);
  });
});
