/**
 * SIGTERM on the built server (`node dist/src/app/server.js`, as the container image runs it as PID 1): it stops
 * accepting connections at once, lets the delivery in flight finish its GitHub writes, then exits 0. A proxy in
 * front of the GitHub simulator holds the app's check-run write for 3 s, so the signal arrives while the delivery's
 * handler is still running (its HTTP answer may already have been sent).
 */
import { createServer, request, type Server as HttpServer } from "node:http";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, buildAppCopy } from "../helpers/build-app-copy.js";
import { freePort } from "../helpers/free-port.js";
import { spawnNode, waitForHttp, type Spawned } from "../helpers/spawned-process.js";
import { GitHubSimulator, type RunningServer } from "../../src/simulator/github-simulator.js";

const CONFIG = `environments:
  - name: dev
    paths: ["envs/dev/**"]
`;
const HOLD_MS = 3000;

let dir: string;
let sim: GitHubSimulator;
let api: RunningServer;
let proxy: HttpServer;
let server: Spawned | undefined;
/** Resolves when the app's first check-run write reaches the proxy (and is being held). */
let writeArrived: Promise<void>;
let writeAnsweredAt = 0;

/** Forwards to the simulator, holding `POST …/check-runs` for HOLD_MS. */
function startProxy(target: string, port: number): Promise<HttpServer> {
  let arrived: () => void = () => {};
  writeArrived = new Promise((resolve) => (arrived = resolve));
  const [host, targetPort] = target.split(":");
  const p = createServer((req, res) => {
    const hold = req.method === "POST" && /\/check-runs$/.test(req.url ?? "");
    if (hold) arrived();
    setTimeout(() => {
      const up = request({ host, port: Number(targetPort), method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        if (hold) answer.on("end", () => (writeAnsweredAt = Date.now()));
      });
      up.on("error", () => res.destroy());
      req.pipe(up);
    }, hold ? HOLD_MS : 0);
  });
  return new Promise((resolve) => p.listen(port, "127.0.0.1", () => resolve(p)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fleetward-shutdown-"));
  buildAppCopy(dir);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  sim = new GitHubSimulator();
  api = await sim.listen();
}, 300_000);

afterAll(async () => {
  server?.stop();
  await new Promise((resolve) => proxy?.close(resolve));
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("SIGTERM: no new connections, the delivery in flight completes its write, then exit 0", async () => {
  const app = sim.createApp({ slug: "fleetward" });
  sim.createRepo({ owner: "acme", name: "gitops", files: { ".github/fleetward.yml": CONFIG, "envs/dev/web.yaml": "kind: ConfigMap\n" } });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  const proxyPort = await freePort();
  proxy = await startProxy(api.host, proxyPort);
  const port = await freePort();
  server = spawnNode(["dist/src/app/server.js"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      APP_ID: String(app.id),
      PRIVATE_KEY: app.privateKey,
      WEBHOOK_SECRET: app.webhookSecret,
      GHE_HOST: `127.0.0.1:${proxyPort}`,
      GHE_PROTOCOL: "http",
      PORT: String(port),
      HOST: "127.0.0.1",
      FLEETWARD_RECONCILE_INTERVAL: "off",
      FLEETWARD_SHUTDOWN_TIMEOUT: "100s",
      LOG_FORMAT: "json",
    },
  });
  expect((await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 60_000)).status).toBe(200);
  sim.deliverTo(`http://127.0.0.1:${port}/api/github/webhooks`);

  // A pull request that changes the config: the app writes the fleetward/config check run (held by the proxy).
  sim.commitFiles({ owner: "acme", repo: "gitops", branch: "tweak", from: "main", files: { ".github/fleetward.yml": `${CONFIG}  - name: prod\n    paths: ["envs/prod/**"]\n    promotedFrom: dev\n` }, user: "alice", message: "Add prod" });
  const pr = sim.openPullRequest({ owner: "acme", repo: "gitops", head: "tweak", base: "main", title: "Add prod", user: "alice" });
  await writeArrived;
  const signalledAt = Date.now();
  server.child.kill("SIGTERM");

  // New connections are refused while the delivery drains.
  await new Promise((r) => setTimeout(r, 500));
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  expect(server.child.exitCode).toBeNull();

  const code = await server.exited;
  if (code !== 0) throw new Error(`exit ${code}:\n${server.output()}`);
  expect(writeAnsweredAt).toBeGreaterThan(signalledAt);
  const runs = sim.checkRunsOf("acme", "gitops", pr.headSha).filter((r) => r.name === "fleetward/config");
  expect(runs.length).toBeGreaterThanOrEqual(1);
  expect(server.output()).toMatch(/SIGTERM: drained in \d+ ms; exiting/);
  // Deliveries after the signal found the server gone (GitHub records them as failed; a redelivery completes them).
  sim.assertNoViolations();
}, 240_000);
