import { parseGrafanaWebhook } from "../../rollback/alerts/parse-grafana-webhook.js";
import { verifyGrafanaSignature } from "../../rollback/alerts/verify-alert-credentials.js";
import { type AlertRouteDeps, type RouteHandler, createAlertRoute } from "./alert-route.js";

const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * `POST /api/alerts/grafana`: Grafana unified alerting's webhook. With `GRAFANA_WEBHOOK_SECRET` set, the body
 * must carry a valid `X-Grafana-Alerting-Signature` (HMAC-SHA256 of the body; with `GRAFANA_WEBHOOK_TIMESTAMP_HEADER`
 * set, of `timestamp:body` with that header's timestamp, within 5 minutes). With alert credentials configured, they are required too; with
 * neither, every request is refused.
 */
export function createGrafanaAlertsRoute(deps: AlertRouteDeps, now: () => number = Date.now): RouteHandler {
  const secret = deps.settings.grafanaSecret;
  const timestampHeader = deps.settings.grafanaTimestampHeader;
  return createAlertRoute(
    {
      path: "/api/alerts/grafana",
      sender: "Grafana webhook",
      parse: parseGrafanaWebhook,
      credentials: "when-configured",
      ...(secret
        ? {
            verifyBody: (req, body) =>
              verifyGrafanaSignature({
                body,
                signature: header(req.headers["x-grafana-alerting-signature"]),
                ...(timestampHeader ? { timestamp: header(req.headers[timestampHeader]) ?? "" } : {}),
                secret,
                now: now(),
              }),
          }
        : {}),
    },
    deps,
  );
}
