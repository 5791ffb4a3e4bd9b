import type { Logger } from "pino";
import { z } from "zod";
import { describeIssues } from "../../rollback/alerts/normalize-alert-fields.js";
import { secretsEqual } from "../../rollback/alerts/verify-alert-credentials.js";
import type { AlertSettings } from "../rollback/alert-settings.js";
import type { AlertRepositories } from "../rollback/alert-repositories.js";
import { readFreeze } from "../rollback/read-freeze.js";
import { type RouteHandler, hasAlertCredentials } from "./alert-route.js";
import { readJsonBody } from "./read-json-body.js";
import { sendFailure } from "./send-failure.js";
import { sendJson } from "./send-json.js";

/** What Flagger POSTs to a gate webhook (`confirm-rollout`, `confirm-promotion`, …). Unknown fields are ignored. */
const flaggerGateRequest = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  phase: z.string().optional(),
  checksum: z.string().optional(),
  metadata: z.record(z.string(), z.string()).default({}),
});

/**
 * `POST /api/gates/flagger`: a Flagger gate webhook. 200 lets the rollout proceed, 423 halts it while an open
 * incident freezes the scope. The canary's webhook `metadata` names the scope: `env` (or `environment`),
 * `cluster`, `repo` (`owner/name`, needed when the app has several repositories); with neither `env` nor
 * `cluster`, any open incident of the repository halts. Flagger cannot send an Authorization header, so
 * `metadata.token` may carry the bearer token instead. Errors (400, 401, 5xx) halt too: Flagger proceeds
 * only on 2xx.
 */
export function createFlaggerGateRoute(deps: { settings: AlertSettings; repos: AlertRepositories; log: Logger }): RouteHandler {
  return async (req, res) => {
    if ((req.url ?? "").split("?")[0] !== "/api/gates/flagger") return false;
    if (req.method !== "POST") {
      sendJson(res, 405, { error: "method_not_allowed", message: "/api/gates/flagger accepts POST" }, { headers: { allow: "POST" } });
      return true;
    }
    const body = await readJsonBody(req, res, deps.settings.maxBodyBytes);
    if (body.answered) return true;
    const parsed = flaggerGateRequest.safeParse(body.json);
    const token = parsed.success ? parsed.data.metadata.token : undefined;
    const bearer = deps.settings.credentials.bearerToken;
    const authorized = hasAlertCredentials(req, deps.settings) || (token !== undefined && bearer !== undefined && secretsEqual(token, bearer));
    if (!authorized) {
      sendJson(res, 401, { error: "unauthorized", message: "missing or wrong credentials (Authorization header or metadata.token)" });
      return true;
    }
    if (!parsed.success) {
      sendJson(res, 400, { error: "invalid_body", message: "not a Flagger webhook request", errors: describeIssues(parsed.error) });
      return true;
    }
    const m = parsed.data.metadata;
    const query = { repo: m.repo || undefined, env: m.env || m.environment || undefined, cluster: m.cluster || undefined };
    try {
      const answer = await readFreeze(deps.repos, query, deps.log);
      if (!answer.ok) {
        sendJson(res, answer.status, { error: "bad_request", message: answer.message });
        return true;
      }
      const canary = `${parsed.data.namespace}/${parsed.data.name}`;
      deps.log.info({ canary, phase: parsed.data.phase, frozen: answer.frozen, repository: answer.repository }, answer.frozen ? "Flagger gate: halt" : "Flagger gate: proceed");
      sendJson(res, answer.frozen ? 423 : 200, { canary, frozen: answer.frozen, reasons: answer.reasons, repository: answer.repository });
    } catch (error) {
      sendFailure(res, error, deps.log, "reading the freeze state");
    }
    return true;
  };
}
