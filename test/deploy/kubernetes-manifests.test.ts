/**
 * Dogfooding: the Kubernetes manifests Fleetward ships (`deploy/kubernetes/`) are rendered with Fleetward's own
 * Kustomize renderer and judged by `fleetward check` with every policy of the bundled library enabled, as a
 * repository that deploys Fleetward would judge them: no finding at all (warnings included). A copy with one
 * weakened field shows the same run does find problems.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCheckCommand } from "../../src/cli/commands/check-command.js";
import { renderKustomization } from "../../src/render/render.js";
import { DiskFs } from "../../src/render/disk-fs.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";
import { REPO_ROOT } from "../helpers/build-app-copy.js";

/** Every bundled library policy, with parameters for this deployment where the policy needs them. */
const CONFIG = `environments:
  - name: fleetward
    paths: ["deploy/kubernetes/**"]
render:
  roots: [deploy/kubernetes/overlays/example]
policies:
  library:
    approved-image-repos: { repos: ["ghcr.io/fleetward/"] }
    container-resources: { requests: ["cpu", "memory"], limits: ["memory"] }
    disallow-host-access: {}
    disallow-latest-tag: {}
    disallow-privileged: {}
    replica-bounds: { minReplicas: 1, maxReplicas: 10 }
    required-labels: { labels: [{ key: owner, allowedRegex: "^[a-z][a-z0-9-]*$" }] }
    required-probes: { probes: ["readinessProbe", "livenessProbe"] }
`;

const repo = useTempRepo("fleetward-deploy-manifests-");

beforeAll(() => ensureRuntimeBuilt());
beforeEach(async () => {
  await cp(join(REPO_ROOT, "deploy/kubernetes"), join(repo.dir, "deploy/kubernetes"), { recursive: true });
  await repo.writeFiles({ ".github/fleetward.yml": CONFIG });
});

test("the example overlay renders the app, its Service, PodDisruptionBudget and NetworkPolicy in its namespace", async () => {
  const result = renderKustomization(new DiskFs(REPO_ROOT), "deploy/kubernetes/overlays/example");
  expect(result.diagnostics).toEqual([]);
  const ids = result.objects.map((o) => `${String(o.object.kind)}/${String((o.object.metadata as { name: string }).name)}`);
  expect(ids.sort()).toEqual([
    "Deployment/fleetward",
    "Namespace/fleetward",
    "NetworkPolicy/fleetward",
    "PodDisruptionBudget/fleetward",
    "Service/fleetward",
    "ServiceAccount/fleetward",
  ]);
  const app = result.objects.find((o) => o.object.kind === "Deployment" && (o.object.metadata as { name: string }).name === "fleetward")!.object;
  const container = (app as { spec: { replicas: number; template: { spec: { containers: Array<Record<string, unknown>> } } } }).spec;
  expect(container.replicas).toBe(1);
  const main = container.template.spec.containers[0]!;
  expect(main.image).toBe("ghcr.io/fleetward/fleetward:0.1.0");
  expect(main.env).toEqual(expect.arrayContaining([{ name: "PUBLIC_URL", value: "https://fleetward.example.com" }]));
  for (const o of result.objects) expect((o.object.metadata as { namespace?: string }).namespace ?? "fleetward").toBe("fleetward");
  expect(main).toMatchObject({ readinessProbe: { httpGet: { path: "/readyz" } }, livenessProbe: { httpGet: { path: "/healthz" } }, securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false } });
});

test("the rendered manifests pass every bundled library policy with no finding", async () => {
  const io = captureIO();
  const code = await runCheckCommand([repo.dir], io);
  expect(io.err).toBe("");
  expect(io.out.trim().split("\n")).toEqual(["0 files, 0 documents, 1 rendered roots: 0 denied, 0 warned, 0 dry-run, 0 policy errors"]);
  expect(code).toBe(0);
});

test("the same run finds a weakened manifest (a privileged container, no memory limit)", async () => {
  const path = join(repo.dir, "deploy/kubernetes/base/deployment.yaml");
  const text = await readFile(path, "utf8");
  await writeFile(path, text.replace("privileged: false", "privileged: true").replace(/ {12}limits:\n(?: {14}#.*\n)* {14}memory: 1536Mi\n/, ""));
  const io = captureIO();
  expect(await runCheckCommand([repo.dir], io)).toBe(1);
  expect(io.out).toMatch(/K8sDisallowPrivileged/);
  expect(io.out).toMatch(/K8sContainerResources/);
});
