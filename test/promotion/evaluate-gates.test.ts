import { promotionWindowSchema } from "../../src/config/promotion-schema.js";
import type { FleetwardSettings } from "../../src/config/schema.js";
import { effectiveSettings } from "../../src/config/effective-settings.js";
import { evaluateGates } from "../../src/promotion/evaluate-gates.js";
import type { EvaluateGatesInput } from "../../src/promotion/evaluate-gates.js";
import { windowState } from "../../src/promotion/window-state.js";
import { configOf } from "./fixture.js";

const at = (iso: string) => new Date(iso);

function settingsFor(promotionYaml: string): FleetwardSettings {
  const config = configOf(
    `environments:\n  - name: prod\n    paths: ["envs/prod/**"]\n    settings:\n      promotion:\n${promotionYaml.replace(/^/gm, "        ")}\n`,
  );
  return effectiveSettings(config, { environment: "prod" });
}

function input(settings: FleetwardSettings, over: Partial<EvaluateGatesInput> = {}): EvaluateGatesInput {
  return {
    settings,
    now: at("2026-03-04T12:00:00Z"),
    headSha: "head1",
    author: "alice",
    reviews: [],
    teamMembers: {},
    checks: [],
    sourceLiveSince: null,
    sourceScopes: ["staging"],
    alerts: [],
    openIncidents: [],
    targetScopes: ["prod", "prod-eu-1"],
    ...over,
  };
}

const gate = (r: ReturnType<typeof evaluateGates>, name: string) => r.gates.find((g) => g.name === name);
const NO_DEFAULT_GATES = "gates: { policyCheck: \"\", noIncident: false }";

describe("approvals", () => {
  const s = settingsFor(`gates:\n  approvals: { count: 1, teams: [acme/sre] }\n  policyCheck: ""\n  noIncident: false`);
  test("pending without reviews, pass with a team member's approval, author and outsiders do not count", () => {
    expect(gate(evaluateGates(input(s)), "approvals")?.state).toBe("pending");
    const r = evaluateGates(
      input(s, {
        reviews: [
          { user: "alice", state: "APPROVED", submittedAt: at("2026-03-04T10:00:00Z") },
          { user: "mallory", state: "APPROVED", submittedAt: at("2026-03-04T10:00:00Z") },
        ],
        teamMembers: { "acme/sre": ["alice", "bob"] },
      }),
    );
    expect(gate(r, "approvals")).toEqual({ name: "approvals", state: "pending", detail: "0 of 1 approvals from @acme/sre" });
    const ok = evaluateGates(
      input(s, { reviews: [{ user: "Bob", state: "APPROVED", submittedAt: at("2026-03-04T10:00:00Z") }], teamMembers: { "acme/sre": ["bob"] } }),
    );
    expect(ok.conclusion).toBe("pass");
    expect(ok.checkRun).toMatchObject({ name: "fleetward/promotion-gates", headSha: "head1", conclusion: "success", title: "1 of 1 gates pass" });
  });
  test("changes requested fail; a later approval by the same reviewer replaces it", () => {
    const reviews = [{ user: "bob", state: "CHANGES_REQUESTED" as const, submittedAt: at("2026-03-04T10:00:00Z") }];
    const failed = evaluateGates(input(s, { reviews, teamMembers: { "acme/sre": ["bob"] } }));
    expect(failed.conclusion).toBe("fail");
    expect(failed.checkRun.conclusion).toBe("failure");
    const later = [...reviews, { user: "bob", state: "APPROVED" as const, submittedAt: at("2026-03-04T11:00:00Z") }];
    expect(evaluateGates(input(s, { reviews: later, teamMembers: { "acme/sre": ["bob"] } })).conclusion).toBe("pass");
  });
});

describe("soak", () => {
  const s = settingsFor(`soakTime: 2h\n${NO_DEFAULT_GATES}`);
  test("pending until live, pending with recheckAt while soaking, pass after, fail on an alert in the source", () => {
    expect(gate(evaluateGates(input(s)), "soak")?.state).toBe("pending");
    const soaking = evaluateGates(input(s, { sourceLiveSince: at("2026-03-04T11:00:00Z") }));
    expect(gate(soaking, "soak")).toMatchObject({ state: "pending", recheckAt: at("2026-03-04T13:00:00Z") });
    expect(soaking.recheckAt).toEqual(at("2026-03-04T13:00:00Z"));
    expect(soaking.checkRun.conclusion).toBe("action_required");
    expect(gate(evaluateGates(input(s, { sourceLiveSince: at("2026-03-04T09:00:00Z") })), "soak")?.state).toBe("pass");
    const alerted = evaluateGates(
      input(s, { sourceLiveSince: at("2026-03-04T09:00:00Z"), alerts: [{ scope: "staging", startsAt: at("2026-03-04T09:30:00Z"), endsAt: at("2026-03-04T09:40:00Z") }] }),
    );
    expect(gate(alerted, "soak")?.state).toBe("fail");
    // An alert that ended before the change went live, or on another scope, does not count.
    const unrelated = evaluateGates(
      input(s, {
        sourceLiveSince: at("2026-03-04T09:00:00Z"),
        alerts: [
          { scope: "staging", startsAt: at("2026-03-04T07:00:00Z"), endsAt: at("2026-03-04T08:00:00Z") },
          { scope: "dev", startsAt: at("2026-03-04T09:30:00Z"), endsAt: null },
        ],
      }),
    );
    expect(gate(unrelated, "soak")?.state).toBe("pass");
  });
  test("no soak gate with the default soak time of 0s", () => {
    expect(gate(evaluateGates(input(settingsFor(NO_DEFAULT_GATES))), "soak")).toBeUndefined();
  });
});

