/**
 * A production install works: the built app copied to a folder of its own (dist/, build/runtime.wasm,
 * policies/, package.json, package-lock.json…), `npm ci --omit=dev` there, then the server starts (setup
 * flow) and answers /healthz, and the CLI parses and evaluates Rego. A runtime import declared only as a
 * devDependency fails here with ERR_MODULE_NOT_FOUND.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildAppCopy } from "../helpers/build-app-copy.js";
import { freePort } from "../helpers/free-port.js";
import { spawnNode, waitForHttp } from "../helpers/spawned-process.js";

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fleetward-install-"));
  buildAppCopy(dir);
  await run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, timeout: 600_000 });
}, 900_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function productionEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", NO_SMEE_SETUP: "true" };
  return env;
}

test("without devDependencies, the server starts (setup flow) and answers /healthz", async () => {
  const port = await freePort();
  const server = spawnNode(["dist/src/app/server.js"], { cwd: dir, env: { ...productionEnv(), PORT: String(port), HOST: "127.0.0.1" } });
  try {
    const health = await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 60_000);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
  } finally {
    server.stop();
  }
}, 90_000);

test("without devDependencies, `fleetward parse`, `eval` and `render` run", async () => {
  const policy = join(dir, "policy.rego");
  writeFileSync(policy, 'package demo\n\nallow if regex.match("^v[0-9]+$", input.tag)\n');
  writeFileSync(join(dir, "input.json"), JSON.stringify({ tag: "v12" }));
  const parsed = await run(process.execPath, ["bin/fleetward.js", "parse", policy], { cwd: dir, env: productionEnv() });
  expect(parsed.stdout).toContain("demo");
  const evaluated = await run(process.execPath, ["bin/fleetward.js", "eval", "-d", policy, "-i", "input.json", "data.demo.allow"], { cwd: dir, env: productionEnv() });
  expect(JSON.parse(evaluated.stdout)).toMatchObject({ result: [{ expressions: [{ value: true }] }] });
  // A strategic merge patch merges containers by name: the renderer reads the Kubernetes OpenAPI under data/.
  const app = join(dir, "kustomize-demo");
  mkdirSync(app);
  writeFileSync(join(app, "deployment.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n      - name: side\n        image: busybox\n");
  writeFileSync(join(app, "kustomization.yaml"), "resources:\n- deployment.yaml\npatches:\n- patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      template:\n        spec:\n          containers:\n          - name: web\n            image: nginx:1.27\n");
  const rendered = await run(process.execPath, ["bin/fleetward.js", "render", "kustomize-demo"], { cwd: dir, env: productionEnv() });
  expect(rendered.stdout).toContain("image: nginx:1.27");
  expect(rendered.stdout).toContain("image: busybox");
}, 90_000);
