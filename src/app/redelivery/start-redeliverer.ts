/**
 * The redeliverer: every `FLEETWARD_REDELIVER_INTERVAL` (default 5 minutes; `off` turns it off; off under
 * `NODE_ENV=test` unless set) it lists the app's recent webhook deliveries and asks GitHub to redeliver the events
 * that failed, once each (`planRedeliveries`). It covers what GitHub never retries: deliveries refused during a
 * restart or an outage, deliveries the app failed, and deliveries answered 202 whose handlers failed afterwards (the
 * server records them in the coordinator: `noteFailedAfterAnswer`). With several replicas (REDIS_URL) one runs it at a time (the
 * `redeliverer` leader lease), and each event is asked for once among them (`once`), even when the lease moves between
 * a request and GitHub's list showing it; a duplicate redelivery would still be handled as any redelivery is.
 *
 * Without REDIS_URL (one replica), a redelivery this process did not ask for, delivered after it started, means
 * another replica runs without shared coordination (or a person redelivered by hand): it is logged as a warning.
 */
import type { Probot } from "probot";
import type { Coordinator } from "../coordination/coordinator.js";
import { everyIntervalAsLeader, intervalFromEnv } from "../interval-timer.js";
import { DEFAULT_REDELIVERY_OPTIONS, planRedeliveries, type DeliveryAttemptFacts, type RedeliveryPlan } from "../../redelivery/plan-redeliveries.js";
import { listRecentDeliveries, redeliverDelivery } from "../github/hook-deliveries.js";

export const DEFAULT_REDELIVER_INTERVAL_MS = 5 * 60 * 1000;

/** The interval from `FLEETWARD_REDELIVER_INTERVAL` (a duration; `0`/`off`: off); throws on an unreadable value. */
export function redeliverIntervalMs(env: Readonly<Record<string, string | undefined>>): number | null {
  return intervalFromEnv(env, "FLEETWARD_REDELIVER_INTERVAL", DEFAULT_REDELIVER_INTERVAL_MS);
}

/** The events redelivered since `since` that are not in `askedHere` (pure). */
export function redeliveriesAskedElsewhere(attempts: readonly DeliveryAttemptFacts[], askedHere: ReadonlySet<string>, since: Date): string[] {
  const guids = attempts.filter((a) => a.redelivery && !askedHere.has(a.guid) && Date.parse(a.deliveredAt) >= since.getTime()).map((a) => a.guid);
  return [...new Set(guids)].sort();
}

export interface RedeliverRun extends RedeliveryPlan {
  requested: number;
  /** Planned, but already asked for by another replica (`once` said no). */
  alreadyAsked: number;
  attempts: DeliveryAttemptFacts[];
}

/** What a run needs of the coordinator. */
export type RedeliveryCoordination = Pick<Coordinator, "once" | "failedAfterAnswer" | "forgetFailedAfterAnswer">;

/**
 * One run: list, plan (with the deliveries recorded as failed after their answer), redeliver each event `once` allows
 * (shared among replicas; a CoordinationUnavailable stops the run: nothing is asked without it), then forget the
 * recorded GUIDs asked for or given up. A failed redelivery request is logged and the others still go. `asked`
 * collects the events this process asked for.
 */
export async function redeliverFailed(app: Probot, now: Date, coordination: RedeliveryCoordination, asked?: Set<string>): Promise<RedeliverRun> {
  const gh = await app.auth();
  const attempts = await listRecentDeliveries(gh, { since: new Date(now.getTime() - DEFAULT_REDELIVERY_OPTIONS.maxAgeMs), maxPages: 10 });
  const plan = planRedeliveries(attempts, { ...DEFAULT_REDELIVERY_OPTIONS, now }, new Set(await coordination.failedAfterAnswer()));
  const unasked = new Set<string>();
  let requested = 0;
  let alreadyAsked = 0;
  for (const r of plan.redeliver) {
    if (!(await coordination.once(`redeliver:${r.guid}`, DEFAULT_REDELIVERY_OPTIONS.maxAgeMs))) {
      alreadyAsked++;
      continue;
    }
    asked?.add(r.guid);
    try {
      await redeliverDelivery(gh, r.attemptId);
      requested++;
      app.log.info({ guid: r.guid, event: r.event, action: r.action, failedWith: r.failedWith, afterAnswer: r.afterAnswer }, "failed webhook delivery: redelivery requested");
    } catch (error) {
      unasked.add(r.guid);
      app.log.warn({ err: error, guid: r.guid }, "failed webhook delivery: the redelivery request failed");
    }
  }
  await coordination.forgetFailedAfterAnswer(plan.forget.filter((guid) => !unasked.has(guid)));
  if (plan.givenUp > 0 || plan.deferred > 0) app.log.info({ givenUp: plan.givenUp, deferred: plan.deferred }, "failed webhook deliveries left");
  return { ...plan, requested, alreadyAsked, attempts };
}

/** Runs `redeliverFailed` every `intervalMs` on the replica holding the lease (unref'd, runs never overlap). Returns a stop function. */
export function startRedeliverer(app: Probot, now: () => Date, intervalMs: number, coordinator: Coordinator): () => void {
  const startedAt = now();
  const asked = new Set<string>();
  let warned = false;
  return everyIntervalAsLeader(intervalMs, coordinator.leader("redeliverer"), app.log, "webhook redeliverer", () =>
    redeliverFailed(app, now(), coordinator, asked).then(
      (run) => {
        if (coordinator.kind !== "memory" || warned) return;
        const elsewhere = redeliveriesAskedElsewhere(run.attempts, asked, startedAt);
        if (elsewhere.length === 0) return;
        warned = true;
        app.log.warn(
          { guids: elsewhere.slice(0, 5) },
          "another replica seems to run without REDIS_URL: webhook deliveries were redelivered that this process did not ask for (or a person redelivered them by hand). Without REDIS_URL run one replica; with several, set REDIS_URL on all (docs/deployment.md#scaling)",
        );
      },
      (error: unknown) => app.log.error({ err: error }, "webhook redeliverer failed"),
    ),
  );
}