describe("policy check and incidents (on by default)", () => {
  const s = settingsFor("autoMerge: true");
  test("policy pending, running, failed, passed", () => {
    expect(gate(evaluateGates(input(s)), "policy")?.state).toBe("pending");
    expect(gate(evaluateGates(input(s, { checks: [{ name: "fleetward/policy", status: "in_progress", conclusion: null }] })), "policy")?.state).toBe("pending");
    expect(gate(evaluateGates(input(s, { checks: [{ name: "fleetward/policy", status: "completed", conclusion: "failure" }] })), "policy")?.state).toBe("fail");
    const ok = evaluateGates(input(s, { checks: [{ name: "fleetward/policy", status: "completed", conclusion: "success" }] }));
    expect(ok.gates.map((g) => [g.name, g.state])).toEqual([
      ["policy", "pass"],
      ["incident", "pass"],
    ]);
  });
  test("an open incident for the target fails; one for another environment does not", () => {
    const checks = [{ name: "fleetward/policy", status: "completed" as const, conclusion: "success" }];
    const r = evaluateGates(input(s, { checks, openIncidents: [{ scope: "prod-eu-1", title: "latency" }] }));
    expect(gate(r, "incident")).toEqual({ name: "incident", state: "fail", detail: "open incident: latency (prod-eu-1)" });
    expect(evaluateGates(input(s, { checks, openIncidents: [{ scope: "staging", title: "x" }] })).conclusion).toBe("pass");
  });
});

describe("promotion windows", () => {
  const w = (v: unknown) => promotionWindowSchema.parse(v);
  const fridayAfternoon = w({ kind: "deny", days: ["fri"], start: "14:00", end: "24:00", timeZone: "Europe/Berlin", reason: "no prod changes on Friday afternoons" });

  test("deny window in Europe/Berlin: open before, closed inside, recheckAt at each edge", () => {
    // 2026-10-23 is a Friday; Berlin is UTC+2 (CEST).
    const before = windowState([fridayAfternoon], at("2026-10-23T11:59:00Z"));
    expect(before).toMatchObject({ open: true, changesAt: at("2026-10-23T12:00:00Z") });
    const inside = windowState([fridayAfternoon], at("2026-10-23T15:00:00Z"));
    expect(inside.open).toBe(false);
    expect(inside.detail).toContain("no prod changes on Friday afternoons");
    expect(inside.changesAt).toEqual(at("2026-10-23T22:00:00Z"));
  });

  test("the same local window moves in UTC across the DST change", () => {
    // 2026-10-30 is the next Friday; Berlin is now UTC+1 (CET).
    expect(windowState([fridayAfternoon], at("2026-10-30T12:30:00Z")).open).toBe(true);
    expect(windowState([fridayAfternoon], at("2026-10-30T13:00:00Z")).open).toBe(false);
  });

  test("allow window in America/New_York over the spring-forward weekend", () => {
    const office = w({ kind: "allow", days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00", timeZone: "America/New_York" });
    // Saturday 2026-03-07 07:00 EST: closed until Monday 09:00 EDT, which is 13:00 UTC (not 14:00).
    const s = windowState([office], at("2026-03-07T12:00:00Z"));
    expect(s).toMatchObject({ open: false, detail: "outside every allow window", changesAt: at("2026-03-09T13:00:00Z") });
    expect(windowState([office], at("2026-03-06T21:59:00Z")).changesAt).toEqual(at("2026-03-06T22:00:00Z"));
  });

  test("windows past midnight and half-hour time zones", () => {
    const night = w({ kind: "deny", days: ["fri"], start: "22:00", end: "06:00", timeZone: "UTC" });
    expect(windowState([night], at("2026-03-07T03:00:00Z")).open).toBe(false);
    expect(windowState([night], at("2026-03-06T21:59:00Z")).open).toBe(true);
    expect(windowState([night], at("2026-03-08T03:00:00Z")).open).toBe(true);
    const india = w({ kind: "allow", start: "09:30", end: "10:00", timeZone: "Asia/Kolkata" });
    expect(windowState([india], at("2026-03-04T04:10:00Z")).open).toBe(true);
    expect(windowState([india], at("2026-03-04T03:59:00Z"))).toMatchObject({ open: false, changesAt: at("2026-03-04T04:00:00Z") });
  });

  test("as a gate: pending while closed with recheckAt, pass while open", () => {
    const s = settingsFor(`gates:\n  policyCheck: ""\n  noIncident: false\n  windows:\n    - { kind: deny, days: [fri], start: "14:00", timeZone: Europe/Berlin }`);
    const closed = evaluateGates(input(s, { now: at("2026-10-23T15:00:00Z") }));
    expect(gate(closed, "window")).toMatchObject({ state: "pending", recheckAt: at("2026-10-23T22:00:00Z") });
    expect(closed.recheckAt).toEqual(at("2026-10-23T22:00:00Z"));
    expect(gate(evaluateGates(input(s, { now: at("2026-10-22T15:00:00Z") })), "window")?.state).toBe("pass");
  });

  test("invalid time zones and times are rejected by the schema", () => {
    expect(promotionWindowSchema.safeParse({ kind: "deny", timeZone: "Mars/Olympus" }).success).toBe(false);
    expect(promotionWindowSchema.safeParse({ kind: "deny", start: "25:00" }).success).toBe(false);
  });
});
