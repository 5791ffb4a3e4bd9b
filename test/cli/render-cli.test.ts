/**
 * `fleetward check` and `fleetward diff` on a Kustomize checkout (a git repository in a temporary folder): check
 * renders the roots and prints the same per-root findings as the app; diff prints each root's rendered diff and the
 * blast radius.
 */
import { runCheckCommand } from "../../src/cli/commands/check-command.js";
import { runDiffCommand } from "../../src/cli/commands/diff-command.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";
import { DEV_WARN_PROD_FLEET } from "../helpers/policy-fleet-fixture.js";

const CONFIG = `${DEV_WARN_PROD_FLEET}policies:
  library:
    approved-image-repos: { repos: ["good.io/"] }
`;
const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: main
          image: ${image}
`;

const repo = useTempRepo("fleetward-render-cli-");
const { writeFiles, git } = repo;

beforeAll(() => ensureRuntimeBuilt());
beforeEach(async () => {
  await writeFiles({
    ".github/fleetward.yml": CONFIG,
    "base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "base/deployment.yaml": deployment("good.io/web:1"),
    "envs/dev/kustomization.yaml": "resources:\n  - ../../base\n",
    "envs/prod/kustomization.yaml": "resources:\n  - ../../base\n",
  });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  git("checkout", "-q", "-b", "feature");
});

describe("fleetward check on rendered roots", () => {
  test("an images: override is denied at its newName: line, naming the root; the base's image at its line for dev (warn)", async () => {
    await writeFiles({
      "base/deployment.yaml": deployment("docker.io/web:1"),
      "envs/prod/kustomization.yaml": "resources:\n  - ../../base\nimages:\n  - name: docker.io/web\n    newName: quay.io/web\n",
    });
    git("commit", "-q", "-am", "images");
    const io = captureIO();
    expect(await runCheckCommand([repo.dir, "--base", "main"], io)).toBe(1);
    const out = io.out.split("\n");
    expect(out[0]).toMatch(/^base\/deployment\.yaml:10: \[dev\] K8sApprovedImageRepos\/[\w-]+: \[dev\] envs\/dev: .*docker\.io\/web:1.* \(warn\)$/);
    expect(out[1]).toMatch(/^envs\/prod\/kustomization\.yaml:5: \[prod\] K8sApprovedImageRepos\/[\w-]+: \[prod\] envs\/prod: .*quay\.io\/web:1/);
    expect(out[2]).toBe("0 files, 0 documents, 2 rendered roots: 1 denied, 1 warned, 0 dry-run, 0 policy errors");
  });

  test("a root that cannot be rendered is a deny at its kustomization's line", async () => {
    await writeFiles({ "envs/prod/kustomization.yaml": "resources:\n  - ../../base\n  - missing.yaml\n" });
    const io = captureIO();
    expect(await runCheckCommand([repo.dir], io)).toBe(1);
    expect(io.out).toContain("envs/prod/kustomization.yaml:3: [prod] render_missing_file: [prod] envs/prod: ");
  });
});

describe("fleetward diff", () => {
  test("prints each changed root's diff and the blast radius; uncommitted changes count", async () => {
    await writeFiles({ "base/deployment.yaml": deployment("good.io/web:2") });
    const io = captureIO();
    expect(await runDiffCommand(["--base", "main", repo.dir], io)).toBe(0);
    expect(io.out).toBe(
      ["envs/dev", "envs/prod"]
        .map((root) =>
          [
            `== ${root} [${root.slice(5)}]: 1 changed`,
            "changed Deployment web",
            "--- Deployment web (base)",
            "+++ Deployment web (head)",
            "@@ -7,4 +7,4 @@",
            "     spec:",
            "       containers:",
            "       - name: main",
            "-        image: good.io/web:1",
            "+        image: good.io/web:2",
            "",
          ].join("\n"),
        )
        .join("\n") + "\naffects 2 clusters in 2 environments: 2 Deployments; 0 clusters unchanged\n",
    );
  });

  test("nothing changed: no rendered changes; --base is required", async () => {
    const io = captureIO();
    expect(await runDiffCommand(["--base", "main", repo.dir], io)).toBe(0);
    expect(io.out).toBe("no rendered changes; 2 clusters unchanged\n");
    const bad = captureIO();
    expect(await runDiffCommand([repo.dir], bad)).toBe(2);
    expect(bad.err).toContain("--base REF is required");
  });
});
