import type { ApplicationFunction } from "probot";
import { healthzRoute } from "./routes/healthz.js";
import { createReadyzRoute } from "./routes/readyz.js";

/** Everything the app takes from outside that tests replace: the clock. */
export interface FleetwardAppOptions {
  now?: () => Date;
}

/** The Probot application function: registers the event handlers and HTTP routes. */
export function fleetwardApp(_options: FleetwardAppOptions = {}): ApplicationFunction {
  return (app, { addHandler }) => {
    addHandler(healthzRoute);
    addHandler(
      createReadyzRoute({
        authenticate: async () => {
          const gh = await app.auth();
          await gh.rest.apps.getAuthenticated();
        },
      }),
    );
  };
}
