/**
 * Debian's /usr/bin/prometheus-alertmanager for a test: one webhook receiver (bearer credentials,
 * send_resolved), 1 s group_wait/group_interval, not peered (`--cluster.listen-address=` empty), storage in a
 * temp dir, 127.0.0.1 on a free port, bounded startup via /-/ready.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startInTempDir, type RealProcess } from "./real-process.js";

export const ALERTMANAGER_BINARY = "/usr/bin/prometheus-alertmanager";

export interface AlertmanagerOptions {
  /** A name for logs (several Alertmanagers in one test). */
  name?: string;
  /** Where the webhook receiver posts, e.g. http://127.0.0.1:<port>/api/alerts/alertmanager. */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <token>` (http_config.authorization); none when omitted. */
  bearerToken?: string;
  groupBy?: string[];
  /** Default "1s" each; repeat_interval default "1h" (repeats are not what tests look at). */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  startTimeoutMs?: number;
}

export interface AlertmanagerServer {
  readonly name: string;
  readonly url: string;
  /** host:port, for Prometheus's alerting config. */
  readonly target: string;
  readonly proc: RealProcess;
  log(): string;
  /** The value of a counter of its own /metrics summed over the series matching `labels` (e.g. notifications). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

function configText(o: AlertmanagerOptions): string {
  const webhook = {
    url: o.webhookUrl,
    send_resolved: true,
    ...(o.bearerToken === undefined ? {} : { http_config: { authorization: { type: "Bearer", credentials: o.bearerToken } } }),
  };
  return JSON.stringify(
    {
      route: {
        receiver: "fleetward",
        group_by: o.groupBy ?? ["alertname", "env", "cluster"],
        group_wait: o.groupWait ?? "1s",
        group_interval: o.groupInterval ?? "1s",
        repeat_interval: o.repeatInterval ?? "1h",
      },
      receivers: [{ name: "fleetward", webhook_configs: [webhook] }],
    },
    null,
    2,
  );
}

/** Sums the samples of `name` in a Prometheus text exposition whose labels include `labels`. */
export function sumSamples(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (m?.[1] !== name) continue;
    const present = new Map([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => present.get(k) === v)) sum += Number(m[3]);
  }
  return sum;
}

export async function startAlertmanager(options: AlertmanagerOptions): Promise<AlertmanagerServer> {
  const name = options.name ?? "alertmanager";
  const config = (dir: string) => join(dir, "alertmanager.yml");
  const server = await startInTempDir(name, ALERTMANAGER_BINARY, {
    prepare: (dir) => writeFile(config(dir), configText(options)),
    args: (dir, port) => [
      `--config.file=${config(dir)}`,
      `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=http://127.0.0.1:${port}`,
      "--cluster.listen-address=",
      "--log.level=debug",
    ],
    readyPath: "/-/ready",
    timeoutMs: options.startTimeoutMs ?? 20_000,
  });
  const { proc, url } = server;
  return {
    name,
    url,
    target: `127.0.0.1:${server.port}`,
    proc,
    log: () => proc.log(),
    metric: async (metric, labels) => sumSamples(await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text(), metric, labels),
    stop: () => server.stop(),
  };
}
