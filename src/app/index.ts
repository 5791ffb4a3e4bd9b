import type { ApplicationFunction } from "probot";
import { registerCheckRunHandlers } from "./handlers/check-run.js";
import { registerPullRequestHandlers } from "./handlers/pull-request.js";
import { registerPushHandlers } from "./handlers/push.js";
import { registerIssueCommentHandlers } from "./handlers/issue-comment.js";
import { registerCheckSuiteHandlers } from "./handlers/check-suite.js";
import { registerStatusHandlers } from "./handlers/status.js";
import { registerIssuesHandlers } from "./handlers/issues.js";
import { registerPullRequestReviewHandlers } from "./handlers/pull-request-review.js";
import { reconcileIntervalMs, startReconciler } from "./promotion/start-reconciler.js";
import { redeliverIntervalMs, startRedeliverer } from "./redelivery/start-redeliverer.js";
import { ConfigStore } from "./repo-config.js";
import { healthzRoute } from "./routes/healthz.js";
import { createReadyzRoute } from "./routes/readyz.js";
import { createRollbackRoutes } from "./rollback/create-rollback-routes.js";
import { createBotLogin } from "./rollback/create-bot-login.js";
import { observeApp } from "./observability/observe-app.js";
import { coordinationSettingsFromEnv } from "./coordination/coordination-settings.js";
import { createCoordinator } from "./coordination/create-coordinator.js";
import { attachCoordinator } from "./coordination/app-coordinator.js";
import { createStatusPageRoutes } from "./status-page/create-status-page-routes.js";
import { createRepositoryStatusLoader } from "./lazy/load-fleet-status.js";

/** Everything the app takes from outside that tests replace: the clock. */
export interface FleetwardAppOptions {
  now?: () => Date;
}

/** The Probot application function: registers the event handlers and HTTP routes. */
export function fleetwardApp(options: FleetwardAppOptions = {}): ApplicationFunction {
  return (app, { addHandler }) => {
    const store = new ConfigStore();
    const now = options.now ?? (() => new Date());
    const botLogin = createBotLogin(app);
    const metricsRoute = observeApp(app, { store, botLogin, env: process.env });
    // Locks, leader leases and de-duplication: in memory (one replica), or shared in Redis with REDIS_URL.
    const coordinator = createCoordinator(coordinationSettingsFromEnv(process.env), app.log.child({ name: "coordination" }));
    attachCoordinator(app, coordinator);
    // One file per event family; each registers separate handlers per capability, so one failing does
    // not stop the others.
    registerPushHandlers(app, { store, now, botLogin, coordinator });
    registerPullRequestHandlers(app, { store, now, botLogin, coordinator });
    registerPullRequestReviewHandlers(app, { store, now, botLogin, coordinator });
    registerCheckRunHandlers(app, { store, now, botLogin, coordinator });
    registerCheckSuiteHandlers(app, { store, now, botLogin, coordinator });
    registerStatusHandlers(app, { store, now, botLogin, coordinator });
    registerIssuesHandlers(app, { store, now, botLogin, coordinator });
    registerIssueCommentHandlers(app, { store, now, botLogin, coordinator });
    const interval = reconcileIntervalMs(process.env);
    if (interval !== null) startReconciler(app, { store, now, botLogin, coordinator }, interval, coordinator.leader("reconciler"));
    const redeliverEvery = redeliverIntervalMs(process.env);
    if (redeliverEvery !== null) startRedeliverer(app, now, redeliverEvery, coordinator);
    const statusPageLog = app.log.child({ name: "status-page" });
    const routes = [
      healthzRoute,
      metricsRoute,
      createReadyzRoute({
        authenticate: async () => {
          const gh = await app.auth();
          await gh.rest.apps.getAuthenticated();
        },
      }),
      ...createRollbackRoutes(app, { store, env: process.env, botLogin, coordinator }),
      // Sessions expire by the wall clock; the statuses (bake time left) use the app's clock.
      ...createStatusPageRoutes({ env: process.env, log: statusPageLog, now: () => new Date(), loadStatus: createRepositoryStatusLoader(app, { store, now, botLogin, log: statusPageLog }) }),
    ];
    try {
      for (const route of routes) addHandler(route);
    } catch {
      // A Probot instance without an HTTP server (serverless, tests): webhooks only.
      app.log.debug("no HTTP server: routes not registered");
    }
  };
}
