import { analysisGroupKey, decideAnalysisRollbacks } from "../../src/analysis/analysis-rollback.js";
import type { AnalysisRecord } from "../../src/analysis/analysis-state-codec.js";
import type { Measurement } from "../../src/analysis/judge-measurement.js";
import { T0, analysis, at } from "./analysis-fixtures.js";

const scope = { environment: "prod", wave: "canary", clusters: ["eu-1"], component: "api" };

function m(phase: Measurement["phase"], value: number | null, seconds: number): Measurement {
  return { phase, value, at: at(seconds).toISOString(), message: `${phase} ${value}`, ...(value !== null ? { series: '{cluster="eu-1"}' } : {}) };
}

function record(...measurements: Measurement[]): AnalysisRecord {
  return { scope: "prod/canary", component: "api", runs: [{ analysis: "error-ratio", startedAt: T0.toISOString(), measurements, earlierErrors: 0, queries: ['sum(rate(errors{cluster=~"eu-1"}[1m]))'] }] };
}

const rollback = analysis({ onFailure: "rollback", count: 3 });

describe("decideAnalysisRollbacks", () => {
  it("defaults onFailure to halt", () => {
    expect(analysis().onFailure).toBe("halt");
  });

  it("a failed run with onFailure: rollback asks for the alert path's rollback of the wave, saying which analysis, query, value and threshold", () => {
    const actions = decideAnalysisRollbacks({ analyses: [rollback], record: record(m("successful", 0.001, 0), m("failed", 0.2, 60)), scope, openIncidentAlerts: [] });
    expect(actions).toHaveLength(1);
    const [a] = actions;
    expect(a?.action).toBe("rollback");
    expect(a?.target).toMatchObject({ environment: "prod", cluster: "eu-1", clusters: ["eu-1"], component: "api", repository: null });
    expect(a?.group.status).toBe("firing");
    expect(a?.group.groupKey).toBe(analysisGroupKey("error-ratio", scope));
    const alert = a?.group.alerts[0];
    expect(alert?.status).toBe("firing");
    expect(alert?.startsAt).toBe(at(60).toISOString());
    expect(alert?.labels.alertname).toBe("analysis error-ratio");
    expect(alert?.annotations.summary).toContain("value 0.2");
    expect(alert?.annotations.summary).toContain("< 0.01");
    expect(alert?.annotations.summary).toContain('errors{cluster=~"eu-1"}');
  });

  it("judging the same failed run again (another tick, another replica) gives the same group, fingerprint and start", () => {
    const input = { analyses: [rollback], record: record(m("failed", 0.2, 0)), scope, openIncidentAlerts: [] };
    const [first] = decideAnalysisRollbacks(input);
    const [again] = decideAnalysisRollbacks({ ...input, record: record(m("failed", 0.2, 0)) });
    expect(again?.group).toEqual(first?.group);
  });

  it("a failed run with onFailure: halt asks for nothing", () => {
    expect(decideAnalysisRollbacks({ analyses: [analysis({ count: 3 })], record: record(m("failed", 0.2, 0)), scope, openIncidentAlerts: [] })).toEqual([]);
  });

  it("errors and missing data halt but do not roll back; a running analysis asks for nothing", () => {
    const errored = analysis({ onFailure: "rollback", errorTimeout: "1m" });
    expect(decideAnalysisRollbacks({ analyses: [errored], record: record(m("error", null, 0), m("error", null, 120)), scope, openIncidentAlerts: [] })).toEqual([]);
    expect(decideAnalysisRollbacks({ analyses: [rollback], record: record(m("inconclusive", null, 0)), scope, openIncidentAlerts: [] })).toEqual([]);
    expect(decideAnalysisRollbacks({ analyses: [rollback], record: record(m("successful", 0, 0)), scope, openIncidentAlerts: [] })).toEqual([]);
  });

  it("a passing run after a rollback incident of the same analysis and scope resolves it", () => {
    const [failed] = decideAnalysisRollbacks({ analyses: [rollback], record: record(m("failed", 0.2, 0)), scope, openIncidentAlerts: [] });
    const firing = failed?.group.alerts[0];
    const open = [{ groupKey: failed?.group.groupKey ?? "", fingerprint: firing?.fingerprint ?? "", status: "firing" as const, startsAt: firing?.startsAt ?? "" }];
    const passed = record(m("successful", 0, 600), m("successful", 0, 660), m("successful", 0.002, 720));
    const actions = decideAnalysisRollbacks({ analyses: [rollback], record: passed, scope, openIncidentAlerts: open });
    expect(actions).toHaveLength(1);
    expect(actions[0]?.action).toBe("resolve");
    const alert = actions[0]?.group.alerts[0];
    expect(alert).toMatchObject({ status: "resolved", fingerprint: firing?.fingerprint, startsAt: firing?.startsAt, endsAt: at(720).toISOString() });
    expect(actions[0]?.group.groupKey).toBe(failed?.group.groupKey);
  });

  it("a passing run resolves nothing without an open incident of that analysis and scope", () => {
    const passed = record(m("successful", 0, 0), m("successful", 0, 60), m("successful", 0, 120));
    const other = [{ groupKey: analysisGroupKey("error-ratio", { environment: "prod", wave: "main" }), fingerprint: "f", status: "firing" as const, startsAt: T0.toISOString() }];
    expect(decideAnalysisRollbacks({ analyses: [rollback], record: passed, scope, openIncidentAlerts: other })).toEqual([]);
    expect(decideAnalysisRollbacks({ analyses: [rollback], record: passed, scope, openIncidentAlerts: [] })).toEqual([]);
  });
});
