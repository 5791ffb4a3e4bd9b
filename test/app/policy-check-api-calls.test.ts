/**
 * The policy check's GitHub call budget (docs/policy-checks.md), through the real app over HTTP against the
 * simulator: the benchmark's 1,000-file pull request (20 constraints) makes exactly `minimumPolicyCheckCalls`
 * requests, at most 25; and the batched reads (GraphQL, tarball) give the same verdict and annotations as one REST
 * read per file, with a file of each kind: manifests, a binary file, one larger than GraphQL's text limit, a
 * deleted and a renamed one.
 */
import {
  deployment,
  installPolicyCheckScenario,
  minimumPolicyCheckCalls,
  policyCheckCalls,
  policyCheckScenario,
  VIOLATIONS_PER_BAD_FILE,
} from "../../bench/policy-check-scenario.js";
import type { GitHubSimulator } from "../../src/simulator/github-simulator.js";
import { GRAPHQL_TEXT_LIMIT } from "../../src/simulator/graphql-handler.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const ctx = useGitHubSimulator({ nock: false });

beforeAll(() => ensureRuntimeBuilt());
afterEach(() => {
  delete process.env.FLEETWARD_BLOB_READS;
});

/** Base files for the special kinds: one to delete, one to rename. */
const SPECIAL_BASE: Record<string, string> = {
  "envs/prod/old/deploy.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n",
  "envs/prod/moved/deploy.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: moved\n  labels: { tier: web }\n",
};

