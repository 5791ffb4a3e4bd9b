/**
 * End to end: pull requests judged by `fleetward/policy` (and `fleetward/policy-tests`), in-process (nock) against
 * the GitHub simulator, which checks every request against GitHub's OpenAPI description. The repository keeps the
 * design brief's example policy (ConstraintTemplate + Constraint) and enables the library's approved-image-repos
 * policy by name.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fleetwardApp } from "../../src/app/index.js";
import { createTestProbot } from "../helpers/create-test-probot.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import type { GitHubSimulator } from "../../src/simulator/github-simulator.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";
import { DEV_WARN_PROD_FLEET } from "../helpers/policy-fleet-fixture.js";

const exampleDir = join(process.cwd(), "policies", "examples", "disallowed-image-repos");
const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
const EXAMPLE = Object.fromEntries(walk(exampleDir).map((f) => [`policies/images/${relative(exampleDir, f).split("\\").join("/")}`, readFileSync(f, "utf8")]));

const CONFIG = `${DEV_WARN_PROD_FLEET}policies:
  library:
    approved-image-repos: { repos: ["your-approved-registry.com/"] }
`;

const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: main
      image: ${image}
`;
// The Pod starts at line 6; its image is at line 13.
const CONFIGMAP_AND_POD = (image: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
---
${pod(image)}`;
const BAD = "docker.io/nginx:1.27";
const GOOD = "your-approved-registry.com/nginx:1.27";
const EXAMPLE_MESSAGE = `Image '${BAD}' comes from an unapproved repository. Only images from 'your-approved-registry.com/' are allowed.`;

const ctx = useGitHubSimulator();

beforeAll(() => ensureRuntimeBuilt());

async function setup(): Promise<GitHubSimulator> {
  const { sim } = ctx;
  const { app } = await createTestProbot({ sim, appFn: fleetwardApp() });
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": CONFIG, ...EXAMPLE, "envs/prod/web/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n" } });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  return sim;
}

const policyRuns = (sim: GitHubSimulator, sha: string, name = "fleetward/policy") => sim.checkRunsOf("acme", "gitops", sha).filter((r) => r.name === name);

describe("fleetward/policy on pull requests", () => {
  test("a Pod from an unapproved registry fails with annotations at the document and the image; a fix turns it green; a redelivery makes no second run", async () => {
    const sim = await setup();
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "add-pod", files: { "envs/prod/web/pod.yaml": CONFIGMAP_AND_POD(BAD) }, user: "alice" });
    const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "add-pod", title: "Add a pod", user: "alice" });
    await sim.settle();

    const runs = policyRuns(sim, pr.headSha);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.status).toBe("completed");
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toEqual([
      expect.objectContaining({ path: "envs/prod/web/pod.yaml", start_line: 6, end_line: 6, annotation_level: "failure", message: EXAMPLE_MESSAGE }),
      expect.objectContaining({ path: "envs/prod/web/pod.yaml", start_line: 13, annotation_level: "failure", message: expect.stringContaining(BAD) }),
    ]);
    expect(run.output.summary).toContain("| `envs/prod/web/pod.yaml` | prod | K8sDisallowedImageRepos/pod-image-registry-check | deny | 1 |");
    // No policy file changed: no policy-tests run.
    expect(policyRuns(sim, pr.headSha, "fleetward/policy-tests")).toEqual([]);

    const creates = sim.callCount("checks/create");
    const opened = sim.webhooks.deliveries().find((d) => d.name === "pull_request" && (d.payload as { action?: string }).action === "opened");
    sim.redeliver(opened!.id);
    await sim.settle();
    expect(policyRuns(sim, pr.headSha)).toHaveLength(1);
    expect(sim.callCount("checks/create")).toBe(creates);
    expect(policyRuns(sim, pr.headSha)[0]!.conclusion).toBe("failure");

    const fix = sim.commitFiles({ owner: "acme", repo: "gitops", branch: "add-pod", files: { "envs/prod/web/pod.yaml": CONFIGMAP_AND_POD(GOOD) }, user: "alice" });
    await sim.settle();
    const fixed = policyRuns(sim, fix.sha);
    expect(fixed).toHaveLength(1);
    expect(fixed[0]!.conclusion).toBe("success");
    expect(fixed[0]!.annotations).toEqual([]);
  });

  test("a pull request that weakens the policy is judged by the base branch's policy, and gets policy-tests", async () => {
    const sim = await setup();
    const weakened = EXAMPLE["policies/images/constraint.yaml"]!.replace('- "your-approved-registry.com/"', '- "your-approved-registry.com/"\n      - "docker.io/"');
    sim.commitFiles({
      owner: "acme",
      repo: "gitops",
      branch: "weaken",
      files: { "policies/images/constraint.yaml": weakened, "envs/prod/web/pod.yaml": pod(BAD) },
      user: "mallory",
    });
    const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "weaken", title: "Allow docker.io", user: "mallory" });
    await sim.settle();

    const run = policyRuns(sim, pr.headSha)[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.annotations.map((a) => a.message)).toContain(EXAMPLE_MESSAGE);
    const tests = policyRuns(sim, pr.headSha, "fleetward/policy-tests");
    expect(tests).toHaveLength(1);
    expect(tests[0]!.status).toBe("completed");
    // The suite's disallowed sample (docker.io) is now allowed by the weakened constraint: its case fails.
    expect(tests[0]!.conclusion).toBe("failure");
    expect(tests[0]!.output.text).toContain("--- FAIL: unapproved-image");
  });

  test("a warn environment passes with a warning; broken YAML is an annotation", async () => {
    const sim = await setup();
    sim.commitFiles({
      owner: "acme",
      repo: "gitops",
      branch: "dev-pod",
      files: { "envs/dev/web/pod.yaml": pod(BAD), "envs/dev/web/broken.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n" },
      user: "alice",
    });
    const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "dev-pod", title: "Dev pod", user: "alice" });
    await sim.settle();
    const run = policyRuns(sim, pr.headSha)[0]!;
    expect(run.conclusion).toBe("success");
    expect(run.annotations.map((a) => [a.path, a.annotation_level])).toEqual([
      ["envs/dev/web/broken.yaml", "warning"],
      ["envs/dev/web/pod.yaml", "warning"],
      ["envs/dev/web/pod.yaml", "warning"],
    ]);
    expect(run.annotations[0]!.title).toContain("manifest_yaml_syntax");
    expect(run.output.title).toBe("Passed with 3 warnings");
  });

  test("Re-run on the check updates the same run", async () => {
    const sim = await setup();
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "add-pod", files: { "envs/prod/web/pod.yaml": pod(BAD) }, user: "alice" });
    const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "add-pod", title: "Add a pod", user: "alice" });
    await sim.settle();
    const run = policyRuns(sim, pr.headSha)[0]!;
    const updates = sim.callCount("checks/update");
    sim.rerequestCheckRun("acme", "gitops", run.id, "alice");
    await sim.settle();
    expect(policyRuns(sim, pr.headSha)).toHaveLength(1);
    expect(sim.callCount("checks/update")).toBeGreaterThan(updates);
    expect(policyRuns(sim, pr.headSha)[0]!.conclusion).toBe("failure");
  });

  test("ready_for_review and reopened judge the head again, updating its one run (a draft whose first run could not evaluate)", async () => {
    const sim = await setup();
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "draft-pod", files: { "envs/prod/web/pod.yaml": pod(BAD) }, user: "alice" });
    sim.failNext({ operationId: "git/get-tree", status: 500, message: "tree unavailable" });
    const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "draft-pod", title: "Draft pod", user: "alice", draft: true });
    await sim.settle();
    const first = policyRuns(sim, pr.headSha);
    expect(first).toHaveLength(1);
    expect(first[0]!.output.title).toBe("Fleetward could not evaluate the policies");
    const creates = sim.callCount("checks/create");

    sim.markReadyForReview("acme", "gitops", pr.number, "alice");
    await sim.settle();
    const ready = policyRuns(sim, pr.headSha);
    expect(ready.map((r) => r.id)).toEqual([first[0]!.id]);
    expect(ready[0]!.conclusion).toBe("failure");
    expect(ready[0]!.output.title).toBe("2 violations denied");
    expect(ready[0]!.annotations.map((a) => a.message)).toContain(EXAMPLE_MESSAGE);

    const repo = sim.repo("acme", "gitops");
    const pull = sim.pull("acme", "gitops", pr.number);
    sim.updatePull(repo, pull, sim.user("alice"), { state: "closed" });
    await sim.settle();
    const listings = sim.callCount("pulls/list-files");
    const updates = sim.callCount("checks/update");
    sim.updatePull(repo, pull, sim.user("alice"), { state: "open" });
    await sim.settle();
    expect(sim.webhooks.deliveries().some((d) => d.name === "pull_request" && (d.payload as { action?: string }).action === "reopened")).toBe(true);
    // Judged again (the files listed, the run updated) without a second run for the head.
    expect(sim.callCount("pulls/list-files")).toBeGreaterThan(listings);
    expect(sim.callCount("checks/update")).toBeGreaterThan(updates);
    expect(sim.callCount("checks/create")).toBe(creates);
    const reopened = policyRuns(sim, pr.headSha);
    expect(reopened.map((r) => r.id)).toEqual([first[0]!.id]);
    expect(reopened[0]!.conclusion).toBe("failure");
    expect(reopened[0]!.output.title).toBe("2 violations denied");
  });

  test("beyond GitHub's 3,000 listed files: a Pod that was not listed cannot pass unjudged, the check fails saying so (also on Re-run)", async () => {
    const sim = await setup();
    const files: Record<string, string> = {};
    for (let i = 0; i < 3004; i++) files[`docs/${String(i).padStart(4, "0")}.md`] = `note ${i}\n`;
    // Listed after the 3,004 notes: GitHub does not list it.
    files["envs/prod/web/pod.yaml"] = pod(BAD);
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "huge", files, user: "alice" });
    const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "huge", title: "Huge", user: "alice" });
    await sim.settle();
    expect(sim.callCount("pulls/list-files")).toBe(30);
    const run = policyRuns(sim, pr.headSha)[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("1 policy error");
    expect(run.output.summary).toContain(
      "| policy_files_not_listed | This pull request changes 3,005 files, but GitHub lists only the first 3,000: 5 files were not judged. Split the pull request so that every file can be checked. |",
    );
    expect(run.annotations).toEqual([]);

    // "Re-run" has no file count in its event: pulls.get asks GitHub.
    sim.rerequestCheckRun("acme", "gitops", run.id, "alice");
    await sim.settle();
    const again = policyRuns(sim, pr.headSha);
    expect(again).toHaveLength(1);
    expect(again[0]!.output.title).toBe("1 policy error");
  }, 60_000);

  test("a GitHub error while reading the policies completes the run as a failure instead of leaving it in progress", async () => {
    const sim = await setup();
    sim.commitFiles({ owner: "acme", repo: "gitops", branch: "add-pod", files: { "envs/prod/web/pod.yaml": pod(GOOD) }, user: "alice" });
    sim.failNext({ operationId: "git/get-tree", status: 500, message: "tree unavailable" });
    const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "add-pod", title: "Add a pod", user: "alice" });
    await sim.settle();
    const run = policyRuns(sim, pr.headSha)[0]!;
    expect(run.status).toBe("completed");
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("Fleetward could not evaluate the policies");
    expect(run.output.summary).toContain("tree unavailable");
  });
});
