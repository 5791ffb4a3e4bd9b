import type { Probot } from "probot";
import type { Coordinator } from "../coordination/coordinator.js";
import type { ConfigStore } from "../repo-config.js";
import type { RouteHandler } from "../routes/alert-route.js";
import { createAlertmanagerAlertsRoute } from "../routes/alertmanager-alerts-route.js";
import { createFlaggerGateRoute } from "../routes/flagger-gate-route.js";
import { createFreezeRoute } from "../routes/freeze-route.js";
import { createGenericAlertsRoute } from "../routes/generic-alerts-route.js";
import { createGrafanaAlertsRoute } from "../routes/grafana-alerts-route.js";
import { readAlertSettings } from "./alert-settings.js";
import { AlertRepositories } from "./alert-repositories.js";
import { handleAlertGroup } from "./handle-alert-group.js";

/**
 * The rollback HTTP routes (alerts, freeze, Flagger gate) with their shared state: settings from `env`, the
 * installed-repository cache, the per-repository lock of `coordinator` (the same lock as promotions').
 */
export function createRollbackRoutes(app: Probot, deps: { store: ConfigStore; env: NodeJS.ProcessEnv; botLogin: () => Promise<string>; coordinator: Coordinator }): RouteHandler[] {
  const settings = readAlertSettings(deps.env);
  const log = app.log.child({ name: "rollback" });
  const repos = new AlertRepositories(app, deps.store, deps.botLogin);
  if (!settings.credentials.bearerToken && !settings.credentials.basicAuth && !settings.grafanaSecret) {
    log.warn("no alert credentials configured (ALERTS_BEARER_TOKEN, ALERTS_BASIC_AUTH, GRAFANA_WEBHOOK_SECRET): the alert routes refuse every request");
  }
  const alertDeps = { settings, log, handle: (group: Parameters<typeof handleAlertGroup>[1]) => handleAlertGroup({ repos, coordinator: deps.coordinator, log }, group) };
  return [
    createAlertmanagerAlertsRoute(alertDeps),
    createGrafanaAlertsRoute(alertDeps),
    createGenericAlertsRoute(alertDeps),
    createFreezeRoute({ settings, repos, log }),
    createFlaggerGateRoute({ settings, repos, log }),
  ];
}
