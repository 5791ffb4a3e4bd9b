import type { Probot } from "probot";
import type { LeaderLease } from "../coordination/coordinator.js";
import { everyIntervalAsLeader, intervalFromEnv } from "../interval-timer.js";
import { importInTurn } from "../lazy/import-in-turn.js";
import type { PromotionHandlerDeps } from "./promotion-deps.js";

/** Default interval of the promotion reconciler. */
export const DEFAULT_RECONCILE_INTERVAL_MS = 5 * 60 * 1000;

/**
 * The reconciler's interval from `FLEETWARD_RECONCILE_INTERVAL` (a duration such as `5m`; `0` or `off`
 * turns it off); default 5 minutes, off under `NODE_ENV=test` unless set. Throws on an unreadable value.
 */
export function reconcileIntervalMs(env: Readonly<Record<string, string | undefined>>): number | null {
  return intervalFromEnv(env, "FLEETWARD_RECONCILE_INTERVAL", DEFAULT_RECONCILE_INTERVAL_MS);
}

/**
 * Runs the reconciler every `intervalMs` on the replica holding `lease` (unref'd: it never keeps the process alive;
 * runs never overlap). Returns a stop function.
 */
export function startReconciler(app: Probot, deps: PromotionHandlerDeps, intervalMs: number, lease: LeaderLease): () => void {
  // The reconciler's planners (and the config schema, zod) load with its first run, not at start (issue 17).
  return everyIntervalAsLeader(intervalMs, lease, app.log, "promotion reconciler", () =>
    importInTurn(() => import("./reconcile-promotions.js"))
      .then(({ reconcilePromotions }) => reconcilePromotions(app, deps))
      .then((reports) => app.log.info({ repos: reports.length, replayed: reports.reduce((n, r) => n + r.replayed.length, 0) }, "promotions reconciled"))
      .catch((error: unknown) => app.log.error({ err: error }, "promotion reconciler failed")),
  );
}
