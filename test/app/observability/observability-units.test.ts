/**
 * The observability pieces without a server: route classes and status classes of GitHub calls, the bearer check of
 * /metrics, incidents and frozen scopes per environment, the scrape-time cache, and the registry's get-or-create.
 */
import { routeClass, statusClass } from "../../../src/app/observability/github-requests.js";
import { registerFleetStateGauges, type RepositoryIncidents } from "../../../src/app/observability/fleet-state-gauges.js";
import { summarizeFleetState } from "../../../src/app/observability/fleet-state-read.js";
import { FleetwardMetrics } from "../../../src/app/observability/metrics-registry.js";
import { alertOutcome, promotionOutcome } from "../../../src/app/observability/observe-outcomes.js";
import { bearerMatches } from "../../../src/app/routes/metrics-route.js";
import { renderMetadata } from "../../../src/rollback/rollback-metadata.js";
import { parseExposition, valueOf } from "./prom-text.js";

const incident = (number: number, environment: string, clusters: string[], options: { state?: "open" | "closed"; author?: string } = {}) => ({
  number,
  state: options.state ?? ("open" as const),
  author: options.author ?? "fleetward[bot]",
  body: `Incident\n\n${renderMetadata("incident", { v: 1, key: `k${number}`, environment, clusters, alerts: [], reverts: [], unfrozen: null })}`,
});

test("route classes: Octokit's templates as they are; full URLs cut to placeholders; never names, numbers or SHAs", () => {
  expect(routeClass({ method: "get", url: "/repos/{owner}/{repo}/pulls" })).toBe("GET /repos/{owner}/{repo}/pulls");
  expect(routeClass({ method: "GET", url: "/repos/{owner}/{repo}/issues?state=open" })).toBe("GET /repos/{owner}/{repo}/issues");
  expect(routeClass({ method: "GET", url: "https://api.github.com/repos/acme/gitops/pulls/42/files?page=2" })).toBe("GET /repos/{owner}/{repo}/pulls/{id}/files");
  expect(routeClass({ method: "GET", url: "http://ghe.local/api/v3/repositories/123/commits/0123456789abcdef0123456789abcdef01234567" })).toBe("GET /repositories/{id}/commits/{sha}");
  expect([statusClass(200), statusClass(404), statusClass(503), statusClass(undefined), statusClass(42)]).toEqual(["2xx", "4xx", "5xx", "error", "error"]);
});

test("the /metrics bearer token: exact token only, any length compared without throwing", () => {
  expect(bearerMatches("Bearer s3cret", "s3cret")).toBe(true);
  expect(bearerMatches("bearer s3cret", "s3cret")).toBe(true);
  expect(bearerMatches("Bearer s3cre", "s3cret")).toBe(false);
  expect(bearerMatches("Bearer s3cret-and-more", "s3cret")).toBe(false);
  expect(bearerMatches("Basic s3cret", "s3cret")).toBe(false);
  expect(bearerMatches(undefined, "s3cret")).toBe(false);
  expect(bearerMatches("Bearer ", "s3cret")).toBe(false);
});

test("outcomes: promotion actions and alert answers", () => {
  expect(["opened", "updated", "unchanged", "stale", "blocked"].map((a) => promotionOutcome(a as never))).toEqual(["opened", "superseded", "skipped", "skipped", "skipped"]);
  expect([200, 401, 400, 413, 500, 503].map(alertOutcome)).toEqual(["handled", "refused", "refused", "refused", "error", "error"]);
});

test("fleet state: open incidents per environment, frozen scopes counted once (environment-wide or per cluster), others' issues ignored", () => {
  const repos: RepositoryIncidents[] = [
    { repository: "acme/a", trustedAuthor: "fleetward[bot]", issues: [incident(1, "prod", ["eu-1"]), incident(2, "prod", ["eu-1", "us-1"]), incident(3, "dev", []), incident(4, "dev", [], { state: "closed" }), incident(5, "dev", [], { author: "mallory" })] },
    { repository: "acme/b", trustedAuthor: "fleetward[bot]", issues: [incident(1, "prod", [])] },
  ];
  expect(Object.fromEntries(summarizeFleetState(repos))).toEqual({
    prod: { openIncidents: 3, frozenScopes: 3 }, // a: eu-1, us-1; b: prod as a whole
    dev: { openIncidents: 1, frozenScopes: 1 },
  });
});

test("fleet state gauges: read at scrape time, cached for the TTL, one read for concurrent scrapes, last values kept on failure", async () => {
  const metrics = new FleetwardMetrics({ processMetrics: false });
  let clock = 0;
  let reads = 0;
  let fail = false;
  let issues = [incident(1, "prod", [])];
  registerFleetStateGauges(
    metrics,
    async () => {
      reads++;
      if (fail) throw new Error("GitHub is down");
      return [{ repository: "acme/a", trustedAuthor: "fleetward[bot]", issues }];
    },
    { ttlMs: 30_000, now: () => clock },
  );
  const scrape = async () => parseExposition((await metrics.exposition()).body);
  const [a, b] = await Promise.all([scrape(), scrape()]);
  expect(reads).toBe(1);
  expect([valueOf(a, "fleetward_open_incidents", { environment: "prod" }), valueOf(b, "fleetward_frozen_scopes", { environment: "prod" })]).toEqual([1, 1]);
  issues = [];
  clock = 29_999;
  expect(valueOf(await scrape(), "fleetward_open_incidents", { environment: "prod" })).toBe(1);
  clock = 30_000;
  const emptied = await scrape();
  expect(reads).toBe(2);
  expect(valueOf(emptied, "fleetward_open_incidents", { environment: "prod" })).toBeUndefined();
  issues = [incident(2, "dev", ["d-1"])];
  clock = 60_000;
  await scrape();
  fail = true;
  clock = 90_000;
  const failed = await scrape();
  expect(valueOf(failed, "fleetward_open_incidents", { environment: "dev" })).toBe(1);
  // Not read again within the TTL after a failure; the failure is counted.
  const next = await scrape();
  expect(reads).toBe(4);
  expect([valueOf(next, "fleetward_open_incidents", { environment: "dev" }), valueOf(next, "fleetward_fleet_state_read_errors_total")]).toEqual([1, 1]);
});

test("the registry hands back the registered instrument for a name, so another module can share it", () => {
  const metrics = new FleetwardMetrics({ processMetrics: false });
  const h = metrics.histogram({ name: "x_seconds", help: "x", labelNames: ["environment"] });
  expect(metrics.histogram({ name: "x_seconds", help: "x" })).toBe(h);
  expect(metrics.counter("fleetward_webhook_deliveries_total", "again")).toBe(metrics.webhookDeliveries);
});
