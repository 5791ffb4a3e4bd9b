/**
 * The planners in sequence over the shared Alertmanager bodies, as the app will call them: firing → one revert
 * and one incident; the same notification again → nothing; the target is frozen; resolved → the pull request is
 * told once and the incident closes.
 */
import { readAlertFixture } from "../helpers/alert-fixtures.js";
import type { AlertGroup } from "../../src/rollback/alerts/alert-group.js";
import { parseAlertmanagerWebhook } from "../../src/rollback/alerts/parse-alertmanager-webhook.js";
import { decideRollbackAction } from "../../src/rollback/decide-rollback-action.js";
import type { ExistingPullRequest } from "../../src/rollback/decide-rollback-action.js";
import { findChangeToRevert } from "../../src/rollback/find-change-to-revert.js";
import type { HistoryChange } from "../../src/rollback/find-change-to-revert.js";
import { freezeState } from "../../src/rollback/freeze-state.js";
import { mapAlertGroup } from "../../src/rollback/map-alert-group.js";
import { planIncident } from "../../src/rollback/plan-incident.js";
import type { ExistingIssue } from "../../src/rollback/plan-incident.js";
import { planResolvedNotice } from "../../src/rollback/plan-resolved-notice.js";
import { planRevert } from "../../src/rollback/plan-revert.js";
import { resolveRollbackSettings } from "../../src/rollback/resolve-rollback-settings.js";
import { rollbackKey } from "../../src/rollback/rollback-key.js";
import { makeRollbackFleet } from "./make-rollback-fleet.js";

const read = (name: string): AlertGroup => {
  const parsed = parseAlertmanagerWebhook(readAlertFixture(name));
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  return parsed.group;
};
const BOT = "fleetward[bot]";

