import type { Logger } from "pino";
import type { ConfigStore } from "../repo-config.js";

/** What every promotion use case takes besides the GitHub client: the config cache, the clock, the app's bot login and a logger. */
export interface PromotionDeps {
  store: ConfigStore;
  now: () => Date;
  /** The app's bot login (`<slug>[bot]`): only incident issues it opened freeze promotions and feed soak and bake. */
  botLogin: () => Promise<string>;
  log: Logger;
}

/** What the event handlers get from the app function (the logger comes with each event). */
export type PromotionHandlerDeps = Omit<PromotionDeps, "log">;

/** The check run that marks a default-branch commit as handled by the promotion planner (the reconciler looks for it). */
export const PROMOTION_MARKER_CHECK_NAME = "fleetward/promotion";

/** Label on a merged wave pull request while its bake time runs; the reconciler opens the next wave. */
export const BAKING_LABEL = "fleetward:baking";