/** A violating Deployment padded past GraphQL's text limit (its violations are at its end). */
function oversizeManifest(): string {
  const padding = Array.from({ length: Math.ceil(GRAPHQL_TEXT_LIMIT / 60) }, (_, i) => `    k${i}: "${"x".repeat(48)}"`).join("\n");
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big-data\ndata:\n${padding}\n---\n${deployment(100_000, true)}`;
}


/** The pull request's special files: binary, oversize, deleted, renamed. */
const SPECIAL_CHANGES: Record<string, string | Buffer | null> = {
  "envs/prod/binary/blob.yaml": Buffer.from([0x6b, 0x3a, 0x00, 0x01, 0xff, 0x0a]),
  "envs/prod/big/deploy.yaml": oversizeManifest(),
  "envs/prod/old/deploy.yaml": null,
  "envs/prod/moved/deploy.yaml": null,
  "envs/prod/renamed/deploy.yaml": SPECIAL_BASE["envs/prod/moved/deploy.yaml"] ?? "",
};

function policyRun(sim: GitHubSimulator, headSha: string) {
  const run = sim.checkRunsOf("acme", "gitops", headSha).find((r) => r.name === "fleetward/policy");
  if (run === undefined) throw new Error(`no fleetward/policy run on ${headSha}`);
  const annotations = (run.annotations ?? []).map((a) => JSON.stringify(a)).sort();
  return { conclusion: run.conclusion, title: run.output?.title, summary: run.output?.summary, annotations, paths: new Set((run.annotations ?? []).map((a) => a.path)) };
}

/** Opens a pull request of `branch` with FLEETWARD_BLOB_READS=`reads`; the policy check's requests and its run. */
async function check(sim: GitHubSimulator, branch: string, reads: string) {
  process.env.FLEETWARD_BLOB_READS = reads;
  const before = sim.requestLog.length;
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: branch, title: branch, user: "alice" });
  await sim.settle();
  const log = sim.requestLog.slice(before);
  return { calls: policyCheckCalls(log), downloads: log.filter((c) => c.operationId === "codeload").length, run: policyRun(sim, pr.headSha) };
}

/** The violating Deployments and the oversize file (its Deployment is past GraphQL's text limit) are annotated; the binary file is not judged. */
function expectSpecialFilesJudged(run: ReturnType<typeof policyRun>, violatingFiles: number): void {
  const bigDeploymentLine = oversizeManifest().split("\n").indexOf("kind: Deployment") + 1;
  const big = run.annotations.map((a) => JSON.parse(a) as { path: string; start_line: number }).filter((a) => a.path === "envs/prod/big/deploy.yaml");
  // The image's violations are past GraphQL's text limit: the whole text was read.
  expect(big.filter((a) => a.start_line > bigDeploymentLine).length).toBeGreaterThanOrEqual(VIOLATIONS_PER_BAD_FILE);
  expect(run.paths.has("envs/prod/binary/blob.yaml")).toBe(false);
  expect(run.annotations.length).toBeGreaterThanOrEqual((violatingFiles + 1) * VIOLATIONS_PER_BAD_FILE);
}

function countByOperation(calls: ReadonlyArray<{ operationId: string | null }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { operationId: op } of calls) if (op !== null) out[op] = (out[op] ?? 0) + 1;
  return out;
}

test("a 1,000-file pull request: calls as the budget formula says (≤ 25), verdict equal to per-file reads", async () => {
  const { sim } = ctx;
  const server = await sim.listen();
  try {
    const scenario = policyCheckScenario();
    await installPolicyCheckScenario(sim, { ...scenario, baseFiles: { ...scenario.baseFiles, ...SPECIAL_BASE } }, server.baseUrl);
    const changes = { ...scenario.changedFiles, ...SPECIAL_CHANGES };
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "bulk", files: changes, user: "alice" });
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "bulk-per-file", files: changes, user: "alice", message: "same files", from: "main" });
    await sim.settle();

    const batched = await check(sim, "bulk", "auto");
    const files = Object.keys(changes).length;
    // Listed: 1,003 added/modified files, 1 deleted, 1 renamed (the deleted "moved" path is the rename's previous path).
    expect(files).toBe(1005);
    const listed = 1004;
    // Manifests read: the 1,000 Deployments, the oversize and binary files, the renamed one.
    const manifestBlobs = 1003;
    // The head: the base's files, 1,003 added, 2 gone (deleted, renamed away).
    const headFiles = Object.keys(scenario.baseFiles).length + 2 + 1003 - 2;
    const annotations = batched.run.annotations.length;
    expect(batched.run.conclusion).toBe("failure");
    expectSpecialFilesJudged(batched.run, scenario.violatingFiles);
    const tokens = batched.calls.filter((c) => c.operationId === "apps/create-installation-access-token").length;
    const budget = minimumPolicyCheckCalls({ files: listed, manifestBlobs, headFiles, headBytes: 2 ** 20, policyBlobs: scenario.policyBlobs, annotations, configReads: 2, tokens });
    expect(countByOperation(batched.calls)).toEqual({
      ...(tokens > 0 ? { "apps/create-installation-access-token": 1 } : {}),
      "pulls/list-files": 11,
      "checks/list-for-ref": 1,
      "checks/create": 1,
      "repos/get-content": 2,
      "git/get-tree": 1,
      graphql: 1,
      "repos/download-tarball-archive": 1,
      "checks/update": Math.ceil(annotations / 50),
    });
    expect(batched.calls).toHaveLength(budget);
    expect(budget).toBeLessThanOrEqual(25);
    expect(batched.downloads).toBe(1);

    const perFile = await check(sim, "bulk-per-file", "per-file");
    expect(countByOperation(perFile.calls)["git/get-blob"]).toBe(manifestBlobs);
    expect(perFile.run).toEqual(batched.run);
  } finally {
    await server.close();
  }
}, 300_000);

test.each(["graphql", "tarball"])("%s reads: the same verdict and annotations as per-file reads, a file of each kind", async (reads) => {
  const { sim } = ctx;
  const server = await sim.listen();
  try {
    const scenario = policyCheckScenario({ manifests: 6, violatingEvery: 3 });
    // A policy text of this test's own (a comment), so the policies are read here rather than found in the app's cache.
    const constraint = Object.keys(scenario.baseFiles).find((p) => p.startsWith("policies/constraints/")) ?? "";
    const own = { [constraint]: `${scenario.baseFiles[constraint] ?? ""}# ${reads}\n` };
    await installPolicyCheckScenario(sim, { ...scenario, baseFiles: { ...scenario.baseFiles, ...SPECIAL_BASE, ...own } }, server.baseUrl);
    const changes = { ...scenario.changedFiles, ...SPECIAL_CHANGES };
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "batched", files: changes, user: "alice" });
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "per-file", files: changes, user: "alice", message: "same files", from: "main" });
    await sim.settle();

    const batched = await check(sim, "batched", reads);
    const perFile = await check(sim, "per-file", "per-file");
    expect(batched.run.conclusion).toBe("failure");
    expectSpecialFilesJudged(batched.run, scenario.violatingFiles);
    expect(perFile.run).toEqual(batched.run);
    const ops = countByOperation(batched.calls);
    // GraphQL: one query for the policies, one for the 9 head blobs; the oversize text is read again by REST.
    if (reads === "graphql") expect([ops.graphql, ops["git/get-blob"], ops["repos/download-tarball-archive"]]).toEqual([2, 1, undefined]);
    // Tarball: the base's and the head's (policies and manifests), nothing by blob.
    else expect([ops.graphql, ops["git/get-blob"], ops["repos/download-tarball-archive"], batched.downloads]).toEqual([undefined, undefined, 2, 2]);
  } finally {
    await server.close();
  }
}, 120_000);
