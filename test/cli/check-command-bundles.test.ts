/**
 * `fleetward check` with an OPA bundle (`policies.bundles`, read as bytes from the working tree or from `--base`) and
 * with a Gatekeeper template that reads `data.inventory` (the working tree's unchanged manifests fill it).
 */
import { runCheckCommand } from "../../src/cli/commands/check-command.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { bundlesConfig, deployment, ingress, policyBundle, UNIQUE_HOST_CONSTRAINT, UNIQUE_HOST_TEMPLATE } from "../helpers/policy-bundle-fixtures.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

const FLEET = `environments:
  - name: prod
    paths: ["envs/prod/**"]
`;
const BUNDLE_PATH = "policy/bundle.tar.gz";
let bundle: Uint8Array;

const repo = useTempRepo("fleetward-check-bundle-");
const { writeFiles, git } = repo;

beforeAll(() => {
  ensureRuntimeBuilt();
  bundle = policyBundle();
});

test("a bundle in the working tree judges every manifest", async () => {
  await writeFiles({
    ".github/fleetward.yml": `${FLEET}policies:\n${bundlesConfig(BUNDLE_PATH)}`,
    [BUNDLE_PATH]: bundle,
    "envs/prod/api/deploy.yaml": deployment("api", "docker.io/api:1"),
  });
  const io = captureIO();
  expect(await runCheckCommand([repo.dir], io)).toBe(1);
  expect(io.out).toBe(
    [
      "envs/prod/api/deploy.yaml:8: [prod] main.deny: api must run as non-root",
      "envs/prod/api/deploy.yaml:11: [prod] k8s.images.violation: image docker.io/api:1 is not from an approved registry",
      "1 files, 1 documents: 2 denied, 0 warned, 0 dry-run, 0 policy errors",
      "",
    ].join("\n"),
  );
  expect(io.err).toBe("");
});

test("--base reads the bundle of the base revision as bytes; a corrupt one is a policy error", async () => {
  await writeFiles({ ".github/fleetward.yml": `${FLEET}policies:\n${bundlesConfig(BUNDLE_PATH)}`, [BUNDLE_PATH]: bundle });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  git("checkout", "-q", "-b", "change");
  // The branch breaks the bundle: still judged by the base's.
  await writeFiles({ [BUNDLE_PATH]: "broken", "envs/prod/api/deploy.yaml": deployment("api", "registry.example.com/api:1") });
  git("add", ".");
  git("commit", "-q", "-m", "change");
  const io = captureIO();
  expect(await runCheckCommand([repo.dir, "--base", "main"], io)).toBe(1);
  expect(io.out).toBe("envs/prod/api/deploy.yaml:8: [prod] main.deny: api must run as non-root\n1 files, 1 documents: 1 denied, 0 warned, 0 dry-run, 0 policy errors\n");

  git("checkout", "-q", "main");
  await writeFiles({ [BUNDLE_PATH]: "broken" });
  git("commit", "-q", "-am", "break the bundle");
  git("checkout", "-q", "change");
  const broken = captureIO();
  expect(await runCheckCommand([repo.dir, "--base", "main"], broken)).toBe(1);
  expect(broken.err).toContain(`${BUNDLE_PATH}:1:1: error bundle_gzip_error:`);
});

test("--base: a uniqueness template sees the working tree's unchanged manifests", async () => {
  await writeFiles({
    ".github/fleetward.yml": FLEET,
    "policies/unique/template.yaml": UNIQUE_HOST_TEMPLATE,
    "policies/unique/constraint.yaml": UNIQUE_HOST_CONSTRAINT,
    "envs/prod/blog/ingress.yaml": ingress("blog", "shop.example.com", "blog"),
  });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  git("checkout", "-q", "-b", "shop");
  await writeFiles({ "envs/prod/shop/ingress.yaml": ingress("shop", "shop.example.com") });
  git("add", ".");
  git("commit", "-q", "-m", "shop");
  const io = captureIO();
  expect(await runCheckCommand([repo.dir, "--base", "main"], io)).toBe(1);
  expect(io.out).toContain("envs/prod/shop/ingress.yaml:1: [prod] K8sUniqueIngressHost/unique-ingress-host: host shop.example.com is already used by ingress blog/blog\n");
});