describe("firing, repeat, freeze, resolve with the shared bodies", () => {
  const { config, fleet } = makeRollbackFleet();
  const history: HistoryChange[] = [
    { sha: "1111111", parentSha: "0000000", mergedAt: "2026-08-19T12:00:00Z", files: ["envs/prod/checkout/deploy.yaml"] },
    {
      sha: "2222222",
      parentSha: "1111111",
      mergedAt: "2026-08-20T09:58:00Z",
      files: ["envs/prod/checkout/deploy.yaml", "envs/prod/checkout/canary.yaml"],
      pullRequest: { number: 42, title: "checkout v2" },
    },
  ];
  const before = { "envs/prod/checkout/deploy.yaml": "image: checkout:v1" };
  const after = { "envs/prod/checkout/deploy.yaml": "image: checkout:v2", "envs/prod/checkout/canary.yaml": "kind: Canary" };
  const pulls: ExistingPullRequest[] = [];
  let issues: ExistingIssue[] = [];

  function handle(group: AlertGroup): string[] {
    const done: string[] = [];
    const mapping = mapAlertGroup(config, fleet, group);
    for (const target of mapping.targets) {
      const settings = resolveRollbackSettings(config, { environment: target.environment, cluster: target.cluster });
      const key = rollbackKey(group, target);
      const firing = target.alerts.filter((a) => a.status === "firing");
      const decision = decideRollbackAction({ key, alerts: target.alerts, firing: firing.length > 0, existing: pulls, trustedAuthor: BOT });
      let revert: { number: number; url: string | null } | null = null;
      if (decision.action === "open") {
        const startsAt = firing.map((a) => a.startsAt).sort()[0] ?? group.alerts[0]?.startsAt ?? "";
        const choice = findChangeToRevert({ fleet, target, startsAt, lookbackMs: settings.lookbackMs, history });
        if (!choice.found) throw new Error(choice.explanation);
        const plan = planRevert({ fleet, target, key, trigger: { kind: "alert", group }, change: choice.change, files: choice.files, before, after, settings });
        expect(plan.changes).toEqual({ "envs/prod/checkout/deploy.yaml": "image: checkout:v1", "envs/prod/checkout/canary.yaml": null });
        pulls.push({ number: 100 + pulls.length, state: "open", merged: false, body: plan.body, author: BOT });
        revert = { number: 100 + pulls.length - 1, url: null };
        done.push(`open pr: ${plan.title}`);
      }
      const openPr = pulls.find((p) => p.state === "open");
      if (firing.length === 0 && openPr) {
        const notice = planResolvedNotice({ pullRequest: openPr, alerts: target.alerts, comments: [] });
        if (notice.action === "comment") done.push(`comment pr ${notice.number}`);
      }
      const incident = planIncident({ target, group, existing: issues, revert, settings, trustedAuthor: BOT });
      if (incident.action === "open") {
        issues = [...issues, { number: 200 + issues.length, state: "open", body: incident.body, author: BOT }];
        done.push(`open incident: ${incident.title}`);
      } else if (incident.action === "update" || incident.action === "close") {
        const closing = incident.action === "close";
        issues = issues.map((i) => (i.number === incident.number ? { ...i, body: incident.body, state: closing ? "closed" : i.state } : i));
        done.push(`${incident.action} incident ${incident.number}`);
      }
    }
    return done;
  }

  test("in order", () => {
    const firing = read("alertmanager-v4-slo-burn-firing.constructed.json");
    expect(handle(firing)).toEqual([
      "open pr: Roll back checkout in prod-eu-1: CheckoutHighErrorRate",
      "open incident: Incident in prod-eu-1: CheckoutHighErrorRate",
    ]);
    expect(handle(firing)).toEqual([]);
    expect(handle(structuredClone(firing))).toEqual([]);
    expect(freezeState(issues, { env: "prod", cluster: "prod-eu-1" }, { trustedAuthor: BOT }).frozen).toBe(true);
    expect(freezeState(issues, { env: "prod", cluster: "prod-us-1" }, { trustedAuthor: BOT }).frozen).toBe(false);
    expect(handle(read("alertmanager-v4-slo-burn-resolved.constructed.json"))).toEqual(["comment pr 100", "close incident 200"]);
    expect(freezeState(issues, { env: "prod" }, { trustedAuthor: BOT }).frozen).toBe(false);
    expect(pulls).toHaveLength(1);
  });
});

describe("planResolvedNotice", () => {
  const open = (body: string): ExistingPullRequest => ({ number: 5, state: "open", merged: false, body });
  const alert = { fingerprint: "f1", status: "resolved" as const, labels: { alertname: "A" }, annotations: {}, startsAt: "T1", endsAt: "T2", generatorURL: null };
  const body = '<!-- fleetward:rollback {"v":1,"key":"k","groupKey":"g","fingerprints":["f1"],"episodes":["f1@T1"],"environment":"prod","clusters":[],"revertedSha":"s"} -->';

  test("comments once per resolved episode", () => {
    const first = planResolvedNotice({ pullRequest: open(body), alerts: [alert], comments: [] });
    if (first.action !== "comment") throw new Error(first.reason);
    expect(first.body).toContain("Every alert this rollback answers has resolved");
    expect(planResolvedNotice({ pullRequest: open(body), alerts: [alert], comments: ["hi", first.body] }).action).toBe("none");
  });

  test("nothing for firing alerts, other episodes, closed or foreign pull requests", () => {
    expect(planResolvedNotice({ pullRequest: open(body), alerts: [{ ...alert, status: "firing" }], comments: [] }).action).toBe("none");
    expect(planResolvedNotice({ pullRequest: open(body), alerts: [{ ...alert, startsAt: "T0" }], comments: [] }).action).toBe("none");
    expect(planResolvedNotice({ pullRequest: { ...open(body), state: "closed" }, alerts: [alert], comments: [] }).action).toBe("none");
    expect(planResolvedNotice({ pullRequest: open("plain"), alerts: [alert], comments: [] }).action).toBe("none");
  });
});
