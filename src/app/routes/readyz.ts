import type { IncomingMessage, ServerResponse } from "node:http";

export interface ReadyzOptions {
  /** Resolves when the app can authenticate to GitHub as itself; rejects with the reason otherwise. */
  authenticate: () => Promise<void>;
  /** How long a success is trusted before the next request checks again. */
  cacheMs?: number;
  now?: () => number;
}

/**
 * `GET /readyz`: 200 once the app can authenticate as the GitHub App (a JWT-signed `GET /app`
 * succeeds), 503 with the reason before that. Successes are cached so probes do not hammer GitHub.
 */
export function createReadyzRoute(options: ReadyzOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const cacheMs = options.cacheMs ?? 60_000;
  const now = options.now ?? Date.now;
  let readyUntil = 0;
  return async (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/readyz" || (req.method !== "GET" && req.method !== "HEAD")) return false;
    if (now() < readyUntil) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ready" }));
      return true;
    }
    try {
      await options.authenticate();
      readyUntil = now() + cacheMs;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ready" }));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      res
        .writeHead(503, { "content-type": "application/json" })
        .end(JSON.stringify({ status: "not ready", reason: `cannot authenticate as the GitHub App: ${reason}` }));
    }
    return true;
  };
}
