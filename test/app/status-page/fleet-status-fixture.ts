/** A small `FleetStatus` as plain data (dev → prod with two clusters), with parts a test may replace. */
import type { FleetStatus } from "../../../src/promotion/fleet-status/fleet-status-types.js";

const none = { count: 0, medianSeconds: null, p90Seconds: null, maxSeconds: null };

export function fleetStatus(over: Partial<FleetStatus> = {}): FleetStatus {
  const cell = (column: string, text: string, drift = false) => ({ column, present: true, versions: [{ name: "ghcr.io/acme/api", value: text }], text, folder: `${column}/api/`, drift });
  return {
    repository: { owner: "acme", repo: "gitops", defaultBranch: "main", headSha: "0123456789abcdef0123456789abcdef01234567", url: "https://github.com/acme/gitops" },
    generatedAt: "2026-01-01T12:00:00Z",
    problem: null,
    columns: [
      { key: "dev", environment: "dev", cluster: null, wave: null, frozen: false },
      { key: "prod-eu-1", environment: "prod", cluster: "prod-eu-1", wave: "canary", frozen: true },
      { key: "prod-us-1", environment: "prod", cluster: "prod-us-1", wave: "rest", frozen: false },
    ],
    components: [{ component: "api", strategy: "values", cells: [cell("dev", "1.2.0"), cell("prod-eu-1", "1.1.0", true), cell("prod-us-1", "1.1.0", true)] }],
    drift: [{ component: "api", column: "prod-eu-1", source: "dev", sourceText: "1.2.0", text: "1.1.0", promotion: { number: 7, url: "https://github.com/acme/gitops/pull/7", title: "Promote api from dev to prod" } }],
    promotions: [
      {
        pr: { number: 7, url: "https://github.com/acme/gitops/pull/7", title: "Promote api from dev to prod" },
        component: "api",
        source: "dev",
        target: "prod/canary",
        openedAt: "2026-01-01T11:00:00Z",
        origin: { pr: 5, url: "https://github.com/acme/gitops/pull/5", sha: "abc", author: "alice" },
        gates: { state: "pending", checkUrl: "https://github.com/acme/gitops/runs/99", gates: [{ name: "approvals", state: "pending", detail: "0 of 1 approvals" }] },
      },
    ],
    baking: [],
    frozen: [
      {
        environment: "prod",
        cluster: "prod-eu-1",
        clusters: ["prod-eu-1"],
        incident: { number: 9, url: "https://github.com/acme/gitops/issues/9", title: "SLO burn on prod-eu-1" },
        alerts: [{ name: "HighErrorRate", status: "firing", startsAt: "2026-01-01T11:30:00Z", summary: "5xx above 2 %", url: "https://grafana.example.com/alert/1" }],
        reason: "incident #9 freezes prod-eu-1",
      },
    ],
    reverts: [],
    delivery: { since: "2025-12-02T12:00:00Z", samples: [], leadTime: [], fleetComplete: none, gateBlocked: [], revertRate: [] },
    notes: [],
    ...over,
  };
}
