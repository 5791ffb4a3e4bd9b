import { parseAlertmanagerWebhook } from "../../rollback/alerts/parse-alertmanager-webhook.js";
import { type AlertRouteDeps, type RouteHandler, createAlertRoute } from "./alert-route.js";

/** `POST /api/alerts/alertmanager`: Prometheus Alertmanager webhook v4, bearer or basic credentials. */
export function createAlertmanagerAlertsRoute(deps: AlertRouteDeps): RouteHandler {
  return createAlertRoute({ path: "/api/alerts/alertmanager", sender: "Alertmanager v4", parse: parseAlertmanagerWebhook, credentials: "required" }, deps);
}
