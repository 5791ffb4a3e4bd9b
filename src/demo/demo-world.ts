/**
 * What the demo runs: the GitHub simulator served over real HTTP (every API call checked against GitHub's OpenAPI
 * description) holding the sample fleet repository, and the real Fleetward server (`startServer`, as `npm start`)
 * pointed at it as a GitHub Enterprise Server: app JWTs, installation tokens, signed webhooks over HTTP. Only GitHub
 * is simulated. The app's clock is the simulator's, so the demo moves time forward for the bake instead of sleeping.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { Server } from "probot";
import { fleetwardApp } from "../app/index.js";
import { startServer } from "../app/server.js";
import { InFlight, drain } from "../app/shutdown.js";
import { closePolicySandbox } from "../sandbox/index.js";
import { appServerEnv, freePort } from "../simulator/app-server-env.js";
import { GitHubSimulator, type RunningServer } from "../simulator/github-simulator.js";
import { readFleetFiles } from "./fleet-files.js";

export const OWNER = "acme";
export const REPO = "fleet";
/** The people of the story: alice changes things, carol approves prod. */
export const AUTHOR = "alice";
export const APPROVER = "carol";

/** Settings the shell may carry that would point the demo elsewhere (a real GitHub App, a proxy, Redis, tracing). */
const CLEARED = ["PRIVATE_KEY_PATH", "WEBHOOK_PROXY_URL", "WEBHOOK_PATH", "REDIS_URL", "OTEL_EXPORTER_OTLP_ENDPOINT", "METRICS_TOKEN", "ALERTS_BASIC_AUTH", "GRAFANA_WEBHOOK_SECRET", "NODE_ENV"];

export interface DemoWorld {
  sim: GitHubSimulator;
  api: RunningServer;
  server: Server;
  /** http://127.0.0.1:PORT, the app. */
  appUrl: string;
  /** The bearer token of the alert routes (made for this run). */
  alertToken: string;
  /** The demo's temporary folder: the app's log, the sample alert. */
  dir: string;
  /** The app's log (JSON lines). */
  logFile: string;
  stop(): Promise<void>;
}

export async function startDemoWorld(options: { port?: number } = {}): Promise<DemoWorld> {
  const sim = new GitHubSimulator({ clockStart: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString() });
  const api = await sim.listen();
  const app = sim.createApp({ slug: "fleetward", name: "Fleetward (demo)" });
  sim.createRepo({ owner: OWNER, name: REPO, files: readFleetFiles(), description: "Fleetward's demo fleet" });
  sim.install({ appId: app.id, account: OWNER, repos: [REPO] });
  for (const user of [AUTHOR, APPROVER]) sim.setPermission(OWNER, REPO, user, "write");
  // The status page's sign-in goes through the simulator's OAuth web flow and approves as alice.
  sim.oauth.signInAs(AUTHOR);

  const port = options.port ?? (await freePort());
  const appUrl = `http://127.0.0.1:${port}`;
  const alertToken = randomBytes(16).toString("hex");
  const dir = mkdtempSync(join(tmpdir(), "fleetward-demo-"));
  for (const key of CLEARED) delete process.env[key];
  Object.assign(process.env, {
    ...appServerEnv(app, api),
    PORT: String(port),
    ALERTS_BEARER_TOKEN: alertToken,
    // The reconciler opens the next wave once the bake has passed on the (simulated) clock.
    FLEETWARD_RECONCILE_INTERVAL: "1s",
    GITHUB_CLIENT_ID: sim.oauth.clientId(app.id),
    GITHUB_CLIENT_SECRET: sim.oauth.clientSecret(app.id),
    SESSION_SECRET: randomBytes(32).toString("hex"),
    PUBLIC_URL: appUrl,
  });
  // startServer reads `.env` from the working directory: a developer's real app credentials there must not win.
  process.chdir(dir);

  const logFile = join(dir, "fleetward.log");
  const logStream: WriteStream = createWriteStream(logFile);
  const inFlight = new InFlight();
  const server = await startServer(fleetwardApp({ now: () => sim.clock.now() }), { log: pino({ level: "info" }, logStream), inFlight });
  const stopDeliveries = sim.deliverTo(`${appUrl}/api/github/webhooks`);

  const quiet = { info: () => {}, warn: () => {} };
  const stop = async () => {
    stopDeliveries();
    await drain(server, inFlight, { timeoutMs: 10_000, log: quiet, signal: "stop" });
    await closePolicySandbox();
    await api.close();
    await new Promise((resolve) => logStream.end(resolve));
  };
  return { sim, api, server, appUrl, alertToken, dir, logFile, stop };
}
