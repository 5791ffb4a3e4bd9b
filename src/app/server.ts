/**
 * `npm start`: the Probot HTTP server. With APP_ID and a private key it serves webhooks, /healthz,
 * /readyz and the app's routes; without them it serves Probot's setup flow, which creates the GitHub
 * App from app.yml (and /healthz still answers).
 */
// First: the Rego code generator (binaryen) is loaded on first compile, not at start (policies compile in the sandbox's workers).
import "../rego/wasm/defer-compiler-loading.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Probot, ProbotOctokit, Server, run, type ApplicationFunction, type Logger } from "probot";
import { fleetwardApp } from "./index.js";
import { healthzRoute } from "./routes/healthz.js";
import { createWebhookGuard, webhookMaxBytes } from "./webhook-guard.js";
import { sandboxLimitsFromEnv } from "../sandbox/sandbox-limits.js";
import { REDACTED_LOG_PATHS, censorLogValue } from "./status-page/log-redaction.js";
import { instrumentOctokit } from "./observability/github-requests.js";
import { startTracing, stopTracing } from "./observability/tracing.js";
import { InFlight, drain, shutdownTimeoutMs, type ShutdownLog } from "./shutdown.js";
import { SetupManifestError, adjustSetupManifest, manifestHook } from "./setup-manifest.js";
import { coordinationSettingsFromEnv, probotRedisConfig } from "./coordination/coordination-settings.js";
import { attachCoordinator, coordinatorOf } from "./coordination/app-coordinator.js";
import { noteFailureAfterAnswer, whileAnswering } from "./redelivery/failed-after-answer.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void | boolean | Promise<void | boolean>;

type SetupAppFactory = (options: {
  host: string;
  port: number;
  log: Probot["log"];
  updateEnv?: (env: Record<string, string>) => Record<string, string>;
}) => () => Promise<Handler>;

/** A module of Probot's own, not exported by the package, loaded from probot's folder (null when absent). */
async function probotModule<T>(file: string): Promise<T | null> {
  try {
    return (await import(new URL(file, import.meta.resolve("probot")).href)) as T;
  } catch {
    return null;
  }
}

/** Probot's own setup flow. */
async function loadSetupAppFactory(): Promise<SetupAppFactory | null> {
  return (await probotModule<{ setupAppFactory?: SetupAppFactory }>("./apps/setup.js"))?.setupAppFactory ?? null;
}

