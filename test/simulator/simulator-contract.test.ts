import { generateKeyPairSync, createSign } from "node:crypto";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import { useNockGuard } from "../helpers/nock-guard.js";
import { TestOctokit } from "../helpers/create-test-probot.js";
import { OpenApiIndex } from "../../src/simulator/openapi-index.js";
import { GitStore } from "../../src/simulator/git-store.js";
import { createSimFixture } from "./sim-fixture.js";

useNockGuard();
const h = useGitHubSimulator({ validateResponses: true });

function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "status" in error ? Number(error.status) : undefined;
}

async function expectStatus(p: Promise<unknown>, status: number): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(statusOf(caught)).toBe(status);
}

test("the OpenAPI description loads once per process, quickly enough", () => {
  const a = OpenApiIndex.get();
  expect(OpenApiIndex.get()).toBe(a);
  // ~0.7 s on an idle machine; the bound only catches pathological regressions on the shared CI box.
  expect(a.loadMs).toBeLessThan(20000);
  expect(a.match("GET", "/repos/o/r/git/ref/heads%2Fmain")?.pathParams).toEqual({ owner: "o", repo: "r", ref: "heads/main" });
  expect(a.match("GET", "/repos/o/r/contents/a/b.yaml")?.pathParams["path"]).toBe("a/b.yaml");
});

test("a made-up endpoint is answered 404 and recorded as a violation that fails the test", async () => {
  const { octokit } = await createSimFixture(h.sim);
  await expectStatus(octokit.request("GET /repos/{owner}/{repo}/made-up-thing", { owner: "acme", repo: "fleet" }), 404);
  await expectStatus(octokit.request("PUT /repos/{owner}/{repo}/pulls", { owner: "acme", repo: "fleet" }), 404);
  expect(h.sim.violations.map((v) => v.message)).toEqual([
    "no operation matches GET /repos/acme/fleet/made-up-thing",
    "method PUT is not described for /repos/acme/fleet/pulls",
  ]);
  expect(() => h.sim.assertNoViolations()).toThrow(/2 API contract violation\(s\)[\s\S]*made-up-thing/);
  expect(h.sim.violations).toHaveLength(0);
});

test("invalid bodies and parameters are refused with 422 and recorded", async () => {
  const { octokit, repo } = await createSimFixture(h.sim);
  const sha = repo.refs.get("refs/heads/main") ?? "";
  // @ts-expect-error deliberately invalid: `name` is required
  await expectStatus(octokit.request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "fleet", head_sha: sha }), 422);
  await expectStatus(
    octokit.rest.checks.create({
      owner: "acme",
      repo: "fleet",
      name: "policy",
      head_sha: sha,
      output: { title: "t", summary: "s", annotations: [{ path: "a.yaml", start_line: 1, end_line: 1, annotation_level: "bad" as "notice", message: "m" }] },
    }),
    422,
  );
  // @ts-expect-error deliberately invalid enum value
  await expectStatus(octokit.request("GET /repos/{owner}/{repo}/pulls", { owner: "acme", repo: "fleet", state: "bogus" }), 422);
  const messages = h.sim.violations.splice(0).map((v) => v.message);
  expect(messages).toHaveLength(3);
  expect(messages[0]).toMatch(/must have required property 'name'/);
  expect(messages[1]).toMatch(/annotation_level/);
  expect(messages[2]).toMatch(/state/);
  expect(h.sim.checkRunsOf("acme", "fleet")).toHaveLength(0);
});

