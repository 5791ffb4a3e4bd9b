/**
 * End to end through the GitHub simulator: a prebuilt OPA bundle committed as binary is a policy source of
 * `fleetward/policy` (read from the base as bytes, loaded once per blob SHA), and a Gatekeeper template that reads
 * `data.inventory` sees the head's unchanged manifests (one more tree listing and their blobs, only then).
 */
import { listTree, readBlobBytes } from "../../src/app/github/read-tree-files.js";
import { fleetwardApp } from "../../src/app/index.js";
import { createTestProbot } from "../helpers/create-test-probot.js";
import { installAppClient } from "../helpers/install-app-client.js";
import { bundlesConfig, deployment, ingress, policyBundle, UNIQUE_HOST_CONSTRAINT, UNIQUE_HOST_TEMPLATE } from "../helpers/policy-bundle-fixtures.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import type { GitHubSimulator } from "../../src/simulator/github-simulator.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const BUNDLE_PATH = "policy/bundle.tar.gz";
const FLEET = `environments:
  - name: prod
    paths: ["envs/prod/**"]
`;

const ctx = useGitHubSimulator();
let bundle: Buffer;

beforeAll(() => {
  ensureRuntimeBuilt();
  bundle = Buffer.from(policyBundle());
});

async function setup(files: Record<string, string | Buffer>): Promise<GitHubSimulator> {
  const { sim } = ctx;
  const { app } = await createTestProbot({ sim, appFn: fleetwardApp() });
  sim.createRepo({ owner: "acme", name: "gitops", files });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  return sim;
}

const policyRun = (sim: GitHubSimulator, sha: string) => sim.checkRunsOf("acme", "gitops", sha).find((r) => r.name === "fleetward/policy");

test("readBlobBytes returns a binary blob byte for byte (the simulator stores and serves it as base64)", async () => {
  const { sim } = ctx;
  const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 131 + 7) % 256));
  const { gh } = installAppClient(sim, { owner: "acme", repo: "gitops", files: { "bin/all-bytes": bytes, [BUNDLE_PATH]: bundle } });
  const listing = await listTree(gh, { owner: "acme", repo: "gitops", ref: "main" });
  for (const [path, expected] of [["bin/all-bytes", bytes], [BUNDLE_PATH, bundle]] as const) {
    const read = await readBlobBytes(gh, { owner: "acme", repo: "gitops", sha: listing.blobs.get(path)! });
    expect(Buffer.from(read).equals(expected)).toBe(true);
  }
});

test("a bundle committed as binary fails a pull request with annotations; a second pull request on the same base does not read it again", async () => {
  const sim = await setup({ ".github/fleetward.yml": `${FLEET}policies:\n${bundlesConfig(BUNDLE_PATH)}`, [BUNDLE_PATH]: bundle });
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "api", files: { "envs/prod/api/deploy.yaml": deployment("api", "docker.io/api:1") }, user: "alice" });
  const blobsBefore = sim.callCount("git/get-blob");
  const queriesBefore = sim.callCount("graphql");
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "api", title: "Add api", user: "alice" });
  await sim.settle();

  const run = policyRun(sim, pr.headSha);
  expect(run?.conclusion).toBe("failure");
  expect(run?.output.title).toBe("2 violations denied");
  expect(run?.annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.title, a.message])).toEqual([
    ["envs/prod/api/deploy.yaml", 8, "failure", "main.deny (deny, prod)", "api must run as non-root"],
    ["envs/prod/api/deploy.yaml", 11, "failure", "k8s.images.violation (deny, prod)", "image docker.io/api:1 is not from an approved registry"],
  ]);
  expect(run?.output.summary).toContain(`bundle: \`${BUNDLE_PATH}\``);
  // The bundle blob (bytes, REST) and the changed manifest (a GraphQL batch).
  expect([sim.callCount("git/get-blob") - blobsBefore, sim.callCount("graphql") - queriesBefore]).toEqual([1, 1]);
  // No manifest of the repository is needed beyond the changed ones: one tree listing (the base's).
  expect(sim.requestLog.filter((c) => c.operationId === "git/get-tree")).toHaveLength(1);

  sim.commitFiles({
    owner: "acme",
    repo: "gitops",
    branch: "web",
    files: { "envs/prod/web/deploy.yaml": deployment("web", "registry.example.com/web:1", "\n      securityContext: { runAsNonRoot: true }") },
    user: "bob",
  });
  const blobsBetween = sim.callCount("git/get-blob") + sim.callCount("graphql");
  const second = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "web", title: "Add web", user: "bob" });
  await sim.settle();
  expect(policyRun(sim, second.headSha)?.conclusion).toBe("success");
  // Only the changed manifest: the compiled sources of that base are cached.
  expect(sim.callCount("git/get-blob") + sim.callCount("graphql") - blobsBetween).toBe(1);

  // Another policy file changes on the base: the sources are built again, but the bundle (same blob SHA) is not read.
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "main", files: { "policy/extra.rego": "package main\n\nwarn contains \"checked\" if false\n" }, user: "carol" });
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "db", files: { "envs/prod/db/deploy.yaml": deployment("db", "docker.io/db:1") }, user: "bob" });
  const blobsThird = sim.callCount("git/get-blob");
  const queriesThird = sim.callCount("graphql");
  const third = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "db", title: "Add db", user: "bob" });
  await sim.settle();
  expect(policyRun(sim, third.headSha)?.conclusion).toBe("failure");
  // policy/extra.rego and the changed manifest (a GraphQL batch each), not the bundle.
  expect([sim.callCount("git/get-blob") - blobsThird, sim.callCount("graphql") - queriesThird]).toEqual([0, 2]);
});

