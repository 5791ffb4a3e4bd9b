import type { Logger } from "pino";
import type { AlertSettings } from "../rollback/alert-settings.js";
import type { AlertRepositories } from "../rollback/alert-repositories.js";
import { readFreeze } from "../rollback/read-freeze.js";
import { type RouteHandler, hasAlertCredentials } from "./alert-route.js";
import { sendFailure } from "./send-failure.js";
import { sendJson } from "./send-json.js";

/**
 * `GET /api/freeze?env=&cluster=&repo=owner/name` → 200 `{"frozen": bool, "reasons": [...], "repository": ...}`.
 * Same credentials as the alert routes. `repo` is required when the app is installed on several repositories.
 * 400 for unknown names, 5xx when GitHub cannot be read (callers must treat that as frozen).
 */
export function createFreezeRoute(deps: { settings: AlertSettings; repos: AlertRepositories; log: Logger }): RouteHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== "/api/freeze") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { error: "method_not_allowed", message: "/api/freeze accepts GET" }, { headers: { allow: "GET" } });
      return true;
    }
    if (!hasAlertCredentials(req, deps.settings)) {
      sendJson(res, 401, { error: "unauthorized", message: "missing or wrong credentials" }, { headers: { "www-authenticate": 'Bearer realm="fleetward-alerts"' } });
      return true;
    }
    const param = (name: string): string | undefined => url.searchParams.get(name) || undefined;
    try {
      const answer = await readFreeze(deps.repos, { repo: param("repo"), env: param("env"), cluster: param("cluster") }, deps.log);
      if (!answer.ok) sendJson(res, answer.status, { error: "bad_request", message: answer.message });
      else sendJson(res, 200, { frozen: answer.frozen, reasons: answer.reasons, repository: answer.repository });
    } catch (error) {
      sendFailure(res, error, deps.log, "reading the freeze state");
    }
    return true;
  };
}
