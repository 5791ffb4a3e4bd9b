/**
 * End to end: Kustomize repositories through the GitHub simulator (nock, in process, every request checked against
 * GitHub's OpenAPI description). A base and three overlays (dev, staging, prod-eu-1); the library's
 * approved-image-repos policy allows only good.io/. `fleetward/policy` judges what the overlays render, annotated at
 * the line that set the field; `fleetward/render` shows the per-root diff and the blast radius.
 */
import { fleetwardApp } from "../../src/app/index.js";
import { createTestProbot } from "../helpers/create-test-probot.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import type { GitHubSimulator } from "../../src/simulator/github-simulator.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const CONFIG = `environments:
  - name: dev
    paths: ["envs/dev/**"]
  - name: staging
    paths: ["envs/staging/**"]
    promotedFrom: dev
  - name: prod
    paths: ["envs/prod-*/**"]
    promotedFrom: staging
  - name: lab
    paths: ["lab/**"]
clusters:
  - name: prod-eu-1
    environment: prod
    paths: ["envs/prod-eu-1/**"]
policies:
  library:
    approved-image-repos: { repos: ["good.io/"] }
render:
  maxResources: 50
`;

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: main
          image: ${image}
`;

const overlay = (extra = "") => `resources:\n  - ../../base\n${extra}`;
// In the prod-eu-1 overlay with this override, newName: is line 5.
const EVIL_IMAGES = "images:\n  - name: good.io/web\n    newName: docker.io/evil/web\n";
// A partial object: a strategic merge patch, not a manifest of its own (no apiVersion in the spec part it changes).
const PATCH = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n";

const ctx = useGitHubSimulator();
/** The first check of a file compiles the library policy in a cold sandbox worker: slow on a busy machine. */
const TIMEOUT = 120_000;
beforeAll(() => ensureRuntimeBuilt());

async function setup(): Promise<GitHubSimulator> {
  const { sim } = ctx;
  const { app } = await createTestProbot({ sim, appFn: fleetwardApp() });
  sim.createRepo({
    owner: "acme",
    name: "gitops",
    files: {
      ".github/fleetward.yml": CONFIG,
      "base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
      "base/deployment.yaml": deployment("good.io/web:1"),
      "envs/dev/kustomization.yaml": overlay(),
      "envs/staging/kustomization.yaml": overlay(),
      "envs/prod-eu-1/kustomization.yaml": overlay("patches:\n  - path: replicas.yaml\n"),
      "envs/prod-eu-1/replicas.yaml": PATCH,
    },
  });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  return sim;
}

async function pullRequest(sim: GitHubSimulator, branch: string, files: Record<string, string | null>) {
  sim.commitFiles({ owner: "acme", repo: "gitops", branch, files, user: "alice" });
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: branch, title: branch, user: "alice" });
  await sim.settle();
  const run = (name: string) => {
    const runs = sim.checkRunsOf("acme", "gitops", pr.headSha).filter((r) => r.name === name);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe("completed");
    return runs[0]!;
  };
  return { policy: run("fleetward/policy"), render: run("fleetward/render") };
}

describe("rendered manifests on pull requests", () => {
  test("an images: override to a disallowed registry fails fleetward/policy on the newName: line of that overlay", async () => {
    const sim = await setup();
    const { policy, render } = await pullRequest(sim, "evil", { "envs/prod-eu-1/kustomization.yaml": overlay(`${EVIL_IMAGES}patches:\n  - path: replicas.yaml\n`) });
    expect(policy.conclusion).toBe("failure");
    expect(policy.annotations).toEqual([
      expect.objectContaining({
        path: "envs/prod-eu-1/kustomization.yaml",
        start_line: 5,
        annotation_level: "failure",
        message: expect.stringMatching(/^\[prod-eu-1\] envs\/prod-eu-1: .*docker\.io\/evil\/web:1/),
      }),
    ]);
    expect(render.conclusion).toBe("success");
    expect(render.output.title).toBe("Affects 1 cluster in 1 environment: 1 Deployment; 2 clusters unchanged");
    expect(render.output.summary).toContain("-        image: good.io/web:1\n+        image: docker.io/evil/web:1");

    // "Re-run" on fleetward/render runs both again, updating the same runs.
    const updates = sim.callCount("checks/update");
    sim.rerequestCheckRun("acme", "gitops", render.id, "alice");
    await sim.settle();
    const runs = sim.checkRunsOf("acme", "gitops", render.head_sha).filter((r) => r.name === "fleetward/render" || r.name === "fleetward/policy");
    expect(runs.map((r) => [r.name, r.status]).sort()).toEqual([
      ["fleetward/policy", "completed"],
      ["fleetward/render", "completed"],
    ]);
    expect(sim.callCount("checks/update") - updates).toBeGreaterThanOrEqual(4);
  }, TIMEOUT);

  test("a change to base/deployment.yaml shows all three overlays and their diffs; the partial patch file is never judged as an object", async () => {
    const sim = await setup();
    const { policy, render } = await pullRequest(sim, "bump", {
      "base/deployment.yaml": deployment("good.io/web:2"),
      "envs/prod-eu-1/replicas.yaml": PATCH.replace("3", "4"),
    });
    expect(policy.conclusion).toBe("success");
    expect(policy.annotations).toEqual([]);
    expect(policy.output.summary).toContain("Judged 0 changed manifest files (0 documents)");
    expect(policy.output.summary).toContain("3 Kustomize roots");
    expect(render.output.title).toBe("Affects 3 clusters in 3 environments: 3 Deployments; 0 clusters unchanged");
    for (const root of ["envs/dev", "envs/staging", "envs/prod-eu-1"]) expect(render.output.summary).toContain(`<details><summary><code>${root}</code>`);
    expect((render.output.summary ?? "").match(/\+ {8}image: good\.io\/web:2/g)).toHaveLength(3);
    expect(render.output.summary).toContain("+  replicas: 4");
  }, TIMEOUT);

  test("bad inputs fail fleetward/policy at the kustomization's line, and the other roots are still judged", async () => {
    const sim = await setup();
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${["b", "c", "d", "e", "f", "g"]
      .map((k, i) => `  ${k}: &${k} [${Array(10).fill(`*${"abcdefg"[i]}`).join(",")}]`)
      .join("\n")}\n`;
    const many = Array.from({ length: 60 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n`).join("---\n");
    const { policy, render } = await pullRequest(sim, "bad", {
      "lab/cycle/kustomization.yaml": "resources:\n  - sub\n",
      "lab/cycle/sub/kustomization.yaml": "resources:\n  - ..\n",
      "lab/missing/kustomization.yaml": "resources:\n  - nope.yaml\n",
      "lab/escape/kustomization.yaml": "resources:\n  - ../../etc/passwd\n",
      "lab/remote/kustomization.yaml": "resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0\n",
      "lab/helm/kustomization.yaml": "helmCharts:\n  - name: nginx\n    repo: https://charts.example.com\n",
      "lab/limit/kustomization.yaml": "resources:\n  - many.yaml\n",
      "lab/limit/many.yaml": many,
      "lab/bomb/kustomization.yaml": "resources:\n  - bomb.yaml\n",
      "lab/bomb/bomb.yaml": bomb,
      "etc/passwd": "root:x:0:0\n",
      // A good root with a violation: still judged.
      "envs/staging/kustomization.yaml": overlay("images:\n  - name: good.io/web\n    newName: docker.io/web\n"),
    });
    expect(policy.conclusion).toBe("failure");
    const at = policy.annotations.map((a) => `${a.path}:${a.start_line} ${a.title?.split(" ")[0]}`).sort();
    expect(at).toEqual([
      "envs/staging/kustomization.yaml:5 K8sApprovedImageRepos/approved-image-repos",
      "lab/bomb/kustomization.yaml:2 render_yaml_limit",
      expect.stringMatching(/^lab\/cycle\/(sub\/)?kustomization\.yaml:2 render_cycle$/),
      "lab/escape/kustomization.yaml:2 render_load_restricted",
      "lab/helm/kustomization.yaml:1 render_unsupported_helm",
      "lab/limit/kustomization.yaml:2 render_resource_limit",
      "lab/missing/kustomization.yaml:2 render_missing_file",
      "lab/remote/kustomization.yaml:2 render_unsupported_remote",
    ]);
    expect(render.conclusion).toBe("failure");
    expect(render.output.title).toMatch(/^Affects \d+ clusters in 2 environments: 1 Deployment, 7 roots cannot be rendered; 2 clusters unchanged$/);
  }, TIMEOUT);

  test("a repository without kustomizations gets no fleetward/render run and no extra GitHub calls", async () => {
    const { sim } = ctx;
    const { app } = await createTestProbot({ sim, appFn: fleetwardApp() });
    sim.createRepo({ owner: "acme", name: "plain", files: { ".github/fleetward.yml": CONFIG } });
    sim.install({ appId: app.id, account: "acme", repos: ["plain"] });
    sim.commitFiles({ owner: "acme", repo: "plain", branch: "pod", files: { "envs/dev/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: good.io/x\n" }, user: "alice" });
    const trees = sim.callCount("git/get-tree");
    const pr = sim.openPullRequest({ owner: "acme", repo: "plain", head: "pod", title: "pod", user: "alice" });
    await sim.settle();
    const runs = sim.checkRunsOf("acme", "plain", pr.headSha);
    expect(runs.some((r) => r.name === "fleetward/render")).toBe(false);
    expect(runs.find((r) => r.name === "fleetward/policy")?.conclusion).toBe("success");
    // Only the base listing the policy files are found with.
    expect(sim.callCount("git/get-tree") - trees).toBe(1);
  }, TIMEOUT);
});
