import type { ApplicationFunction } from "probot";
import { registerCheckRunHandlers } from "./handlers/check-run.js";
import { registerPullRequestHandlers } from "./handlers/pull-request.js";
import { registerPushHandlers } from "./handlers/push.js";
import { ConfigStore } from "./repo-config.js";
import { healthzRoute } from "./routes/healthz.js";
import { createReadyzRoute } from "./routes/readyz.js";

/** Everything the app takes from outside that tests replace: the clock. */
export interface FleetwardAppOptions {
  now?: () => Date;
}

/** The Probot application function: registers the event handlers and HTTP routes. */
export function fleetwardApp(_options: FleetwardAppOptions = {}): ApplicationFunction {
  return (app, { addHandler }) => {
    const store = new ConfigStore();
    registerPullRequestHandlers(app, { store });
    registerPushHandlers(app, { store });
    registerCheckRunHandlers(app, { store });
    const routes = [
      healthzRoute,
      createReadyzRoute({
        authenticate: async () => {
          const gh = await app.auth();
          await gh.rest.apps.getAuthenticated();
        },
      }),
    ];
    try {
      for (const route of routes) addHandler(route);
    } catch {
      // A Probot instance without an HTTP server (serverless, tests): webhooks only.
      app.log.debug("no HTTP server: routes not registered");
    }
  };
}
