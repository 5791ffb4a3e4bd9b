/**
 * A tiny /metrics endpoint a test flips between healthy and erroring: a counter
 * `http_requests_total{code="200"|"500"}` that grows by `perScrape` requests at every scrape, all 200 while
 * healthy, all 500 while erroring, so `rate(...{code="500"}[..])` rises within a couple of scrapes.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface MetricsEndpoint {
  readonly url: string;
  /** host:port, for a Prometheus static_config target. */
  readonly target: string;
  setErroring(erroring: boolean): void;
  /** How many times /metrics was read. */
  scrapes(): number;
  close(): Promise<void>;
}

export async function startMetricsEndpoint(options: { job?: string; perScrape?: number } = {}): Promise<MetricsEndpoint> {
  const perScrape = options.perScrape ?? 10;
  const counts = { ok: 0, error: 0 };
  let erroring = false;
  let scrapes = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    scrapes++;
    if (erroring) counts.error += perScrape;
    else counts.ok += perScrape;
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(
      [
        "# HELP http_requests_total Requests served, by status code.",
        "# TYPE http_requests_total counter",
        `http_requests_total{code="200"} ${counts.ok}`,
        `http_requests_total{code="500"} ${counts.error}`,
        "",
      ].join("\n"),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    target: `127.0.0.1:${port}`,
    setErroring: (value) => {
      erroring = value;
    },
    scrapes: () => scrapes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
