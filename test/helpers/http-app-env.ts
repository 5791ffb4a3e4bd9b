/**
 * The environment `startServer` needs to serve the app on 127.0.0.1:`port` against the GitHub simulator's HTTP
 * server (GitHub Enterprise over HTTP), set for a test file; the returned function restores what was there.
 */
import type { CreatedApp, RunningServer } from "../../src/simulator/github-simulator.js";
import { appServerEnv } from "../../src/simulator/app-server-env.js";

const KEYS = ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "GHE_HOST", "GHE_PROTOCOL", "PORT", "HOST", "WEBHOOK_PROXY_URL", "NODE_ENV"];

export function setHttpAppEnv(app: CreatedApp, api: RunningServer, port: number, extra: Record<string, string> = {}): () => void {
  const keys = [...KEYS, ...Object.keys(extra)];
  const saved = new Map(keys.map((k) => [k, process.env[k]]));
  Object.assign(process.env, { ...appServerEnv(app, api), PORT: String(port), ...extra });
  delete process.env.PRIVATE_KEY_PATH;
  delete process.env.WEBHOOK_PROXY_URL;
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
