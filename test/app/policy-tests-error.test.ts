/**
 * An error while running `fleetward/policy-tests` (here: GitHub failing the head's tree listing) completes that run
 * as a failure saying so, and leaves the already published `fleetward/policy` run as it was.
 */
import { fleetwardApp } from "../../src/app/index.js";
import { createTestProbot } from "../helpers/create-test-probot.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const ctx = useGitHubSimulator();
beforeAll(() => ensureRuntimeBuilt());

test("the policy-tests run fails with the error; the policy run keeps its own conclusion", async () => {
  const { sim } = ctx;
  const { app } = await createTestProbot({ sim, appFn: fleetwardApp() });
  sim.createRepo({
    owner: "acme",
    name: "gitops",
    files: { ".github/fleetward.yml": 'environments:\n  - name: prod\n    paths: ["envs/prod/**"]\n', "policy/deny.rego": 'package main\n\ndeny contains "secret" if input.kind == "Secret"\n' },
  });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "tests", files: { "policy/deny_test.rego": "package main\n\ntest_ok if true\n" }, user: "alice" });
  // The base's listing (the policies) goes through; the head's (the policy tests) fails.
  sim.failNext({ operationId: "git/get-tree", status: 500, message: "tree unavailable", skip: 1 });
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "tests", title: "Add a test", user: "alice" });
  await sim.settle();

  const runs = sim.checkRunsOf("acme", "gitops", pr.headSha);
  const policy = runs.find((r) => r.name === "fleetward/policy")!;
  expect(policy.conclusion).toBe("success");
  const tests = runs.find((r) => r.name === "fleetward/policy-tests")!;
  expect(tests.status).toBe("completed");
  expect(tests.conclusion).toBe("failure");
  expect(tests.output.title).toBe("Fleetward could not run the policy tests");
  expect(tests.output.summary).toContain("tree unavailable");
}, 60_000);
