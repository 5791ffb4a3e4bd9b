/**
 * planRedeliveries: failed events asked for once, oldest first, bounded, within the age window; deliveries answered
 * 202 whose handlers failed afterwards (recorded GUIDs) count as failed, once, and are forgotten when done with.
 */
import { planRedeliveries, type DeliveryAttemptFacts } from "../../src/redelivery/plan-redeliveries.js";

const NOW = new Date("2026-12-07T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();
let nextId = 1;
const attempt = (guid: string, m: number, statusCode: number, redelivery = false): DeliveryAttemptFacts => ({ id: nextId++, guid, deliveredAt: minutesAgo(m), redelivery, statusCode, event: "pull_request", action: "opened" });
const options = { now: NOW, minAgeMs: 60_000, maxAgeMs: 6 * 3600_000, max: 25 };

test("a failed event is redelivered by its first attempt; succeeded events are not", () => {
  const failed = attempt("a", 10, 500);
  const plan = planRedeliveries([failed, attempt("b", 9, 200), attempt("c", 8, 202)], options);
  expect(plan.redeliver).toEqual([{ attemptId: failed.id, guid: "a", event: "pull_request", action: "opened", failedWith: 500, afterAnswer: false }]);
  expect(plan).toMatchObject({ deferred: 0, givenUp: 0, forget: [] });
});

test("an event that later succeeded (GitHub's own retry, or a redelivery) is left alone", () => {
  expect(planRedeliveries([attempt("a", 10, 0), attempt("a", 9, 200)], options).redeliver).toEqual([]);
  expect(planRedeliveries([attempt("a", 10, 503), attempt("a", 5, 200, true)], options).redeliver).toEqual([]);
});

test("once each: a failed redelivery is given up, whoever asked for it", () => {
  const plan = planRedeliveries([attempt("a", 30, 500), attempt("a", 20, 500, true)], options);
  expect(plan.redeliver).toEqual([]);
  expect(plan.givenUp).toBe(1);
});

test("too young (GitHub may still be connecting) and too old events are not asked for", () => {
  expect(planRedeliveries([attempt("young", 0.5, 0)], options).redeliver).toEqual([]);
  expect(planRedeliveries([attempt("old", 7 * 60, 500)], options).redeliver).toEqual([]);
  expect(planRedeliveries([attempt("ok", 5 * 60, 500)], options).redeliver.map((r) => r.guid)).toEqual(["ok"]);
});

test("oldest first, at most max per run; the rest deferred to the next run", () => {
  const attempts = [attempt("new", 2, 500), attempt("old", 50, 500), attempt("mid", 20, 502)];
  const plan = planRedeliveries(attempts, { ...options, max: 2 });
  expect(plan.redeliver.map((r) => r.guid)).toEqual(["old", "mid"]);
  expect(plan.deferred).toBe(1);
});

test("several failed attempts of one event: one request, naming the first attempt and the last status", () => {
  const first = attempt("a", 12, 0);
  const plan = planRedeliveries([attempt("a", 11, 502), first], options);
  expect(plan.redeliver).toEqual([expect.objectContaining({ attemptId: first.id, failedWith: 502 })]);
});

describe("deliveries that failed after their 202 answer", () => {
  test("a recorded GUID is redelivered though GitHub saw it succeed, and is to be forgotten; unrecorded successes are not", () => {
    const late = attempt("late", 10, 202);
    const plan = planRedeliveries([late, attempt("slow", 9, 202), attempt("failed", 8, 500)], options, new Set(["late"]));
    expect(plan.redeliver).toEqual([
      { attemptId: late.id, guid: "late", event: "pull_request", action: "opened", failedWith: 202, afterAnswer: true },
      expect.objectContaining({ guid: "failed", afterAnswer: false }),
    ]);
    expect(plan.forget).toEqual(["late"]);
  });

  test("once, whichever list found it: a recorded GUID that already has a redelivery is given up and forgotten", () => {
    // The redelivery itself failed after its answer, or an early failure (500) was redelivered and then failed late.
    for (const attempts of [[attempt("g", 30, 202), attempt("g", 20, 202, true)], [attempt("g", 30, 500), attempt("g", 20, 202, true)]]) {
      const plan = planRedeliveries(attempts, options, new Set(["g"]));
      expect(plan).toMatchObject({ redeliver: [], givenUp: 1, forget: ["g"] });
    }
  });

  test("a recorded GUID too young, deferred by max, or not (yet) in GitHub's list is kept for a later run", () => {
    expect(planRedeliveries([attempt("young", 0.5, 202)], options, new Set(["young"]))).toMatchObject({ redeliver: [], forget: [] });
    const plan = planRedeliveries([attempt("first", 20, 500), attempt("late", 10, 202)], { ...options, max: 1 }, new Set(["late", "unlisted"]));
    expect(plan.redeliver.map((r) => r.guid)).toEqual(["first"]);
    expect(plan).toMatchObject({ deferred: 1, forget: [] });
  });
});