test("a configured bundle that is not on the base branch fails the check with policy_bundle_missing", async () => {
  const sim = await setup({ ".github/fleetward.yml": `${FLEET}policies:\n${bundlesConfig("policy/missing.tar.gz")}` });
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "api", files: { "envs/prod/api/deploy.yaml": deployment("api", "registry.example.com/api:1") }, user: "alice" });
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "api", title: "Add api", user: "alice" });
  await sim.settle();
  const run = policyRun(sim, pr.headSha);
  expect(run?.conclusion).toBe("failure");
  expect(run?.output.title).toBe("1 policy error");
  expect(run?.output.summary).toContain("policy_bundle_missing");
  expect(run?.output.summary).toContain("policy/missing.tar.gz");
});

test("a uniqueness template reading data.inventory catches a conflict with an unchanged file of the head", async () => {
  const sim = await setup({
    ".github/fleetward.yml": FLEET,
    "policies/unique/template.yaml": UNIQUE_HOST_TEMPLATE,
    "policies/unique/constraint.yaml": UNIQUE_HOST_CONSTRAINT,
    "envs/prod/blog/ingress.yaml": ingress("blog", "shop.example.com", "blog"),
    "envs/prod/docs/ingress.yaml": ingress("docs", "docs.example.com", "docs"),
  });
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "shop", files: { "envs/prod/shop/ingress.yaml": ingress("shop", "shop.example.com") }, user: "alice" });
  const before = sim.requestLog.length;
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "shop", title: "Add shop", user: "alice" });
  await sim.settle();

  const run = policyRun(sim, pr.headSha);
  expect(run?.conclusion).toBe("failure");
  expect(run?.annotations.map((a) => [a.path, a.start_line, a.message])).toEqual([
    ["envs/prod/shop/ingress.yaml", 1, "host shop.example.com is already used by ingress blog/blog"],
  ]);
  const calls = sim.requestLog.slice(before);
  // The base's tree (policies) and the head's (the inventory); blobs in 3 GraphQL batches: 2 policy files, 1 changed,
  // 2 unchanged manifests.
  expect(calls.filter((c) => c.operationId === "git/get-tree")).toHaveLength(2);
  expect(calls.filter((c) => c.operationId === "git/get-blob")).toHaveLength(0);
  expect(calls.filter((c) => c.operationId === "graphql")).toHaveLength(3);

  // A fix: another host. The unchanged manifests come from the cache (by blob SHA): only the changed file is read.
  const fix = sim.commitFiles({ owner: "acme", repo: "gitops", branch: "shop", files: { "envs/prod/shop/ingress.yaml": ingress("shop", "shop2.example.com") }, user: "alice" });
  const blobs = sim.callCount("git/get-blob") + sim.callCount("graphql");
  await sim.settle();
  expect(policyRun(sim, fix.sha)?.conclusion).toBe("success");
  expect(sim.callCount("git/get-blob") + sim.callCount("graphql") - blobs).toBe(1);
});

test("a pull request that changes a policy and reads data.inventory lists the head's tree once for both the inventory and the policy tests", async () => {
  const sim = await setup({
    ".github/fleetward.yml": FLEET,
    "policies/unique/template.yaml": UNIQUE_HOST_TEMPLATE,
    "policies/unique/constraint.yaml": UNIQUE_HOST_CONSTRAINT,
    "envs/prod/blog/ingress.yaml": ingress("blog", "shop.example.com", "blog"),
  });
  const files = { "envs/prod/shop/ingress.yaml": ingress("shop", "shop.example.com"), "policies/unique/constraint.yaml": `${UNIQUE_HOST_CONSTRAINT}\n` };
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "shop", files, user: "alice" });
  const before = sim.requestLog.length;
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "shop", title: "Add shop", user: "alice" });
  await sim.settle();

  expect(policyRun(sim, pr.headSha)?.conclusion).toBe("failure");
  expect(sim.checkRunsOf("acme", "gitops", pr.headSha).map((r) => r.name)).toContain("fleetward/policy-tests");
  const trees = sim.requestLog.slice(before).filter((c) => c.operationId === "git/get-tree");
  // The base's tree (policies) and the head's, once (the inventory and the policy tests both read it).
  expect(trees).toHaveLength(2);
});

test("more bundles than the bundle cache holds all judge the pull request", async () => {
  const paths = Array.from({ length: 9 }, (_, i) => `policy/b${i}.tar.gz`);
  const entries = paths.map((p) => `    - { path: ${p}, entrypoints: [{ entrypoint: main/deny, style: conftest }] }\n`).join("");
  // Distinct blobs (a revision each), so each is its own cache entry.
  const files = Object.fromEntries(paths.map((p, i) => [p, Buffer.from(policyBundle(`r${i}`))]));
  const sim = await setup({ ".github/fleetward.yml": `${FLEET}policies:\n  bundles:\n${entries}`, ...files });
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "api", files: { "envs/prod/api/deploy.yaml": deployment("api", "registry.example.com/api:1") }, user: "alice" });
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "api", title: "Add api", user: "alice" });
  await sim.settle();
  const run = policyRun(sim, pr.headSha);
  expect(run?.output.title).toBe("9 violations denied");
  expect(run?.output.summary).not.toContain("policy_bundle_missing");
  expect(new Set(Object.values(files).map((b) => b.toString("base64"))).size).toBe(9);
});
