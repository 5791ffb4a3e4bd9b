/**
 * Issue 17: the idle server (the built `dist/src/app/server.js` with a GitHub App configured, no REDIS_URL) loads none
 * of the heavy modules before its first event: the compiler (binaryen), the Rego engine, the policy planners, the
 * renderer, ioredis. They load on first use (app/lazy/run-policy-check.ts; redis-connection.ts requires ioredis when a
 * connection is made). Modules are recorded by the resolution hook of test/cli/lazy-compiler.
 */
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../helpers/free-port.js";
import { rssOf, spawnNode, waitForHttp } from "../helpers/spawned-process.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TRACE = join(ROOT, "test", "cli", "lazy-compiler", "trace-modules.mjs");
const HEAVY = /node_modules\/(binaryen|ioredis|js-yaml|ajv|graphql|re2js)\/|dist\/src\/(rego\/(?!wasm\/(defer-)?compiler-loading\.js)|render\/|sandbox\/(?!sandbox-limits\.js)|policy\/(?!check\/check-names\.js))/;

test("the idle server with a configured app loads no compiler, Rego engine, policy planner, renderer or Redis client", async () => {
  if (!existsSync(join(ROOT, "dist", "src", "app", "server.js"))) throw new Error("dist/ is not built: run `npx tsc -p tsconfig.build.json` (npm test does)");
  const dir = mkdtempSync(join(tmpdir(), "fleetward-idle-"));
  const trace = join(dir, "trace.txt");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const port = await freePort();
  const server = spawnNode(["--import", TRACE, join(ROOT, "dist", "src", "app", "server.js")], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", FLEETWARD_TRACE_MODULES: trace, APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "idle-test" },
  });
  try {
    const res = await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 60_000);
    expect(res.status).toBe(200);
    const modules = readFileSync(trace, "utf8").split("\n").filter(Boolean);
    // The configured app is loaded (its handlers and routes), so the absence below is not a server that stopped early.
    expect(modules.some((m) => m.endsWith("/dist/src/app/handlers/check-run.js"))).toBe(true);
    expect(modules.some((m) => m.endsWith("/dist/src/app/coordination/redis-connection.js"))).toBe(true);
    expect([...new Set(modules.filter((m) => HEAVY.test(m)))]).toEqual([]);
    console.log(`idle server RSS with the trace hook: ${((await rssOf(server.child.pid ?? 0)) / 2 ** 20).toFixed(1)} MiB (the hook adds a thread; the bench measures without it)`);
  } catch (error) {
    throw new Error(`${String(error)}\nserver log:\n${server.output()}`, { cause: error });
  } finally {
    server.stop();
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
