/** The periodic jobs under a leader lease, and the redeliverer's sign of another replica running without Redis. */
import { CoordinationUnavailable, type LeaderLease } from "../../../src/app/coordination/coordinator.js";
import { everyIntervalAsLeader } from "../../../src/app/interval-timer.js";
import { redeliveriesAskedElsewhere } from "../../../src/app/redelivery/start-redeliverer.js";
import type { DeliveryAttemptFacts } from "../../../src/redelivery/plan-redeliveries.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("everyIntervalAsLeader", () => {
  it("runs on the lease holder's ticks only, and skips with a warning while the lease cannot be asked", async () => {
    const answers: Array<boolean | Error> = [false, true, new CoordinationUnavailable("store_unreachable", "Redis: not reachable within 2000 ms (reconnecting)"), true];
    const lease: LeaderLease = {
      isLeader: () => {
        const next = answers.shift() ?? false;
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
      release: () => Promise.resolve(),
    };
    const warnings: string[] = [];
    const skipped: string[] = [];
    let runs = 0;
    const stop = everyIntervalAsLeader(20, lease, { warn: (_o, m) => warnings.push(m), debug: (_o, m) => skipped.push(m) }, "promotion reconciler", async () => {
      runs++;
    });
    // Every answer consumed (bounded), then one more tick: the later answers are "not the leader".
    for (const deadline = Date.now() + 10_000; (answers.length > 0 || skipped.length < 2) && Date.now() < deadline; ) await sleep(10);
    stop();
    expect(runs).toBe(2);
    expect(skipped[0]).toBe("promotion reconciler skipped: another replica holds the lease");
    expect(warnings).toEqual(["promotion reconciler skipped: the leader lease cannot be asked (Redis: not reachable within 2000 ms (reconnecting))"]);
  });
});

describe("redeliveriesAskedElsewhere", () => {
  const attempt = (id: number, guid: string, deliveredAt: string, redelivery: boolean): DeliveryAttemptFacts => ({ id, guid, deliveredAt, redelivery, statusCode: 202, event: "push", action: null });
  const since = new Date("2026-12-07T10:00:00Z");

  it("names the events redelivered after the start that this process did not ask for", () => {
    const attempts = [
      attempt(1, "mine", "2026-12-07T10:05:00Z", true),
      attempt(2, "other", "2026-12-07T10:06:00Z", true),
      attempt(3, "other", "2026-12-07T10:07:00Z", true),
      attempt(4, "before-start", "2026-12-07T09:59:00Z", true),
      attempt(5, "first-try", "2026-12-07T10:08:00Z", false),
    ];
    expect(redeliveriesAskedElsewhere(attempts, new Set(["mine"]), since)).toEqual(["other"]);
    expect(redeliveriesAskedElsewhere(attempts, new Set(["mine", "other"]), since)).toEqual([]);
  });
});