test("more than 50 annotations in one request → 422; annotations accumulate across updates", async () => {
  const { octokit, repo } = await createSimFixture(h.sim);
  const sha = repo.refs.get("refs/heads/main") ?? "";
  const ann = (n: number) => Array.from({ length: n }, (_, i) => ({ path: "clusters/prod/app.yaml", start_line: i + 1, end_line: i + 1, annotation_level: "warning" as const, message: `m${i}` }));
  await expectStatus(octokit.rest.checks.create({ owner: "acme", repo: "fleet", name: "policy", head_sha: sha, output: { title: "t", summary: "s", annotations: ann(51) } }), 422);
  expect(h.sim.violations.splice(0).map((v) => v.message)).toEqual(["body: /output/annotations must NOT have more than 50 items"]);
  expect(h.sim.checkRunsOf("acme", "fleet")).toHaveLength(0);
  const created = await octokit.rest.checks.create({ owner: "acme", repo: "fleet", name: "policy", head_sha: sha, status: "in_progress", output: { title: "t", summary: "s", annotations: ann(50) } });
  await octokit.rest.checks.update({ owner: "acme", repo: "fleet", check_run_id: created.data.id, conclusion: "failure", output: { title: "t", summary: "done", annotations: ann(30) } });
  const all = await octokit.paginate(octokit.rest.checks.listAnnotations, { owner: "acme", repo: "fleet", check_run_id: created.data.id, per_page: 100 });
  expect(all).toHaveLength(80);
  const got = await octokit.rest.checks.get({ owner: "acme", repo: "fleet", check_run_id: created.data.id });
  expect(got.data.status).toBe("completed");
  expect(got.data.output.annotations_count).toBe(80);
  expect(got.data.output.summary).toBe("done");
  const listed = await octokit.rest.checks.listForRef({ owner: "acme", repo: "fleet", ref: "main", check_name: "policy" });
  expect(listed.data.check_runs.map((c) => c.id)).toEqual([created.data.id]);
  const none = await octokit.rest.checks.listForRef({ owner: "acme", repo: "fleet", ref: "main", check_name: "other" });
  expect(none.data.total_count).toBe(0);
  const suites = await octokit.rest.checks.listSuitesForRef({ owner: "acme", repo: "fleet", ref: sha });
  expect(suites.data.check_suites.map((s) => [s.status, s.conclusion])).toEqual([["completed", "failure"]]);
});

test("git objects hash exactly as real git; non-fast-forward ref updates need force", async () => {
  const { octokit, repo } = await createSimFixture(h.sim);
  const blob = await octokit.rest.git.createBlob({ owner: "acme", repo: "fleet", content: "hello world\n" });
  // `printf 'hello world\n' | git hash-object --stdin`
  expect(blob.data.sha).toBe("3b18e512dba79e4c8300dd08aeb37f8e728b8dad");
  const b64 = await octokit.rest.git.createBlob({ owner: "acme", repo: "fleet", content: Buffer.from("#!/bin/sh\n").toString("base64"), encoding: "base64" });
  const tree = await octokit.rest.git.createTree({
    owner: "acme",
    repo: "fleet",
    tree: [
      { path: "hello.txt", mode: "100644", type: "blob", sha: blob.data.sha },
      { path: "run.sh", mode: "100755", type: "blob", sha: b64.data.sha },
      { path: "deploy/app.yaml", mode: "100644", type: "blob", content: "kind: Deployment\n" },
    ],
  });
  // `git write-tree` of the same three files
  expect(tree.data.sha).toBe("f6ae4d041c200e7d1320330872ebe8610bb87afc");
  const ada = { name: "Ada", email: "ada@example.com", date: "2026-01-01T00:00:00Z" };
  const commit = await octokit.rest.git.createCommit({ owner: "acme", repo: "fleet", message: "Initial commit\n", tree: tree.data.sha, parents: [], author: ada, committer: ada });
  // `git commit-tree` with the same identities and dates
  expect(commit.data.sha).toBe("65c3d9d0560fb65559a331b21eb37c364e073f89");
  expect(GitStore.hash("tree", Buffer.alloc(0))).toBe("4b825dc642cb6eb9a060e54bf8d69288fbee4904");

  const removed = await octokit.rest.git.createTree({ owner: "acme", repo: "fleet", base_tree: tree.data.sha, tree: [{ path: "run.sh", mode: "100644", type: "blob", sha: null }] });
  const recursive = await octokit.rest.git.getTree({ owner: "acme", repo: "fleet", tree_sha: removed.data.sha, recursive: "1" });
  expect(recursive.data.tree.map((e) => `${e.mode} ${e.type} ${e.path}`)).toEqual(["040000 tree deploy", "100644 blob deploy/app.yaml", "100644 blob hello.txt"]);

  const main = repo.refs.get("refs/heads/main") ?? "";
  const unrelated = await octokit.rest.git.createCommit({ owner: "acme", repo: "fleet", message: "other", tree: tree.data.sha, parents: [] });
  await expectStatus(octokit.rest.git.updateRef({ owner: "acme", repo: "fleet", ref: "heads/main", sha: unrelated.data.sha }), 422);
  expect(repo.refs.get("refs/heads/main")).toBe(main);
  const forced = await octokit.rest.git.updateRef({ owner: "acme", repo: "fleet", ref: "heads/main", sha: unrelated.data.sha, force: true });
  expect(forced.data.object.sha).toBe(unrelated.data.sha);
  const child = await octokit.rest.git.createCommit({ owner: "acme", repo: "fleet", message: "child", tree: removed.data.sha, parents: [unrelated.data.sha] });
  const ff = await octokit.rest.git.updateRef({ owner: "acme", repo: "fleet", ref: "heads/main", sha: child.data.sha });
  expect(ff.data.object.sha).toBe(child.data.sha);
  const push = h.sim.webhooks.deliveries().filter((d) => d.name === "push").map((d) => d.payload as { forced: boolean; after: string });
  expect(push.map((p) => [p.after, p.forced])).toEqual([
    [unrelated.data.sha, true],
    [child.data.sha, false],
  ]);
  await expectStatus(octokit.rest.git.createRef({ owner: "acme", repo: "fleet", ref: "refs/heads/main", sha: child.data.sha }), 422);
  await octokit.rest.git.createRef({ owner: "acme", repo: "fleet", ref: "refs/heads/feature/x", sha: main });
  const matching = await octokit.rest.git.listMatchingRefs({ owner: "acme", repo: "fleet", ref: "heads/feature" });
  expect(matching.data.map((r) => r.ref)).toEqual(["refs/heads/feature/x"]);
  await octokit.rest.git.deleteRef({ owner: "acme", repo: "fleet", ref: "heads/feature/x" });
  await expectStatus(octokit.rest.git.getRef({ owner: "acme", repo: "fleet", ref: "heads/feature/x" }), 404);
});

