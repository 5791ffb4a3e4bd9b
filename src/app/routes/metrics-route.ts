import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { FleetwardMetrics } from "../observability/metrics-registry.js";
import { sendJson } from "./send-json.js";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Whether `authorization` is `Bearer <token>`, compared in constant time (over digests, so lengths may differ). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  return timingSafeEqual(digest(match?.[1]?.trim() ?? ""), digest(token)) && match !== null;
}

/**
 * `GET /metrics`: the Prometheus text exposition of `metrics`. With `token` (METRICS_TOKEN) set, a request
 * without `Authorization: Bearer <token>` gets 401.
 */
export function createMetricsRoute(deps: { metrics: FleetwardMetrics; token?: string | undefined; log: Logger }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.url ?? "").split("?")[0] !== "/metrics") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { error: "method_not_allowed", message: "/metrics accepts GET" }, { headers: { allow: "GET, HEAD" } });
      return true;
    }
    if (deps.token && !bearerMatches(req.headers.authorization, deps.token)) {
      sendJson(res, 401, { error: "unauthorized", message: "missing or wrong bearer token (METRICS_TOKEN)" }, { headers: { "www-authenticate": 'Bearer realm="fleetward-metrics"' } });
      return true;
    }
    try {
      const { contentType, body } = await deps.metrics.exposition();
      res.writeHead(200, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      deps.log.error({ err: error }, "metrics could not be collected");
      sendJson(res, 500, { error: "metrics_failed", message: "the metrics could not be collected" });
    }
    return true;
  };
}
