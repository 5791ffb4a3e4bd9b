/** The simulator's OAuth web flow and user-to-server tokens, over its HTTP server. */
import { GitHubSimulator, type RunningServer } from "../../src/simulator/github-simulator.js";

let sim: GitHubSimulator;
let srv: RunningServer;
let appId: number;

beforeEach(async () => {
  sim = new GitHubSimulator({ validateResponses: true });
  srv = await sim.listen();
  appId = sim.createApp().id;
  sim.createRepo({ owner: "acme", name: "open", private: false });
  sim.createRepo({ owner: "acme", name: "secret", private: true });
  sim.createRepo({ owner: "acme", name: "other", private: true });
  sim.install({ appId, account: "acme", repos: ["open", "secret"] });
  sim.setPermission("acme", "secret", "alice", "read");
  sim.setPermission("acme", "other", "alice", "admin");
});
afterEach(async () => {
  await srv.close();
  sim.assertNoViolations();
});

const api = (path: string, token: string) => fetch(`${srv.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: "application/vnd.github+json" } });

async function signIn(login: string): Promise<string> {
  sim.oauth.signInAs(login);
  const authorize = new URL(`/login/oauth/authorize`, `http://${srv.host}`);
  authorize.searchParams.set("client_id", sim.oauth.clientId(appId));
  authorize.searchParams.set("redirect_uri", "http://127.0.0.1:1/fleet/callback");
  authorize.searchParams.set("state", "st4te");
  const res = await fetch(authorize, { redirect: "manual" });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get("location")!);
  expect(`${back.origin}${back.pathname}`).toBe("http://127.0.0.1:1/fleet/callback");
  expect(back.searchParams.get("state")).toBe("st4te");
  const code = back.searchParams.get("code")!;
  const token = await fetch(`http://${srv.host}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: sim.oauth.clientId(appId), client_secret: sim.oauth.clientSecret(appId), code, redirect_uri: "http://127.0.0.1:1/fleet/callback" }),
  });
  const body = (await token.json()) as { access_token: string; token_type: string };
  expect(body.token_type).toBe("bearer");
  return body.access_token;
}

test("authorize redirects back with a code and the state; the code buys a user token once", async () => {
  const token = await signIn("alice");
  expect(token).toMatch(/^ghu_/);
  const me = await api("/user", token);
  expect(await me.json()).toMatchObject({ login: "alice", type: "User" });
});

test("wrong client secret, reused or unknown codes get GitHub's 200 answers with an error", async () => {
  sim.oauth.signInAs("alice");
  const res = await fetch(`http://${srv.host}/login/oauth/authorize?client_id=${sim.oauth.clientId(appId)}&redirect_uri=http://x.test/cb`, { redirect: "manual" });
  const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
  const trade = (fields: Record<string, string>, accept = "application/json") =>
    fetch(`http://${srv.host}/login/oauth/access_token`, { method: "POST", headers: { accept, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
  const bad = await trade({ client_id: sim.oauth.clientId(appId), client_secret: "nope", code });
  expect(await bad.json()).toMatchObject({ error: "incorrect_client_credentials" });
  const ok = await trade({ client_id: sim.oauth.clientId(appId), client_secret: sim.oauth.clientSecret(appId), code }, "*/*");
  expect(ok.headers.get("content-type")).toContain("application/x-www-form-urlencoded");
  expect(new URLSearchParams(await ok.text()).get("access_token")).toMatch(/^ghu_/);
  const again = await trade({ client_id: sim.oauth.clientId(appId), client_secret: sim.oauth.clientSecret(appId), code });
  expect(await again.json()).toMatchObject({ error: "bad_verification_code" });
  // No user chosen: the authorize page refuses instead of guessing.
  sim.oauth.signInAs(undefined);
  expect((await fetch(`http://${srv.host}/login/oauth/authorize?client_id=${sim.oauth.clientId(appId)}&redirect_uri=http://x.test/cb`, { redirect: "manual" })).status).toBe(403);
  expect((await fetch(`http://${srv.host}/login/oauth/authorize?client_id=unknown&redirect_uri=http://x.test/cb`, { redirect: "manual" })).status).toBe(404);
});

test("a user token sees the app's installations and, in them, only the repositories the user can read", async () => {
  const alice = await signIn("alice");
  const bob = await signIn("bob");
  const installs = (await (await api("/user/installations", alice)).json()) as { installations: { id: number }[] };
  expect(installs.installations).toHaveLength(1);
  const id = installs.installations[0]!.id;
  const repos = async (token: string) => ((await (await api(`/user/installations/${id}/repositories`, token)).json()) as { repositories: { full_name: string }[] }).repositories.map((r) => r.full_name);
  // alice: the public one and the private one she is a collaborator of; not "other" (the app is not installed there).
  expect(await repos(alice)).toEqual(["acme/open", "acme/secret"]);
  expect(await repos(bob)).toEqual(["acme/open"]);
  expect((await api("/repos/acme/secret", alice)).status).toBe(200);
  expect((await api("/repos/acme/secret", bob)).status).toBe(404);
  expect((await api("/repos/acme/other", alice)).status).toBe(404);
  // A user token may not do what the page does not need.
  expect((await api("/repos/acme/secret/pulls", alice)).status).toBe(403);
  expect((await api("/user", "ghu_forged")).status).toBe(401);
});
