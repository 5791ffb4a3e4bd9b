import type { AlertGroup, NormalizedAlert } from "../../src/rollback/alerts/alert-group.js";
import { freezeState } from "../../src/rollback/freeze-state.js";
import { planIncident, planUnfreeze } from "../../src/rollback/plan-incident.js";
import type { ExistingIssue, IncidentPlan } from "../../src/rollback/plan-incident.js";
import { readIncidentMetadata } from "../../src/rollback/rollback-metadata.js";
import type { RollbackTarget } from "../../src/rollback/rollback-target.js";
import { makeRollbackFleet } from "./make-rollback-fleet.js";

const BOT = "fleetward[bot]";
const settings = { incidentLabels: ["fleetward:incident", "sev1"] };

function alert(fingerprint: string, status: "firing" | "resolved", alertname = "CheckoutHighErrorRate"): NormalizedAlert {
  return {
    fingerprint,
    status,
    labels: { alertname },
    annotations: { summary: "errors" },
    startsAt: "2026-08-20T10:04:30.123Z",
    endsAt: status === "resolved" ? "2026-08-20T10:41:30.123Z" : null,
    generatorURL: "http://prometheus.example.com/graph",
  };
}
function group(alerts: NormalizedAlert[]): AlertGroup {
  return {
    source: "alertmanager",
    groupKey: "gk",
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    receiver: null,
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: null,
    alerts,
    truncatedAlerts: 0,
  };
}
function target(alerts: NormalizedAlert[], over: Partial<RollbackTarget> = {}): RollbackTarget {
  return { repository: null, environment: "prod", cluster: "prod-eu-1", clusters: ["prod-eu-1"], alerts, rule: "r", ...over };
}
function plan(alerts: NormalizedAlert[], existing: ExistingIssue[], extra: { revert?: { number: number; url: string | null } } = {}): IncidentPlan {
  return planIncident({ target: target(alerts), group: group(alerts), existing, settings, trustedAuthor: BOT, ...extra });
}
/** What the caller would do with a plan: the issue list afterwards. */
function apply(p: IncidentPlan, issues: ExistingIssue[]): ExistingIssue[] {
  if (p.action === "open") return [...issues, { number: 100 + issues.length, state: "open", body: p.body, author: BOT }];
  if (p.action === "update") return issues.map((i) => (i.number === p.number ? { ...i, body: p.body } : i));
  if (p.action === "close") return issues.map((i) => (i.number === p.number ? { ...i, body: p.body, state: "closed" } : i));
  return issues;
}

