/**
 * `npm start`: the Probot HTTP server. With APP_ID and a private key it serves webhooks, /healthz,
 * /readyz and the app's routes; without them it serves Probot's setup flow, which creates the GitHub
 * App from app.yml (and /healthz still answers).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Probot, Server, run, type ApplicationFunction, type Logger } from "probot";
import { fleetwardApp } from "./index.js";
import { healthzRoute } from "./routes/healthz.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void | boolean | Promise<void | boolean>;

type SetupAppFactory = (options: {
  host: string;
  port: number;
  log: Probot["log"];
  updateEnv?: (env: Record<string, string>) => Record<string, string>;
}) => () => Promise<Handler>;

/** Probot's own setup flow. It is not exported by the package, so it is loaded from probot's folder. */
async function loadSetupAppFactory(): Promise<SetupAppFactory | null> {
  try {
    const main = import.meta.resolve("probot");
    const mod = (await import(new URL("./apps/setup.js", main).href)) as { setupAppFactory?: SetupAppFactory };
    return mod.setupAppFactory ?? null;
  } catch {
    return null;
  }
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

export interface StartServerOptions {
  /** A pino logger to use instead of Probot's (tests capture the structured log lines). */
  log?: Logger;
}

export async function startServer(appFn: ApplicationFunction = fleetwardApp(), options: StartServerOptions = {}): Promise<Server> {
  applyDotEnv();
  if (hasCredentials(process.env)) return run(appFn, options.log ? { log: options.log } : undefined);
  const setupAppFactory = await loadSetupAppFactory();
  if (!setupAppFactory) return run(appFn); // Probot's setup flow without our /healthz.
  // Mirrors Probot's run() in setup mode, adding /healthz.
  const server = new Server({
    host: process.env.HOST ?? "localhost",
    port: Number(process.env.PORT) || 3000,
    Probot: Probot.defaults({ appId: 1, privateKey: "dummy value for setup, see probot#1512" }),
  });
  server.addHandler(healthzRoute);
  await server.loadHandlerFactory((probot) =>
    setupAppFactory({ host: server.host, port: server.port, log: probot.log.child({ name: "setup" }) })(),
  );
  await server.start();
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startServer().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
