import { planNextWave } from "../../src/promotion/plan-next-wave.js";
import { resolveWaves } from "../../src/promotion/resolve-waves.js";
import { fleetOf } from "./fixture.js";

const at = (iso: string) => new Date(iso);

test("waves by label: a selector per wave, clusters without a wave join the last", () => {
  expect(resolveWaves(fleetOf(), "prod").map((w) => [w.name, w.clusters, w.bakeMs])).toEqual([
    ["canary", ["prod-eu-1"], 3_600_000],
    ["rest", ["prod-eu-2", "prod-us-1", "prod-ap-1"], 0],
  ]);
  expect(resolveWaves(fleetOf(), "staging")).toEqual([]);
});

describe("planNextWave", () => {
  const fleet = fleetOf();
  const merged = [{ wave: "canary", mergedAt: at("2026-03-04T10:00:00Z") }];
  test("waits for the bake, then opens the next wave", () => {
    expect(planNextWave({ fleet, environment: "prod", merged, now: at("2026-03-04T10:30:00Z"), alerts: [] })).toEqual({
      action: "wait",
      from: "canary",
      wave: "rest",
      recheckAt: at("2026-03-04T11:00:00Z"),
    });
    expect(planNextWave({ fleet, environment: "prod", merged, now: at("2026-03-04T11:00:00Z"), alerts: [] })).toEqual({
      action: "open",
      from: "canary",
      wave: "rest",
    });
  });
  test("an alert on the baking wave's clusters halts; alerts elsewhere or before the merge do not", () => {
    const halted = planNextWave({
      fleet,
      environment: "prod",
      merged,
      now: at("2026-03-04T12:00:00Z"),
      alerts: [{ scope: "prod-eu-1", startsAt: at("2026-03-04T10:20:00Z"), endsAt: at("2026-03-04T10:25:00Z") }],
    });
    expect(halted).toMatchObject({ action: "halt", wave: "rest" });
    const fine = planNextWave({
      fleet,
      environment: "prod",
      merged,
      now: at("2026-03-04T12:00:00Z"),
      alerts: [
        { scope: "prod-us-1", startsAt: at("2026-03-04T10:20:00Z"), endsAt: null },
        { scope: "prod-eu-1", startsAt: at("2026-03-04T08:00:00Z"), endsAt: at("2026-03-04T09:00:00Z") },
      ],
    });
    expect(fine).toEqual({ action: "open", from: "canary", wave: "rest" });
  });
  test("nothing to do before the first wave merged, after the last one, or without waves", () => {
    expect(planNextWave({ fleet, environment: "prod", merged: [], now: at("2026-03-04T12:00:00Z"), alerts: [] }).action).toBe("none");
    const all = [...merged, { wave: "rest", mergedAt: at("2026-03-04T11:00:00Z") }];
    expect(planNextWave({ fleet, environment: "prod", merged: all, now: at("2026-03-04T12:00:00Z"), alerts: [] })).toEqual({ action: "none", detail: "every wave has merged" });
    expect(planNextWave({ fleet, environment: "staging", merged, now: at("2026-03-04T12:00:00Z"), alerts: [] }).action).toBe("none");
  });
});