describe("planIncident", () => {
  test("a firing alert opens an incident listing it and linking the revert", () => {
    const p = plan([alert("f1", "firing")], [], { revert: { number: 7, url: null } });
    if (p.action !== "open") throw new Error(p.action);
    expect(p.title).toBe("Incident in prod-eu-1: CheckoutHighErrorRate");
    expect(p.labels).toEqual(["fleetward:incident", "sev1"]);
    expect(p.body).toContain("Rollback: #7");
    expect(p.body).toContain("frozen");
    expect(readIncidentMetadata(p.body)?.alerts.map((a) => [a.fingerprint, a.status])).toEqual([["f1", "firing"]]);
  });

  test("the same notification again, or an HA duplicate, changes nothing", () => {
    const issues = apply(plan([alert("f1", "firing")], [], { revert: { number: 7, url: null } }), []);
    expect(plan([alert("f1", "firing")], issues, { revert: { number: 7, url: null } })).toMatchObject({ action: "none", number: 100 });
    expect(plan([alert("f1", "firing")], issues)).toMatchObject({ action: "none" });
  });

  test("a new alert updates; partial resolution updates; all resolved closes", () => {
    let issues = apply(plan([alert("f1", "firing")], []), []);
    const two = plan([alert("f1", "firing"), alert("f2", "firing", "Latency")], issues);
    expect(two).toMatchObject({ action: "update", number: 100, comment: "Firing: Latency." });
    issues = apply(two, issues);
    const half = plan([alert("f1", "resolved")], issues);
    expect(half).toMatchObject({ action: "update", comment: "Resolved: CheckoutHighErrorRate." });
    issues = apply(half, issues);
    expect(freezeState(issues, { env: "prod" }).frozen).toBe(true);
    const done = plan([alert("f2", "resolved", "Latency")], issues);
    expect(done.action).toBe("close");
    issues = apply(done, issues);
    expect(freezeState(issues, { env: "prod" })).toEqual({ frozen: false, reasons: [] });
    // The resolved notification delivered again: nothing to do.
    expect(plan([alert("f2", "resolved", "Latency")], issues)).toMatchObject({ action: "none", number: null });
  });

  test("a resolved notification without an open incident opens nothing", () => {
    expect(plan([alert("f1", "resolved")], [])).toMatchObject({ action: "none" });
  });

  test("issues by other authors or without valid metadata are ignored", () => {
    const opened = plan([alert("f1", "firing")], []);
    if (opened.action !== "open") throw new Error(opened.action);
    const forged: ExistingIssue[] = [
      { number: 1, state: "open", body: opened.body, author: "mallory" },
      { number: 2, state: "open", body: "<!-- fleetward:incident {not json} -->", author: BOT },
    ];
    expect(plan([alert("f1", "firing")], forged).action).toBe("open");
    expect(freezeState(forged, { env: "prod" }, { trustedAuthor: BOT }).frozen).toBe(false);
  });

  test("/unfreeze closes the incident, and the still-firing alert does not reopen one", () => {
    const issues = apply(plan([alert("f1", "firing")], []), []);
    const [issue] = issues;
    if (!issue) throw new Error("no issue");
    const u = planUnfreeze({ issue, actor: "alice", now: new Date("2026-08-20T11:00:00Z"), trustedAuthor: BOT });
    if (u.action !== "close") throw new Error(u.action);
    expect(u.metadata.unfrozen).toEqual({ by: "alice", at: "2026-08-20T11:00:00.000Z" });
    const after: ExistingIssue[] = [{ ...issue, state: "closed", body: u.body }];
    expect(freezeState(after, { env: "prod" }).frozen).toBe(false);
    expect(plan([alert("f1", "firing")], after)).toMatchObject({ action: "none", reason: "these alerts were unfrozen" });
    // The same alert firing again later (new start) is a new incident.
    expect(plan([{ ...alert("f1", "firing"), startsAt: "2026-08-21T00:00:00Z" }], after).action).toBe("open");
    expect(planUnfreeze({ issue: after[0] as ExistingIssue, actor: "alice", now: new Date() }).action).toBe("none");
    expect(planUnfreeze({ issue: { number: 9, state: "open", body: "hello" }, actor: "alice", now: new Date() }).action).toBe("none");
  });
});

describe("freezeState", () => {
  const { fleet } = makeRollbackFleet();
  const open = (t: RollbackTarget, number: number): ExistingIssue => {
    const p = planIncident({ target: t, group: group(t.alerts), existing: [], settings });
    if (p.action !== "open") throw new Error(p.action);
    return { number, state: "open", body: p.body };
  };
  const eu = open(target([alert("f1", "firing")]), 1);
  const wholeStaging = open(target([alert("f2", "firing", "Down")], { environment: "staging", cluster: undefined, clusters: [] }), 2);

  test("a cluster incident freezes that cluster and its environment, not a sibling cluster", () => {
    const issues = [eu];
    expect(freezeState(issues, { env: "prod", cluster: "prod-eu-1" })).toEqual({
      frozen: true,
      reasons: ["incident #1: CheckoutHighErrorRate firing in prod-eu-1 since 2026-08-20T10:04:30.123Z"],
    });
    expect(freezeState(issues, { env: "prod" }).frozen).toBe(true);
    expect(freezeState(issues, { env: "prod", cluster: "prod-us-1" }).frozen).toBe(false);
    expect(freezeState(issues, { cluster: "prod-us-1" }, { fleet }).frozen).toBe(false);
    expect(freezeState(issues, { cluster: "prod-eu-1" }).frozen).toBe(true);
    expect(freezeState(issues, { env: "staging" }).frozen).toBe(false);
  });

  test("an environment-wide incident freezes every cluster of the environment", () => {
    expect(freezeState([wholeStaging], { cluster: "staging-1" }, { fleet }).frozen).toBe(true);
    expect(freezeState([wholeStaging], { env: "staging", cluster: "staging-1" }).frozen).toBe(true);
    expect(freezeState([wholeStaging], { env: "prod" }).frozen).toBe(false);
  });

  test("no scope: any open incident freezes; closed ones never do", () => {
    expect(freezeState([eu, wholeStaging], {}).reasons).toHaveLength(2);
    expect(freezeState([{ ...eu, state: "closed" }], {}).frozen).toBe(false);
  });
});
