/**
 * planPolicyCheck with Kustomize rendering, the real renderer and the bundled library's approved-image-repos policy:
 * findings on rendered objects land on the line that produced the field, patch files are not judged as objects, a
 * root that cannot be rendered fails the check while the others are judged, and the fleetward/render plan comes along.
 */
import type { LibraryPolicy } from "../../../src/policy/check/collect-policy-sources.js";
import { formatPolicyFinding, planPolicyCheck } from "../../../src/policy/check/plan-policy-check.js";
import { readPolicyLibrary } from "../../../src/policy/check/read-policy-library.js";
import { ensureRuntimeBuilt } from "../../rego/runtime/ensure-runtime-built.js";
import { config, deployment, FLEET } from "./render-test-helpers.js";

const CONFIG = `${FLEET}policies:
  library:
    approved-image-repos: { repos: ["good.io/"] }
`;

let library: LibraryPolicy[];
beforeAll(async () => {
  ensureRuntimeBuilt();
  library = await readPolicyLibrary();
});

// Line 5 is the newName: line.
const IMAGES = `resources:
  - ../../base
images:
  - name: good.io/web
    newName: docker.io/evil/web
`;
const PATCH = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n";

function repo(prodKustomization: string): Map<string, string> {
  return new Map([
    ["base/kustomization.yaml", "resources:\n  - deployment.yaml\n"],
    ["base/deployment.yaml", deployment("good.io/web:1")],
    ["envs/dev/kustomization.yaml", "resources:\n  - ../../base\n"],
    ["envs/staging/kustomization.yaml", "resources:\n  - ../../base\n"],
    ["envs/prod-eu-1/kustomization.yaml", prodKustomization],
    ["envs/prod-eu-1/replicas-patch.yaml", PATCH],
  ]);
}

const plan = (head: Map<string, string>, base: Map<string, string>, changed: string[]) =>
  planPolicyCheck({
    config: config(CONFIG),
    headSha: "h".repeat(40),
    policyFiles: new Map(),
    library,
    changedFiles: changed.filter((p) => head.has(p)).map((path) => ({ path, content: head.get(path) as string })),
    render: { head, base, changedPaths: changed },
  });

describe("planPolicyCheck on rendered roots", () => {
  test("an images: override to a disallowed registry fails at the newName: line, naming the root; the patch file is not judged", async () => {
    const base = repo("resources:\n  - ../../base\npatches:\n  - path: replicas-patch.yaml\n");
    const head = repo(`${IMAGES}patches:\n  - path: replicas-patch.yaml\n`);
    const { plan: run, report, renderPlan } = await plan(head, base, ["envs/prod-eu-1/kustomization.yaml"]);
    expect(run.conclusion).toBe("failure");
    expect(report.findings.map(formatPolicyFinding)).toEqual([
      expect.stringMatching(/^envs\/prod-eu-1\/kustomization\.yaml:5: \[prod\/prod-eu-1\] K8sApprovedImageRepos\/[\w-]+: \[prod-eu-1\] envs\/prod-eu-1: .*docker\.io\/evil\/web:1/),
    ]);
    expect(run.annotations).toEqual([expect.objectContaining({ path: "envs/prod-eu-1/kustomization.yaml", startLine: 5, level: "failure" })]);
    expect(report.files).toEqual([]);
    expect(report.roots).toEqual([{ dir: "envs/prod-eu-1", label: "prod-eu-1", environment: "prod/prod-eu-1", ok: true, objects: 1 }]);
    expect(renderPlan?.title).toBe("Affects 1 cluster in 1 environment: 1 Deployment; 2 clusters unchanged");
    expect(renderPlan?.summary).toContain("+        image: docker.io/evil/web:1");

    // Changing only the patch file: judged through the root (3 replicas), never as an object of its own.
    const patched = new Map(base).set("envs/prod-eu-1/replicas-patch.yaml", PATCH.replace("3", "4"));
    const again = await plan(patched, base, ["envs/prod-eu-1/replicas-patch.yaml"]);
    expect(again.plan.conclusion).toBe("success");
    expect(again.report.files).toEqual([]);
    expect(again.report.roots?.map((r) => r.dir)).toEqual(["envs/prod-eu-1"]);
    expect(again.renderPlan?.summary).toContain("+  replicas: 4");
  });

  test("a root that cannot be rendered fails at its kustomization's line; the other roots are judged", async () => {
    const base = repo("resources:\n  - ../../base\n");
    const head = new Map(base)
      .set("base/deployment.yaml", deployment("docker.io/web:2"))
      .set("envs/staging/kustomization.yaml", "resources:\n  - ../../base\n  - missing.yaml\n");
    const { plan: run, report, renderPlan } = await plan(head, base, ["base/deployment.yaml", "envs/staging/kustomization.yaml"]);
    expect(run.conclusion).toBe("failure");
    const byRoot = report.findings.map((f) => [f.source, f.file, f.line, f.action, f.message.slice(0, f.message.indexOf(":"))]);
    // Render failures first (met while collecting the roots), then the policies' findings in root order.
    expect(byRoot).toEqual([
      ["render", "envs/staging/kustomization.yaml", 3, "deny", "[staging] envs/staging"],
      ["gatekeeper", "base/deployment.yaml", 11, "warn", "[dev] envs/dev"],
      ["gatekeeper", "base/deployment.yaml", 11, "deny", "[prod-eu-1] envs/prod-eu-1"],
    ]);
    expect(renderPlan?.conclusion).toBe("failure");
    expect(renderPlan?.title).toBe("Affects 3 clusters in 3 environments: 2 Deployments, 1 root cannot be rendered; 0 clusters unchanged");
  });

  test("render.kustomize: off judges the files as they are and plans no render check", async () => {
    const head = repo(IMAGES);
    const { report, renderPlan } = await planPolicyCheck({
      config: config(`${CONFIG}render:\n  kustomize: "off"\n`),
      headSha: "h".repeat(40),
      policyFiles: new Map(),
      library,
      changedFiles: [{ path: "envs/prod-eu-1/replicas-patch.yaml", content: PATCH }],
      render: { head, base: head, changedPaths: ["envs/prod-eu-1/replicas-patch.yaml"] },
    });
    expect(report.files.map((f) => f.path)).toEqual(["envs/prod-eu-1/replicas-patch.yaml"]);
    expect(report.roots).toBeUndefined();
    expect(renderPlan).toBeUndefined();
  });
});
