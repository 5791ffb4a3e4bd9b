/**
 * Issue 17's lazy compiler, on the built command and server (dist/, as `npm test` builds it): which modules a process
 * loads is recorded by a module resolution hook (lazy-compiler/trace-modules.mjs), and what the compile cache did by
 * its debug line (FLEETWARD_DEBUG=cache).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../helpers/free-port.js";
import { spawnNode, waitForHttp } from "../helpers/spawned-process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "bin", "fleetward.js");
const TRACE = join(ROOT, "test", "cli", "lazy-compiler", "trace-modules.mjs");
const HEAVY = /node_modules\/(binaryen|ajv|zod|js-yaml|yaml|graphql)\/|dist\/src\/(render|rego\/wasm\/codegen)\//;

let dir: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "src", "cli", "main.js"))) throw new Error("dist/ is not built: run `npx tsc -p tsconfig.build.json` (npm test does)");
  dir = mkdtempSync(join(tmpdir(), "fleetward-lazy-"));
  writeFileSync(join(dir, "p.rego"), 'package main\n\ndeny contains msg if {\n  input.kind == "Pod"\n  msg := sprintf("no bare pods: %s", [input.metadata.name])\n}\n');
  writeFileSync(join(dir, "input.json"), JSON.stringify({ kind: "Pod", metadata: { name: "web" } }));
  writeFileSync(join(dir, "pod.yaml"), "kind: Pod\nmetadata:\n  name: web\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let traces = 0;
function fleetward(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string; modules: string[] } {
  const trace = join(dir, `trace-${++traces}.txt`);
  const r = spawnSync(process.execPath, ["--import", TRACE, CLI, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: dir, FLEETWARD_TRACE_MODULES: trace, FLEETWARD_DEBUG: "cache", ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr, modules: existsSync(trace) ? readFileSync(trace, "utf8").split("\n").filter(Boolean) : [] };
}
const heavy = (modules: string[]) => modules.filter((m) => HEAVY.test(m));
const loadsBinaryen = (modules: string[]) => modules.some((m) => m.includes("node_modules/binaryen/"));

test("help and parse load no compiler, schema, YAML or render module", () => {
  const help = fleetward(["help"]);
  expect(help.code).toBe(0);
  expect(help.modules.length).toBeGreaterThan(0);
  expect(heavy(help.modules)).toEqual([]);
  expect(help.modules.filter((m) => m.includes("/dist/src/cli/commands/"))).toEqual([]);
  const parse = fleetward(["parse", join(dir, "p.rego")]);
  expect(parse.code).toBe(0);
  expect(parse.out).toContain('"main"');
  expect(heavy(parse.modules)).toEqual([]);
  expect(parse.modules.some((m) => m.endsWith("/dist/src/cli/commands/parse-command.js"))).toBe(true);
});

test("eval: the second run reads the module from the cache and never loads binaryen; --no-cache compiles", () => {
  const env = { FLEETWARD_CACHE_DIR: join(dir, "eval-cache") };
  const args = ["eval", "-d", join(dir, "p.rego"), "-i", join(dir, "input.json"), "data.main.deny"];
  const first = fleetward(args, env);
  expect([first.code, first.err]).toEqual([0, expect.stringContaining("0 from the cache, 1 generated; binaryen loaded")]);
  expect(loadsBinaryen(first.modules)).toBe(true);
  expect(first.out).toContain("no bare pods: web");
  const second = fleetward(args, env);
  expect([second.code, second.err]).toEqual([0, expect.stringContaining("1 from the cache, 0 generated; binaryen not loaded")]);
  expect(loadsBinaryen(second.modules)).toBe(false);
  // Nor the packages of builtins this policy does not call (graphql-js, ajv, yaml): they load on first use.
  expect(second.modules.filter((m) => /node_modules\/(ajv|yaml)\/|node_modules\/graphql\/(?!language\/kinds\.js)/.test(m))).toEqual([]);
  expect(second.out).toBe(first.out);
  const uncached = fleetward([...args, "--no-cache"], env);
  expect(uncached.err).toContain("compile cache memory only: 0 from the cache, 1 generated; binaryen loaded");
  expect(uncached.out).toBe(first.out);
});

test("test (Conftest): a cached second run gives the same output and exit code without loading binaryen", () => {
  const env = { FLEETWARD_CACHE_DIR: join(dir, "test-cache") };
  const args = ["test", join(dir, "pod.yaml"), "-p", dir];
  const first = fleetward(args, env);
  expect(first.code).toBe(1);
  expect(first.out).toContain("no bare pods: web");
  expect(first.err).toContain("a policy is not in the compile cache: loading the compiler and running again");
  expect(first.err).toMatch(/0 from the cache, [1-9]\d* generated; binaryen loaded/);
  const second = fleetward(args, env);
  expect([second.code, second.out]).toEqual([first.code, first.out]);
  expect(second.err).toMatch(/[1-9]\d* from the cache, 0 generated; binaryen not loaded/);
  expect(loadsBinaryen(second.modules)).toBe(false);
});

test("verify (Gatekeeper templates): the run again after a missing module gives what a cached run gives", () => {
  const env = { FLEETWARD_CACHE_DIR: join(dir, "verify-cache") };
  const args = ["verify", join(ROOT, "policies", "library", "required-probes")];
  const first = fleetward(args, env);
  expect(first.err).toContain("loading the compiler and running again");
  expect(first.out).toMatch(/[1-9]\d* passed, 0 failed/);
  const second = fleetward(args, env);
  expect([second.code, second.out]).toEqual([first.code, first.out]);
  expect(second.err).toMatch(/[1-9]\d* from the cache, 0 generated; binaryen not loaded/);
  expect(loadsBinaryen(second.modules)).toBe(false);
});

test("a corrupt entry is ignored and rewritten; an unwritable folder falls back to memory without an error", () => {
  const cache = join(dir, "corrupt-cache");
  const args = ["eval", "-d", join(dir, "p.rego"), "-i", join(dir, "input.json"), "data.main.deny"];
  const good = fleetward(args, { FLEETWARD_CACHE_DIR: cache });
  for (const name of readdirSync(join(cache, "modules"))) writeFileSync(join(cache, "modules", name), "garbage");
  const repaired = fleetward(args, { FLEETWARD_CACHE_DIR: cache });
  expect([repaired.code, repaired.out]).toEqual([0, good.out]);
  expect(repaired.err).toContain("compile cache: ignored a corrupt entry");
  expect(repaired.err).toContain("0 from the cache, 1 generated");
  expect(fleetward(args, { FLEETWARD_CACHE_DIR: cache }).err).toContain("1 from the cache, 0 generated");

  writeFileSync(join(dir, "a-file"), "");
  const unwritable = fleetward(args, { FLEETWARD_CACHE_DIR: join(dir, "a-file", "cache") });
  expect([unwritable.code, unwritable.out]).toEqual([0, good.out]);
  expect(unwritable.err.split("\n").filter((l) => l.includes("not writable"))).toHaveLength(1);
  const quiet = fleetward(args, { FLEETWARD_CACHE_DIR: join(dir, "a-file", "cache"), FLEETWARD_DEBUG: "" });
  expect([quiet.code, quiet.err]).toEqual([0, ""]);
});

test("the server starts and idles without loading binaryen", async () => {
  const port = await freePort();
  const trace = join(dir, "server-trace.txt");
  const server = spawnNode(["--import", TRACE, join(ROOT, "dist", "src", "app", "server.js")], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, PORT: String(port), HOST: "127.0.0.1", FLEETWARD_TRACE_MODULES: trace },
  });
  try {
    const res = await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 60_000);
    expect(res.status).toBe(200);
    const modules = readFileSync(trace, "utf8").split("\n");
    expect(modules.some((m) => m.endsWith("/dist/src/app/index.js"))).toBe(true);
    expect(modules.filter((m) => m.includes("node_modules/binaryen/") || m.includes("/rego/wasm/codegen/"))).toEqual([]);
  } catch (error) {
    throw new Error(`${String(error)}\nserver log:\n${server.output()}`, { cause: error });
  } finally {
    server.stop();
    await server.exited;
  }
}, 90_000);
