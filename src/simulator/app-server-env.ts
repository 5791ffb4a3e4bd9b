/**
 * Running the real app server (`startServer`, or `node dist/src/app/server.js`) against the simulator's HTTP
 * transport: the environment that points it there, and a free port to serve it on.
 */
import { createServer } from "node:net";
import type { CreatedApp, RunningServer } from "./github-simulator.js";

/** The app's credentials and GitHub = the simulator over HTTP (as a GitHub Enterprise Server), served on 127.0.0.1. */
export function appServerEnv(app: CreatedApp, api: RunningServer): Record<string, string> {
  return {
    APP_ID: String(app.id),
    PRIVATE_KEY: app.privateKey,
    WEBHOOK_SECRET: app.webhookSecret,
    GHE_HOST: api.host,
    GHE_PROTOCOL: "http",
    HOST: "127.0.0.1",
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot listen on port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