test("getContent: JSON, raw media type, ref, 404", async () => {
  const { octokit } = await createSimFixture(h.sim);
  h.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "dev", files: { "clusters/prod/app.yaml": "replicas: 3\n" }, user: "alice" });
  const json = await octokit.rest.repos.getContent({ owner: "acme", repo: "fleet", path: "clusters/prod/app.yaml" });
  expect(Array.isArray(json.data)).toBe(false);
  if (Array.isArray(json.data) || json.data.type !== "file") throw new Error("expected a file");
  expect(Buffer.from(json.data.content, "base64").toString()).toBe("replicas: 2\n");
  const raw = await octokit.rest.repos.getContent({ owner: "acme", repo: "fleet", path: "clusters/prod/app.yaml", ref: "dev", mediaType: { format: "raw" } });
  expect(raw.data as unknown).toBe("replicas: 3\n");
  const dir = await octokit.rest.repos.getContent({ owner: "acme", repo: "fleet", path: "clusters" });
  expect(Array.isArray(dir.data) ? dir.data.map((e) => [e.type, e.path]) : []).toEqual([["dir", "clusters/prod"]]);
  await expectStatus(octokit.rest.repos.getContent({ owner: "acme", repo: "fleet", path: "nope.yaml" }), 404);
});

test("pulls.listFiles paginates past 100 files with GitHub's Link headers", async () => {
  const { octokit } = await createSimFixture(h.sim);
  const files: Record<string, string> = {};
  for (let i = 0; i < 250; i++) files[`apps/app-${String(i).padStart(3, "0")}.yaml`] = `name: app-${i}\n`;
  h.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "many", files, user: "alice" });
  const pr = await octokit.rest.pulls.create({ owner: "acme", repo: "fleet", head: "many", base: "main", title: "many files" });
  const page1 = await octokit.rest.pulls.listFiles({ owner: "acme", repo: "fleet", pull_number: pr.data.number, per_page: 100 });
  const base = `https://api.github.com/repositories/${h.sim.repo("acme", "fleet").id}/pulls/${pr.data.number}/files`;
  expect(page1.data).toHaveLength(100);
  expect(page1.headers.link).toBe(`<${base}?per_page=100&page=2>; rel="next", <${base}?per_page=100&page=3>; rel="last"`);
  const page3 = await octokit.rest.pulls.listFiles({ owner: "acme", repo: "fleet", pull_number: pr.data.number, per_page: 100, page: 3 });
  expect(page3.data).toHaveLength(50);
  expect(page3.headers.link).toBe(`<${base}?per_page=100&page=2>; rel="prev", <${base}?per_page=100&page=1>; rel="first"`);
  const all = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: "acme", repo: "fleet", pull_number: pr.data.number, per_page: 100 });
  expect(all.map((f) => f.filename)).toEqual(Object.keys(files).sort());
  expect(h.sim.callCount("pulls/list-files")).toBe(5);
  const clamped = await octokit.rest.pulls.listFiles({ owner: "acme", repo: "fleet", pull_number: pr.data.number, per_page: 500 });
  expect(clamped.data).toHaveLength(100);
});

