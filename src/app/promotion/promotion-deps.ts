import type { Logger } from "pino";
import type { ConfigStore } from "../repo-config.js";

/** What every promotion use case takes besides the GitHub client: the config cache, the clock and a logger. */
export interface PromotionDeps {
  store: ConfigStore;
  now: () => Date;
  log: Logger;
}

/** The check run that marks a default-branch commit as handled by the promotion planner (the reconciler looks for it). */
export const PROMOTION_MARKER_CHECK_NAME = "fleetward/promotion";

/** Label on a merged wave pull request while its bake time runs; the reconciler opens the next wave. */
export const BAKING_LABEL = "fleetward:baking";
