/** The Prometheus harness against the real binary: scrapes the flip endpoint, fires a rule, reloads, refuses bad configs clearly. */
import { startMetricsEndpoint, type MetricsEndpoint } from "./metrics-endpoint.js";
import { startPrometheus, type PrometheusServer } from "./prometheus-server.js";
import { ServerStartError, withServerLogs } from "./real-process.js";
import { pollUntil } from "./poll-until.js";

describe("real Prometheus harness", () => {
  let metrics: MetricsEndpoint;
  let prom: PrometheusServer | undefined;

  beforeAll(async () => {
    metrics = await startMetricsEndpoint();
    prom = await startPrometheus({
      scrape: [{ job: "checkout", targets: [metrics.target], labels: { env: "production" } }],
      rules: [{ alert: "HighErrorRate", expr: 'rate(http_requests_total{code="500"}[5s]) > 0', for: "1s", labels: { severity: "page" } }],
    });
  }, 30_000);

  afterAll(async () => {
    await prom?.stop();
    await metrics.close();
  });

  const logs = () => (prom === undefined ? [] : [{ name: "prometheus", log: () => prom!.log() }]);

  it("scrapes the endpoint with the job's labels, and fires the rule only once it errors", () => withServerLogs(logs, async () => {
    const server = prom!;
    const up = await pollUntil("the target is scraped", async () => {
      const rows = await server.query('http_requests_total{code="200"}');
      return rows.length === 1 && rows[0]!.value > 0 ? rows[0] : undefined;
    }, 20_000);
    expect(up.labels).toMatchObject({ job: "checkout", env: "production", instance: metrics.target });
    expect(await server.alerts()).toEqual([]);
    metrics.setErroring(true);
    const firing = await pollUntil("the alert fires", async () => (await server.alerts()).find((a) => a.state === "firing"), 20_000);
    expect(firing.labels).toMatchObject({ alertname: "HighErrorRate", severity: "page", env: "production", job: "checkout" });
    metrics.setErroring(false);
    await pollUntil("the alert resolves", async () => ((await server.alerts()).length === 0 ? true : undefined), 20_000);
  }), 60_000);

  it("reloads changed rules", () => withServerLogs(logs, async () => {
    const server = prom!;
    await server.reload({ rules: [{ alert: "AlwaysOn", expr: "vector(1)", labels: { severity: "info" } }] });
    const firing = await pollUntil("the new rule fires", async () => (await server.alerts()).find((a) => a.labels.alertname === "AlwaysOn"), 20_000);
    expect(firing.state).toBe("firing");
  }), 30_000);

  it("refuses an invalid rule with a clear error naming the log, within the bound", async () => {
    const started = Date.now();
    const failed = startPrometheus({ scrape: [], rules: [{ alert: "Bad", expr: "rate(" }], startTimeoutMs: 15_000 });
    await expect(failed).rejects.toThrow(ServerStartError);
    await expect(failed).rejects.toThrow(/prometheus exited .*its log:[\s\S]*rules\.yml/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