test("installation tokens need a JWT signed with the app's key; tokens are required for the API", async () => {
  const { repo } = await createSimFixture(h.sim);
  const app = [...h.sim.apps.values()][0];
  if (!app) throw new Error("no app");
  const jwtWith = (pem: string, iss: number): string => {
    const now = Math.floor(Date.now() / 1000);
    const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
    const data = `${enc({ alg: "RS256", typ: "JWT" })}.${enc({ iat: now - 30, exp: now + 540, iss })}`;
    return `${data}.${createSign("RSA-SHA256").update(data).sign(pem).toString("base64url")}`;
  };
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const inst = [...h.sim.installations.values()][0];
  if (!inst) throw new Error("no installation");
  const bad = await h.sim.handle({ method: "POST", url: `/app/installations/${inst.id}/access_tokens`, headers: { authorization: `Bearer ${jwtWith(other, app.id)}` } });
  expect(bad.status).toBe(401);
  expect(JSON.parse(bad.body)).toMatchObject({ message: "A JSON web token could not be decoded" });
  const good = await h.sim.handle({ method: "POST", url: `/app/installations/${inst.id}/access_tokens`, headers: { authorization: `Bearer ${jwtWith(app.privateKey, app.id)}` } });
  expect(good.status).toBe(201);
  const token = (JSON.parse(good.body) as { token: string }).token;
  expect(token).toMatch(/^ghs_/);
  const anon = await h.sim.handle({ method: "GET", url: `/repos/acme/fleet`, headers: {} });
  expect(anon.status).toBe(401);
  const forged = await h.sim.handle({ method: "GET", url: `/repos/acme/fleet`, headers: { authorization: "token ghs_forged" } });
  expect(forged.status).toBe(401);
  const ok = await h.sim.handle({ method: "GET", url: `/repos/acme/fleet`, headers: { authorization: `token ${token}` } });
  expect(ok.status).toBe(200);
  expect((JSON.parse(ok.body) as { id: number }).id).toBe(repo.id);
  const unauthorizedApp = new TestOctokit({ auth: { appId: app.id, privateKey: other }, baseUrl: "https://api.github.com" });
  await expectStatus(unauthorizedApp.request("GET /app"), 401);
});

test("failure injection answers the next matching calls with the given status; retries are off", async () => {
  const { octokit } = await createSimFixture(h.sim);
  h.sim.failNext({ operationId: "repos/get", status: 502, times: 2 });
  await expectStatus(octokit.rest.repos.get({ owner: "acme", repo: "fleet" }), 502);
  await expectStatus(octokit.rest.repos.get({ owner: "acme", repo: "fleet" }), 502);
  const ok = await octokit.rest.repos.get({ owner: "acme", repo: "fleet" });
  expect(ok.status).toBe(200);
  expect(h.sim.requestLog.filter((e) => e.operationId === "repos/get").map((e) => e.status)).toEqual([502, 502, 200]);
  h.sim.failNext({ method: "POST", status: 403, message: "API rate limit exceeded", headers: { "x-ratelimit-remaining": "0", "retry-after": "60" } });
  let limited: unknown;
  try {
    await octokit.rest.issues.create({ owner: "acme", repo: "fleet", title: "x" });
  } catch (e) {
    limited = e;
  }
  expect(limited).toMatchObject({ status: 403, response: { headers: { "x-ratelimit-remaining": "0", "retry-after": "60" } } });
  expect(h.sim.issues("acme", "fleet")).toHaveLength(0);
  expect((await octokit.rest.issues.create({ owner: "acme", repo: "fleet", title: "x" })).status).toBe(201);
});

test("collaborator permission and team membership", async () => {
  const { octokit } = await createSimFixture(h.sim);
  h.sim.setPermission("acme", "fleet", "mona", "maintain");
  h.sim.user("stranger");
  const mona = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "fleet", username: "mona" });
  expect([mona.data.permission, mona.data.role_name]).toEqual(["write", "maintain"]);
  const stranger = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "fleet", username: "stranger" });
  expect([stranger.data.permission, stranger.data.role_name]).toEqual(["none", "none"]);
  h.sim.addTeamMember("acme", "platform", "mona", "maintainer");
  const m = await octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "platform", username: "mona" });
  expect([m.data.role, m.data.state]).toEqual(["maintainer", "active"]);
  await expectStatus(octokit.rest.teams.getMembershipForUserInOrg({ org: "acme", team_slug: "platform", username: "stranger" }), 404);
});
