import type { Probot } from "probot";
import type { Coordinator } from "../coordination/coordinator.js";
import type { ConfigStore } from "../repo-config.js";
import type { RouteHandler } from "../routes/alert-route.js";
import { importInTurn } from "../lazy/import-in-turn.js";
import { routeOnFirstRequest } from "../lazy/route-on-first-request.js";
import { readAlertSettings } from "./alert-settings.js";
import { AlertRepositories } from "./alert-repositories.js";
import type { handleAlertGroup } from "./handle-alert-group.js";

/**
 * The rollback HTTP routes (alerts, freeze, Flagger gate) with their shared state: settings from `env`, the
 * installed-repository cache, the per-repository lock of `coordinator` (the same lock as promotions'). Each route's
 * module (the senders' schemas, zod; the incident planners) loads on the first request to its path (issue 17).
 */
export function createRollbackRoutes(app: Probot, deps: { store: ConfigStore; env: NodeJS.ProcessEnv; botLogin: () => Promise<string>; coordinator: Coordinator }): RouteHandler[] {
  const settings = readAlertSettings(deps.env);
  const log = app.log.child({ name: "rollback" });
  const repos = new AlertRepositories(app, deps.store, deps.botLogin);
  if (!settings.credentials.bearerToken && !settings.credentials.basicAuth && !settings.grafanaSecret) {
    log.warn("no alert credentials configured (ALERTS_BEARER_TOKEN, ALERTS_BASIC_AUTH, GRAFANA_WEBHOOK_SECRET): the alert routes refuse every request");
  }
  const handle = async (group: Parameters<typeof handleAlertGroup>[1]) => (await importInTurn(() => import("./handle-alert-group.js"))).handleAlertGroup({ repos, coordinator: deps.coordinator, log }, group);
  const alertDeps = { settings, log, handle };
  return [
    routeOnFirstRequest("/api/alerts/alertmanager", async () => (await import("../routes/alertmanager-alerts-route.js")).createAlertmanagerAlertsRoute(alertDeps)),
    routeOnFirstRequest("/api/alerts/grafana", async () => (await import("../routes/grafana-alerts-route.js")).createGrafanaAlertsRoute(alertDeps)),
    routeOnFirstRequest("/api/alerts/generic", async () => (await import("../routes/generic-alerts-route.js")).createGenericAlertsRoute(alertDeps)),
    routeOnFirstRequest("/api/freeze", async () => (await import("../routes/freeze-route.js")).createFreezeRoute({ settings, repos, log })),
    routeOnFirstRequest("/api/gates/flagger", async () => (await import("../routes/flagger-gate-route.js")).createFlaggerGateRoute({ settings, repos, log })),
  ];
}
