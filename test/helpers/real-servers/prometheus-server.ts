/**
 * Debian's /usr/bin/prometheus for a test: a generated config and rule file in a temp dir, TSDB in that dir,
 * 127.0.0.1 on a free port, 1 s scrape/evaluation and alert resend, lifecycle API on for reloads.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startInTempDir, type RealProcess } from "./real-process.js";

export const PROMETHEUS_BINARY = "/usr/bin/prometheus";

export interface ScrapeJob {
  job: string;
  /** host:port targets. */
  targets: string[];
  /** Labels added to every series of the job (e.g. env, cluster). */
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  /** e.g. "2s". */
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PrometheusOptions {
  scrape: ScrapeJob[];
  rules?: AlertingRule[];
  /** A rule file's text as a user writes it (`groups:` …), used instead of `rules` when set. */
  rulesYaml?: string;
  /** host:port of Alertmanagers to send alerts to. */
  alertmanagers?: string[];
  /** Scrape and evaluation interval in seconds (default 1). */
  intervalSeconds?: number;
  /** Bound on startup (default 20 s). */
  startTimeoutMs?: number;
}

export interface PrometheusServer {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly proc: RealProcess;
  log(): string;
  /** Rewrites config and rules with the changed options and reloads (POST /-/reload); throws with the log on failure. */
  reload(changes: Partial<Pick<PrometheusOptions, "scrape" | "rules" | "rulesYaml" | "alertmanagers">>): Promise<void>;
  /** An instant query's vector as plain { labels, value } rows. */
  query(expr: string): Promise<{ labels: Record<string, string>; value: number }[]>;
  /** /api/v1/alerts: the rules' pending and firing alerts. */
  alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
  /** Stops the server and removes its temp dir (keeps nothing: print log() first if needed). */
  stop(): Promise<void>;
}

function configText(options: PrometheusOptions): string {
  const interval = `${options.intervalSeconds ?? 1}s`;
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    rule_files: ["rules.yml"],
    scrape_configs: options.scrape.map((s) => ({
      job_name: s.job,
      static_configs: [{ targets: s.targets, labels: s.labels ?? {} }],
    })),
    alerting: {
      alertmanagers: options.alertmanagers?.length ? [{ static_configs: [{ targets: options.alertmanagers }], timeout: "5s" }] : [],
    },
  };
  // JSON is YAML: no YAML writer needed, and no quoting surprises.
  return JSON.stringify(config, null, 2);
}

function rulesText(options: PrometheusOptions): string {
  if (options.rulesYaml !== undefined) return options.rulesYaml;
  return JSON.stringify({ groups: [{ name: "test", rules: options.rules ?? [] }] }, null, 2);
}

async function writeFiles(dir: string, options: PrometheusOptions): Promise<void> {
  await writeFile(join(dir, "prometheus.yml"), configText(options));
  await writeFile(join(dir, "rules.yml"), rulesText(options));
}

async function apiData<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { status: string; data?: T; error?: string };
  if (body.status !== "success" || body.data === undefined) throw new Error(`${url}: ${res.status} ${body.error ?? "no data"}`);
  return body.data;
}

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  let current = { ...options };
  const interval = `${options.intervalSeconds ?? 1}s`;
  const server = await startInTempDir("prometheus", PROMETHEUS_BINARY, {
    prepare: (dir) => writeFiles(dir, current),
    args: (dir, port) => [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=http://127.0.0.1:${port}`,
      "--web.enable-lifecycle",
      `--rules.alert.resend-delay=${interval}`,
      "--log.level=info",
    ],
    readyPath: "/-/ready",
    timeoutMs: options.startTimeoutMs ?? 20_000,
  });
  const { proc, url, dir } = server;
  return {
    url,
    port: server.port,
    dir,
    proc,
    log: () => proc.log(),
    reload: async (changes) => {
      current = { ...current, ...changes };
      await writeFiles(dir, current);
      const res = await fetch(`${url}/-/reload`, { method: "POST", signal: AbortSignal.timeout(10_000) });
      if (res.status !== 200) throw new Error(`prometheus reload: ${res.status} ${await res.text()}\n${proc.log()}`);
    },
    query: async (expr) => {
      const data = await apiData<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
        `${url}/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      return data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
    },
    alerts: async () => (await apiData<{ alerts: { labels: Record<string, string>; state: string }[] }>(`${url}/api/v1/alerts`)).alerts,
    stop: () => server.stop(),
  };
}
