/**
 * The app's observability wiring (docs/observability.md): webhook deliveries counted, timed and traced, the
 * incident gauges read from GitHub at scrape time, and the `GET /metrics` route. GitHub calls are instrumented
 * where the Octokit class is chosen (`instrumentOctokit` in server.ts). The metrics register at start; what their
 * scrape-time reads need (incident metadata, the fleet status reader, the config schema) loads with the first scrape
 * (issue 17).
 */
import type { Probot } from "probot";
import { importInTurn } from "../lazy/import-in-turn.js";
import type { ConfigStore } from "../repo-config.js";
import { AlertRepositories } from "../rollback/alert-repositories.js";
import { createMetricsRoute } from "../routes/metrics-route.js";
import { registerDeliveryMetrics } from "./delivery-metrics.js";
import { registerFleetStateGauges } from "./fleet-state-gauges.js";
import { type FleetwardMetrics, metrics as sharedMetrics } from "./metrics-registry.js";
import { instrumentWebhooks } from "./webhook-deliveries.js";

export interface ObserveAppDeps {
  store: ConfigStore;
  botLogin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  metrics?: FleetwardMetrics;
}

/** Instruments `app` and returns its `/metrics` route. */
export function observeApp(app: Probot, deps: ObserveAppDeps) {
  const metrics = deps.metrics ?? sharedMetrics;
  const log = app.log.child({ name: "metrics" });
  instrumentWebhooks(app.webhooks, metrics);
  const repos = new AlertRepositories(app, deps.store, deps.botLogin);
  const readIncidents = async () => (await importInTurn(() => import("./fleet-state-read.js"))).readFleetIncidents(repos, (id) => app.auth(id));
  registerFleetStateGauges(metrics, readIncidents, { log });
  const readDelivery = async () =>
    (await importInTurn(() => import("../fleet-status/load-fleet-status.js"))).readFleetDelivery(() => repos.installed(), (id) => app.auth(id), { store: deps.store, botLogin: deps.botLogin, now: () => new Date(), log });
  registerDeliveryMetrics(metrics, readDelivery, { log });
  return createMetricsRoute({ metrics, token: deps.env.METRICS_TOKEN, log });
}
