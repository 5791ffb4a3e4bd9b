/**
 * The benchmark's pull request (1,000 changed manifests against 20 constraints) makes exactly the minimum number of
 * GitHub API calls stated by `minimumPolicyCheckCalls` — a count, not a timing.
 */
import {
  installPolicyCheckScenario,
  minimumPolicyCheckCalls,
  policyCheckCalls,
  policyCheckScenario,
  VIOLATIONS_PER_BAD_FILE,
} from "../../bench/policy-check-scenario.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const ctx = useGitHubSimulator();

beforeAll(() => ensureRuntimeBuilt());

test("a 1,000-file pull request against 20 constraints makes the minimum number of API calls", async () => {
  const { sim } = ctx;
  const scenario = policyCheckScenario();
  expect(scenario.constraints).toBe(20);
  await installPolicyCheckScenario(sim, scenario);
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "bulk", files: scenario.changedFiles, user: "alice" });
  await sim.settle();

  const before = sim.requestLog.length;
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "bulk", title: "1,000 apps", user: "alice" });
  await sim.settle();
  // Other handlers react to the check runs this creates (promotion gates list pull requests); only the operations the
  // policy check uses are counted, each exactly.
  const calls = policyCheckCalls(sim.requestLog.slice(before));

  const run = sim.checkRunsOf("acme", "gitops", pr.headSha).find((r) => r.name === "fleetward/policy");
  expect(run?.conclusion).toBe("failure");
  const annotations = scenario.violatingFiles * VIOLATIONS_PER_BAD_FILE;
  expect(run?.annotations).toHaveLength(annotations);

  const expected = minimumPolicyCheckCalls({
    files: 1000,
    manifestBlobs: 1000,
    policyBlobs: scenario.policyBlobs,
    annotations,
    configReads: 2,
    tokens: calls.filter((c) => c.operationId === "apps/create-installation-access-token").length,
  });
  const byOperation: Record<string, number> = {};
  for (const { operationId: op } of calls) if (op !== null) byOperation[op] = (byOperation[op] ?? 0) + 1;
  expect(byOperation).toEqual({
    ...(byOperation["apps/create-installation-access-token"] ? { "apps/create-installation-access-token": 1 } : {}),
    "pulls/list-files": 10,
    "checks/list-for-ref": 1,
    "checks/create": 1,
    "repos/get-content": 2,
    "git/get-tree": 1,
    "git/get-blob": scenario.policyBlobs + 1000,
    "checks/update": Math.ceil(annotations / 50),
  });
  expect(calls).toHaveLength(expected);
}, 120_000);
