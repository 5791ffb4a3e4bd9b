import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCheckCommand } from "../../src/cli/commands/check-command.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";
import { DEV_WARN_PROD_FLEET } from "../helpers/policy-fleet-fixture.js";

const example = (f: string) => readFileSync(join(process.cwd(), "policies", "examples", "disallowed-image-repos", f), "utf8");
const CONFIG = DEV_WARN_PROD_FLEET;
const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: main\n      image: ${image}\n`;
const MESSAGE = (image: string) => `Image '${image}' comes from an unapproved repository. Only images from 'your-approved-registry.com/' are allowed.`;

const repo = useTempRepo("fleetward-check-");
const { writeFiles, git } = repo;

beforeAll(() => ensureRuntimeBuilt());
beforeEach(async () => {
  await writeFiles({
    ".github/fleetward.yml": CONFIG,
    "policies/images/template.yaml": example("template.yaml"),
    "policies/images/constraint.yaml": example("constraint.yaml"),
    "envs/prod/web/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n",
  });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
});

describe("fleetward check", () => {
  test("without --base every manifest is judged with the working tree's policies; a deny exits 1", async () => {
    await writeFiles({ "envs/prod/web/pod.yaml": pod("docker.io/nginx:1"), "envs/dev/web/pod.yaml": pod("quay.io/x:1") });
    const io = captureIO();
    expect(await runCheckCommand([repo.dir], io)).toBe(1);
    expect(io.out.split("\n")).toEqual([
      `envs/dev/web/pod.yaml:1: [dev] K8sDisallowedImageRepos/pod-image-registry-check: ${MESSAGE("quay.io/x:1")} (warn)`,
      `envs/prod/web/pod.yaml:1: [prod] K8sDisallowedImageRepos/pod-image-registry-check: ${MESSAGE("docker.io/nginx:1")}`,
      "3 files, 3 documents: 1 denied, 1 warned, 0 dry-run, 0 policy errors",
      "",
    ]);
  });

  test("with --base only the changes since REF are judged, by REF's policies even when the branch weakens them", async () => {
    git("checkout", "-q", "-b", "feature");
    await writeFiles({
      "envs/prod/web/pod.yaml": pod("docker.io/nginx:1"),
      "policies/images/constraint.yaml": example("constraint.yaml").replace('- "your-approved-registry.com/"', '- "docker.io/"'),
    });
    git("add", ".");
    git("commit", "-q", "-m", "weaken");
    const io = captureIO();
    expect(await runCheckCommand([repo.dir, "--base", "main"], io)).toBe(1);
    expect(io.out).toBe(
      `envs/prod/web/pod.yaml:1: [prod] K8sDisallowedImageRepos/pod-image-registry-check: ${MESSAGE("docker.io/nginx:1")}\n` +
        "1 files, 1 documents: 1 denied, 0 warned, 0 dry-run, 0 policy errors\n",
    );
  });

  test("a clean change exits 0; broken YAML is reported at its line", async () => {
    git("checkout", "-q", "-b", "feature");
    await writeFiles({ "envs/prod/web/pod.yaml": pod("your-approved-registry.com/nginx:1") });
    git("add", ".");
    git("commit", "-q", "-m", "ok");
    const ok = captureIO();
    expect(await runCheckCommand([repo.dir, "--base=main"], ok)).toBe(0);
    expect(ok.out).toBe("1 files, 1 documents: 0 denied, 0 warned, 0 dry-run, 0 policy errors\n");

    await writeFiles({ "envs/prod/web/broken.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n" });
    git("add", ".");
    git("commit", "-q", "-m", "broken");
    const bad = captureIO();
    expect(await runCheckCommand([repo.dir, "--base", "main"], bad)).toBe(1);
    expect(bad.out).toMatch(/^envs\/prod\/web\/broken\.yaml:\d+: \[prod\] manifest_yaml_syntax: /);
  });

  test("a policy that does not compile is an error naming its file and line", async () => {
    await writeFiles({ "policies/images/template.yaml": example("template.yaml").replace("not approved(", "not approvedd(") });
    const io = captureIO();
    expect(await runCheckCommand([repo.dir], io)).toBe(1);
    expect(io.err).toMatch(/^policies\/images\/template\.yaml:\d+:1: error policy_compile_error: template k8sdisallowedimagerepos/m);
    expect(io.out).toContain("1 policy errors");
  });

  test("usage errors exit 2", async () => {
    const io = captureIO();
    expect(await runCheckCommand(["--frobnicate"], io)).toBe(2);
    expect(io.err).toContain("unknown option --frobnicate");
    const noRef = captureIO();
    expect(await runCheckCommand([repo.dir, "--base", "no-such-ref"], noRef)).toBe(2);
    expect(noRef.err).toContain("fleetward check: git");
  });
});
