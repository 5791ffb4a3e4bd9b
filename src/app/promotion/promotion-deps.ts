import type { Logger } from "pino";
import type { Coordinator } from "../coordination/coordinator.js";
import type { ConfigStore } from "../repo-config.js";

/**
 * What every promotion use case takes besides the GitHub client: the config cache, the clock, the app's bot login,
 * the coordinator and a logger.
 */
export interface PromotionDeps {
  store: ConfigStore;
  now: () => Date;
  /** The app's bot login (`<slug>[bot]`): only incident issues it opened freeze promotions and feed soak and bake. */
  botLogin: () => Promise<string>;
  /** The app's coordinator (src/app/coordination): executions of one repository hold its `promotion:` lock. */
  coordinator: PromotionCoordination;
  log: Logger;
}

/** What promotions need of the coordinator. */
export type PromotionCoordination = Pick<Coordinator, "withLock" | "ensureReachable">;

/** What the read-only use cases take (the fleet status for `/fleet` and the metrics): no locks. */
export type PromotionReadDeps = Omit<PromotionDeps, "coordinator">;

/** What the event handlers get from the app function (the logger comes with each event). */
export type PromotionHandlerDeps = Omit<PromotionDeps, "log">;

/** The check run that marks a default-branch commit as handled by the promotion planner (the reconciler looks for it). */
export const PROMOTION_MARKER_CHECK_NAME = "fleetward/promotion";

/** Label on a merged wave pull request while its bake time runs; the reconciler opens the next wave. */
export const BAKING_LABEL = "fleetward:baking";
