/**
 * Promotion on a rendered repository, end to end through the GitHub simulator: a tag bump merged in staging's
 * overlay opens the promotion into prod (the `images[].newTag` field promotion), and that pull request's
 * `fleetward/render` run shows, for each target cluster, exactly the image change and nothing else.
 */
import { fleetwardApp } from "../../src/app/index.js";
import { createTestProbot } from "../helpers/create-test-probot.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const CONFIG = `environments:
  - name: staging
    paths: ["envs/staging/**"]
  - name: prod
    paths: ["clusters/**"]
    promotedFrom: staging
clusters:
  - { name: prod-eu-1, environment: prod, paths: ["clusters/prod-eu-1/**"] }
  - { name: prod-us-1, environment: prod, paths: ["clusters/prod-us-1/**"] }
promotion:
  components:
    - match: api
      strategy: values
      fields:
        - { file: kustomization.yaml, path: "images[].newTag" }
  waves:
    prod:
      - { name: all, clusters: [prod-eu-1, prod-us-1] }
settings:
  promotion:
    mode: auto
`;

const overlay = (tag: string, replicas: number) => `resources:
  - ../../../base/api
images:
  - name: ghcr.io/acme/api
    newTag: "${tag}"
replicas:
  - name: api
    count: ${replicas}
`;

const FILES = {
  ".github/fleetward.yml": CONFIG,
  "base/api/kustomization.yaml": "resources:\n  - deployment.yaml\n",
  "base/api/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:0.0.0
`,
  "envs/staging/api/kustomization.yaml": overlay("1.0.0", 1),
  "clusters/prod-eu-1/api/kustomization.yaml": overlay("1.0.0", 3),
  "clusters/prod-us-1/api/kustomization.yaml": overlay("1.0.0", 5),
};

const h = useGitHubSimulator();
/** The first check compiles the library policy in a cold sandbox worker: slow on a busy machine. */
const TIMEOUT = 120_000;
beforeAll(() => ensureRuntimeBuilt());

test("a promotion pull request's rendered diff shows exactly the image change in each target cluster", async () => {
  const { sim } = h;
  const { app } = await createTestProbot({ sim, appFn: fleetwardApp() });
  sim.createRepo({ owner: "acme", name: "gitops", files: FILES });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  sim.setPermission("acme", "gitops", "alice", "write");

  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "api-1.1", files: { "envs/staging/api/kustomization.yaml": overlay("1.1.0", 1) }, user: "alice" });
  const change = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "api-1.1", title: "api 1.1.0", user: "alice" });
  await sim.settle();
  sim.merge("acme", "gitops", change.number, "alice", "merge");
  await sim.settle();

  const promotion = sim.pullRequests("acme", "gitops").find((p) => p.issue.state === "open" && p.headRef.startsWith("fleetward/promote/api/prod"));
  expect(promotion).toBeDefined();
  const render = sim.checkRunsOf("acme", "gitops", promotion!.headSha).filter((r) => r.name === "fleetward/render");
  expect(render).toHaveLength(1);
  expect(render[0]!.output.title).toBe("Affects 2 clusters in 1 environment: 2 Deployments; 1 cluster unchanged");
  const summary = render[0]!.output.summary ?? "";
  for (const cluster of ["prod-eu-1", "prod-us-1"]) {
    const start = summary.indexOf(`<details><summary><code>clusters/${cluster}/api</code> (${cluster}): 1 changed</summary>`);
    expect(start).toBeGreaterThanOrEqual(0);
    const block = summary.slice(start, summary.indexOf("</details>", start));
    const edits = block.split("\n").filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
    expect(edits).toEqual(["-        image: ghcr.io/acme/api:1.0.0", "+        image: ghcr.io/acme/api:1.1.0"]);
  }
  // The pull request that started it showed staging's own change the same way.
  const origin = sim.checkRunsOf("acme", "gitops", change.headSha).find((r) => r.name === "fleetward/render");
  expect(origin?.output.title).toBe("Affects 1 cluster in 1 environment: 1 Deployment; 2 clusters unchanged");
}, TIMEOUT);
