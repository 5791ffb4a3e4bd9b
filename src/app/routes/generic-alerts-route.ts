import { parseGenericAlert } from "../../rollback/alerts/parse-generic-alert.js";
import { type AlertRouteDeps, type RouteHandler, createAlertRoute } from "./alert-route.js";

/** `POST /api/alerts/generic`: Fleetward's generic alert JSON (see docs/rollback.md), bearer or basic credentials. */
export function createGenericAlertsRoute(deps: AlertRouteDeps): RouteHandler {
  return createAlertRoute({ path: "/api/alerts/generic", sender: "generic alert", parse: parseGenericAlert, credentials: "required" }, deps);
}
