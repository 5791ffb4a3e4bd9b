/**
 * The redeliverer: every `FLEETWARD_REDELIVER_INTERVAL` (default 5 minutes; `off` turns it off; off under
 * `NODE_ENV=test` unless set) it lists the app's recent webhook deliveries and asks GitHub to redeliver the events
 * that failed, once each (`planRedeliveries`). It covers what GitHub never retries: deliveries refused during a
 * restart or an outage, and deliveries the app failed. Safe with several processes: GitHub's list is the memory, and
 * a duplicate redelivery is handled as any redelivery is (effects are idempotent).
 */
import type { Probot } from "probot";
import { everyInterval, intervalFromEnv } from "../interval-timer.js";
import { DEFAULT_REDELIVERY_OPTIONS, planRedeliveries, type RedeliveryPlan } from "../../redelivery/plan-redeliveries.js";
import { listRecentDeliveries, redeliverDelivery } from "../github/hook-deliveries.js";

export const DEFAULT_REDELIVER_INTERVAL_MS = 5 * 60 * 1000;

/** The interval from `FLEETWARD_REDELIVER_INTERVAL` (a duration; `0`/`off`: off); throws on an unreadable value. */
export function redeliverIntervalMs(env: Readonly<Record<string, string | undefined>>): number | null {
  return intervalFromEnv(env, "FLEETWARD_REDELIVER_INTERVAL", DEFAULT_REDELIVER_INTERVAL_MS);
}

/** One run: list, plan, redeliver; a failed redelivery request is logged and the others still go. */
export async function redeliverFailed(app: Probot, now: Date): Promise<RedeliveryPlan & { requested: number }> {
  const gh = await app.auth();
  const attempts = await listRecentDeliveries(gh, { since: new Date(now.getTime() - DEFAULT_REDELIVERY_OPTIONS.maxAgeMs), maxPages: 10 });
  const plan = planRedeliveries(attempts, { ...DEFAULT_REDELIVERY_OPTIONS, now });
  let requested = 0;
  for (const r of plan.redeliver) {
    try {
      await redeliverDelivery(gh, r.attemptId);
      requested++;
      app.log.info({ guid: r.guid, event: r.event, action: r.action, failedWith: r.failedWith }, "failed webhook delivery: redelivery requested");
    } catch (error) {
      app.log.warn({ err: error, guid: r.guid }, "failed webhook delivery: the redelivery request failed (the next run asks again)");
    }
  }
  if (plan.givenUp > 0 || plan.deferred > 0) app.log.info({ givenUp: plan.givenUp, deferred: plan.deferred }, "failed webhook deliveries left");
  return { ...plan, requested };
}

/** Runs `redeliverFailed` every `intervalMs` (unref'd, runs never overlap). Returns a stop function. */
export function startRedeliverer(app: Probot, now: () => Date, intervalMs: number): () => void {
  return everyInterval(intervalMs, () =>
    redeliverFailed(app, now()).then(
      () => undefined,
      (error: unknown) => app.log.error({ err: error }, "webhook redeliverer failed"),
    ),
  );
}