/** Loads `.env` from the working directory into process.env exactly as Probot's run() does. */
function applyDotEnv(): void {
  try {
    Object.assign(process.env, parseEnv(readFileSync(join(process.cwd(), ".env"), "utf-8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function hasCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.APP_ID && (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH));
}

/** A configuration the server refuses to start with; `npm start` prints its message and exits with 1. */
export class StartupError extends Error {}

/**
 * Without `WEBHOOK_SECRET` Probot would verify webhooks with its public default secret ("development"), so
 * anyone could sign a forged event: with `APP_ID` set, a missing secret stops the start. (The setup flow,
 * without `APP_ID`, writes the secret it creates to `.env`.)
 */
export function checkWebhookSecret(env: NodeJS.ProcessEnv): void {
  if (env.APP_ID && !env.WEBHOOK_SECRET) {
    throw new StartupError("WEBHOOK_SECRET is not set: APP_ID is, so webhooks would be verified with Probot's public default secret. Set WEBHOOK_SECRET to the webhook secret of the GitHub App (its settings page, \"Webhook secret\").");
  }
}

/**
 * Request headers that carry credentials (alert senders' bearer or basic credentials, cookies), never logged, and the
 * request URL, logged without the OAuth callback's code and state (status-page/log-redaction.ts).
 */
export const REDACTED_HEADERS = REDACTED_LOG_PATHS;

/** What Probot reads from the environment (probot/lib/bin/read-env-options.js), the parts used here. */
interface EnvOptions {
  appId: number;
  privateKey?: string;
  secret?: string;
  baseUrl: string;
  redisConfig?: string;
  host?: string;
  port: number;
  webhookPath?: string;
  webhookProxy?: string;
  logLevel?: string;
  logFormat?: string;
  logLevelInString?: boolean;
  logMessageKey?: string;
  sentryDsn?: string;
}

/**
 * Probot's `run()` for an app with credentials, with the webhook guard (body cap, signature) placed before
 * Probot's webhook middleware, which otherwise reads any body whole before verifying it.
 */
async function runGuarded(appFn: ApplicationFunction, log: Logger | undefined, inFlight: InFlight): Promise<Server> {
  const readEnv = (await probotModule<{ readEnvOptions: (env: NodeJS.ProcessEnv) => EnvOptions }>("./bin/read-env-options.js"))?.readEnvOptions;
  const getLog = (await probotModule<{ getLog: (options: object) => Promise<Logger> }>("./helpers/get-log.js"))?.getLog;
  if (!readEnv || !getLog) throw new StartupError("this version of probot lacks bin/read-env-options.js or helpers/get-log.js");
  let maxBytes: number;
  try {
    maxBytes = webhookMaxBytes(process.env.FLEETWARD_WEBHOOK_MAX_BYTES);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  const env = readEnv(process.env);
  const base = log ?? (await getLog({ level: env.logLevel, logFormat: env.logFormat, logLevelInString: env.logLevelInString, logMessageKey: env.logMessageKey, sentryDsn: env.sentryDsn }));
  // Probot's HTTP log line of every request carries its headers: credentials there are replaced.
  const logger = base.child({}, { redact: { paths: REDACTED_HEADERS, censor: censorLogValue } });
  const guard = createWebhookGuard({
    path: env.webhookPath || "/api/github/webhooks",
    secret: env.secret ?? "",
    maxBytes,
    log: logger.child({ name: "webhooks" }),
  });
  const Base = Probot.defaults({ appId: env.appId, privateKey: env.privateKey, secret: env.secret, baseUrl: env.baseUrl, redisConfig: probotRedisConfig(process.env), log: logger, Octokit: instrumentOctokit(ProbotOctokit) });
  class GuardedProbot extends Base {
    override async getNodeMiddleware(options?: Parameters<Probot["getNodeMiddleware"]>[0]): ReturnType<Probot["getNodeMiddleware"]> {
      const middleware = await super.getNodeMiddleware(options);
      // Deliveries whose handlers still run after their HTTP answer count as in flight for a graceful shutdown, and
      // when they fail after it their GUID is recorded for the redeliverer (the webhooks exist once the middleware is
      // made; it looks verifyAndReceive up at each delivery).
      const verifyAndReceive = this.webhooks.verifyAndReceive.bind(this.webhooks);
      this.webhooks.verifyAndReceive = (event) => inFlight.track(noteFailureAfterAnswer(verifyAndReceive(event), event.id, () => coordinatorOf(this), this.log));
      return async (req, res, next) => {
        inFlight.answer(res);
        return whileAnswering(res, async () => (await guard(req, res)) || middleware(req, res, next));
      };
    }
  }
  const server = new Server({ host: env.host, port: env.port, webhookPath: env.webhookPath, webhookProxy: env.webhookProxy, log: logger, Probot: GuardedProbot });
  // The app's coordinator is the server's too: main closes it after a drain (coordinatorOf(server)).
  await server.load(async (app, options) => {
    await appFn(app, options);
    const coordinator = coordinatorOf(app);
    if (coordinator) attachCoordinator(server, coordinator);
  });
  await server.start();
  return server;
}

export interface StartServerOptions {
  /** A pino logger to use instead of Probot's (tests capture the structured log lines). */
  log?: Logger;
  /** Work in flight that a graceful shutdown waits for (webhook deliveries are counted in it). */
  inFlight?: InFlight;
}

export async function startServer(appFn: ApplicationFunction = fleetwardApp(), options: StartServerOptions = {}): Promise<Server> {
  applyDotEnv();
  checkWebhookSecret(process.env);
  // Traces (docs/observability.md): the SDK is loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
  await startTracing(process.env);
  // A bad policy sandbox limit (FLEETWARD_SANDBOX_WORKERS, …) stops the start, naming the variable, rather than
  // failing every policy check later.
  sandboxLimitsFromEnv(process.env);
  try {
    shutdownTimeoutMs(process.env);
    coordinationSettingsFromEnv(process.env); // REDIS_URL, FLEETWARD_LOCK_* (src/app/coordination)
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  if (hasCredentials(process.env)) return runGuarded(appFn, options.log, options.inFlight ?? new InFlight());
  let hookWarning: string | undefined;
  try {
    hookWarning = manifestHook(process.env).warning;
  } catch (error) {
    if (error instanceof SetupManifestError) throw new StartupError(error.message);
    throw error;
  }
  await useFleetwardManifest();
  const setupAppFactory = await loadSetupAppFactory();
  if (!setupAppFactory) return run(appFn); // Probot's setup flow without our /healthz.
  // Mirrors Probot's run() in setup mode, adding /healthz.
  const server = new Server({
    host: process.env.HOST ?? "localhost",
    port: Number(process.env.PORT) || 3000,
    Probot: Probot.defaults({ appId: 1, privateKey: "dummy value for setup, see probot#1512" }),
  });
  server.addHandler(healthzRoute);
  await server.loadHandlerFactory((probot) => {
    if (hookWarning !== undefined) probot.log.warn(hookWarning);
    return setupAppFactory({ host: server.host, port: server.port, log: probot.log.child({ name: "setup" }) })();
  });
  await server.start();
  return server;
}

/** Probot's setup flow builds its manifest with ManifestCreation.getManifest: its webhook and callback URLs are ours. */
async function useFleetwardManifest(): Promise<void> {
  type ManifestCreation = { prototype: { getManifest: (this: unknown, options: object) => string; fleetward?: true } };
  const creation = (await probotModule<{ ManifestCreation?: ManifestCreation }>("./manifest-creation.js"))?.ManifestCreation;
  if (!creation || creation.prototype.fleetward) return;
  const original = creation.prototype.getManifest;
  creation.prototype.getManifest = function (options: object) {
    return adjustSetupManifest(original.call(this, options), process.env);
  };
  creation.prototype.fleetward = true;
}

/** A logger for the shutdown lines, formatted as the server's (LOG_LEVEL, LOG_FORMAT). */
async function shutdownLog(): Promise<ShutdownLog> {
  const getLog = (await probotModule<{ getLog: (options: object) => Promise<Logger> }>("./helpers/get-log.js"))?.getLog;
  if (getLog) {
    const log = (await getLog({ level: process.env.LOG_LEVEL ?? "info", logFormat: process.env.LOG_FORMAT })).child({ name: "shutdown" });
    return { info: (obj, msg) => log.info(obj, msg), warn: (obj, msg) => log.warn(obj, msg) };
  }
  return { info: (obj, msg) => console.log(msg ?? obj), warn: (obj, msg) => console.warn(msg ?? obj) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const inFlight = new InFlight();
  startServer(fleetwardApp(), { inFlight }).then(
    (server) => {
      // SIGTERM (Kubernetes, docker stop) and SIGINT (a terminal): drain, then exit; a second signal exits at once.
      const onSignal = (signal: NodeJS.Signals) => {
        process.once(signal, () => process.exit(1));
        void shutdownLog()
          .then((log) => drain(server, inFlight, { timeoutMs: shutdownTimeoutMs(process.env), log, signal }))
          // The spans of the last deliveries are exported, and the leader leases given up so another replica takes
          // them at once rather than after FLEETWARD_LOCK_TTL, before the exit (at most 5 s).
          .then((ok) => Promise.race([Promise.all([stopTracing().catch(() => {}), coordinatorOf(server)?.close().catch(() => {})]), new Promise((r) => setTimeout(r, 5000).unref())]).then(() => ok))
          .then((ok) => process.exit(ok ? 0 : 1), () => process.exit(1));
      };
      process.once("SIGTERM", onSignal);
      process.once("SIGINT", onSignal);
    },
    (error: unknown) => {
      if (error instanceof StartupError) console.error(`fleetward: ${error.message}`);
      else console.error(error);
      process.exit(1);
    },
  );
}
