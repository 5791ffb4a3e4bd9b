/**
 * `fleetward render`: a kustomization folder on disk printed as a YAML stream (legacy order by default, input order
 * with --reorder none), failures as `file:line: code: message` with exit 1, and --conformance over a cases file.
 */
import { join } from "node:path";
import { runRenderCommand } from "../../src/cli/commands/render-command.js";
import { parseKYaml } from "../../src/render/kyaml.js";
import { captureIO } from "../helpers/capture-cli-io.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";

const repo = useTempRepo("fleetward-render-");

const BASE = {
  "base/kustomization.yaml": "resources:\n- deployment.yaml\n- configmap.yaml\n",
  "base/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1\n        envFrom:\n        - configMapRef:\n            name: settings\n",
  "base/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n",
  "prod/kustomization.yaml": "resources:\n- ../base\nnamePrefix: prod-\nimages:\n- name: nginx\n  newTag: \"2\"\n",
};

beforeEach(async () => {
  await repo.writeFiles({ ...BASE, ".git/HEAD": "ref: refs/heads/main\n" });
});

const docs = (text: string) => parseKYaml(text, "out").map((d) => d.value as { kind: string; metadata: { name: string } });

test("prints the overlay's objects in legacy order (ConfigMap before Deployment), renamed, references and images fixed", async () => {
  const io = captureIO();
  expect(await runRenderCommand([join(repo.dir, "prod")], io)).toBe(0);
  const out = docs(io.out);
  expect(out.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(["ConfigMap/prod-settings", "Deployment/prod-web"]);
  expect(io.out).toContain("---\n");
  expect(io.out).toContain("image: nginx:2");
  expect(io.out).toContain("name: prod-settings\n");
  expect(io.err).toBe("");
});

test("--reorder none keeps input order", async () => {
  const io = captureIO();
  expect(await runRenderCommand([join(repo.dir, "prod"), "--reorder", "none"], io)).toBe(0);
  expect(docs(io.out).map((d) => d.kind)).toEqual(["Deployment", "ConfigMap"]);
});

test("a failure prints file:line: code: message and exits 1", async () => {
  await repo.writeFiles({ "prod/kustomization.yaml": "resources:\n- ../base\n- ../../../etc/passwd\n" });
  const io = captureIO();
  expect(await runRenderCommand([join(repo.dir, "prod")], io)).toBe(1);
  expect(io.err).toMatch(/^prod\/kustomization\.yaml:3: render_path_outside_repo: /);
  expect(io.out).toBe("");
});

test("usage errors exit 2", async () => {
  const io = captureIO();
  expect(await runRenderCommand([], io)).toBe(2);
  expect(await runRenderCommand([join(repo.dir, "prod"), "--reorder", "random"], io)).toBe(2);
  expect(io.err).toContain("usage: fleetward render");
});

test("--conformance runs a cases file and closes with N passed, M failed", async () => {
  const cases = {
    cases: [
      { name: "ok", run: ".", files: { "kustomization.yaml": "resources:\n- cm.yaml\n", "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" }, expected: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" },
      { name: "wrong", run: ".", files: { "kustomization.yaml": "resources:\n- cm.yaml\n", "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" }, expected: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n" },
      { name: "fails", run: ".", files: { "kustomization.yaml": "resources:\n- missing.yaml\n" }, error: true },
    ],
  };
  const io = captureIO({ "cases.json": JSON.stringify(cases) });
  expect(await runRenderCommand(["--conformance", "cases.json"], io)).toBe(1);
  expect(io.out).toMatch(/FAIL wrong: document 1 differs/);
  expect(io.out.trim().split("\n").at(-1)).toBe("2 passed, 1 failed");
});
