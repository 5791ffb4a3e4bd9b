import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { AlertGroup, ParseAlertResult } from "../../rollback/alerts/alert-group.js";
import { verifyAlertCredentials } from "../../rollback/alerts/verify-alert-credentials.js";
import type { AlertSettings } from "../rollback/alert-settings.js";
import type { AlertGroupOutcome } from "../rollback/handle-alert-group.js";
import { readJsonBody } from "./read-json-body.js";
import { sendFailure } from "./send-failure.js";
import { sendJson } from "./send-json.js";
import { observeAlertRoute } from "../observability/observe-outcomes.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface AlertRouteDeps {
  settings: AlertSettings;
  /** Does the work for a parsed notification; throws when it could not be done. */
  handle: (group: AlertGroup) => Promise<AlertGroupOutcome>;
  log: Logger;
}

export interface AlertRouteSpec {
  path: string;
  sender: string;
  parse: (body: unknown) => ParseAlertResult;
  /**
   * Authentication: `credentials` requires the `Authorization` header to carry a configured bearer token or
   * basic credentials; `verifyBody` (after the body is read) adds a check such as Grafana's HMAC signature.
   */
  credentials: "required" | "when-configured";
  verifyBody?: (req: IncomingMessage, body: Buffer) => boolean;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? "").split("?")[0] ?? "";
}

/** True when the request's `Authorization` header carries the configured alert credentials. */
export function hasAlertCredentials(req: IncomingMessage, settings: AlertSettings): boolean {
  return verifyAlertCredentials(req.headers.authorization, settings.credentials);
}

export function credentialsConfigured(settings: AlertSettings): boolean {
  return Boolean(settings.credentials.bearerToken || settings.credentials.basicAuth);
}

/**
 * `POST <path>` for one alert sender: 405 for other methods; 401 without valid credentials; 413 for a body
 * above the cap (not read to its end); 400 for malformed JSON or a body the sender's schema refuses (each
 * problem with its JSON path; unknown fields are ignored); then the work, answered 200 with what was done
 * (or `unmatched` when no repository's rules map the alerts), or 5xx when it failed (the sender retries).
 */
export function createAlertRoute(spec: AlertRouteSpec, deps: AlertRouteDeps): RouteHandler {
  return observeAlertRoute(spec.path, async (req, res) => {
    if (pathOf(req) !== spec.path) return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "method_not_allowed", message: `${spec.path} accepts POST` }, { headers: { allow: "POST" } });
      return true;
    }
    const configured = credentialsConfigured(deps.settings);
    const authorized = configured ? hasAlertCredentials(req, deps.settings) : spec.credentials === "when-configured" && spec.verifyBody !== undefined;
    if (!authorized) {
      deps.log.warn({ path: spec.path, configured }, "alert refused: missing or wrong credentials");
      sendJson(res, 401, { error: "unauthorized", message: configured ? "missing or wrong credentials" : "no alert credentials are configured (ALERTS_BEARER_TOKEN or ALERTS_BASIC_AUTH)" }, {
        headers: { "www-authenticate": 'Bearer realm="fleetward-alerts"' },
        close: true,
      });
      return true;
    }
    const verifyBody = spec.verifyBody;
    const body = await readJsonBody(req, res, deps.settings.maxBodyBytes, verifyBody ? (raw) => verifyBody(req, raw) : undefined);
    if (body.answered) return true;
    const parsed = spec.parse(body.json);
    if (!parsed.ok) {
      sendJson(res, 400, { error: "invalid_body", message: `not a ${spec.sender} notification`, errors: parsed.errors });
      return true;
    }
    try {
      const outcome = await deps.handle(parsed.group);
      sendJson(res, 200, outcome);
    } catch (error) {
      sendFailure(res, error, deps.log, `handling the ${spec.sender} notification ${JSON.stringify(parsed.group.groupKey)}`);
    }
    return true;
  });
}
