/**
 * The SLO alert of the story as Alertmanager's webhook (version 4) sends it: the labels the sample fleet's
 * `rollback.rules` map (`severity=page`, `env`, `cluster`, `app`), firing and then resolved.
 */
import { createHash } from "node:crypto";

export interface DemoAlert {
  cluster: string;
  app: string;
  startsAt: Date;
  /** Set when resolved. */
  endsAt?: Date;
}

const ALERT_NAME = "PodinfoHighErrorRate";

export function alertmanagerBody(alert: DemoAlert): Record<string, unknown> {
  const status = alert.endsAt ? "resolved" : "firing";
  const labels = { alertname: ALERT_NAME, severity: "page", env: "production", cluster: alert.cluster, app: alert.app };
  const annotations = { summary: `More than 5% of ${alert.app} requests fail in ${alert.cluster}`, runbook_url: "https://runbooks.example.com/podinfo/errors" };
  const groupLabels = { alertname: ALERT_NAME, cluster: alert.cluster };
  return {
    version: "4",
    groupKey: `{}/{severity="page"}:{alertname="${ALERT_NAME}", cluster="${alert.cluster}"}`,
    truncatedAlerts: 0,
    status,
    receiver: "fleetward",
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: "http://alertmanager.example.com:9093",
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: alert.startsAt.toISOString(),
        endsAt: alert.endsAt ? alert.endsAt.toISOString() : "0001-01-01T00:00:00Z",
        generatorURL: `http://prometheus.example.com:9090/graph?g0.expr=${encodeURIComponent(`job:errors:ratio5m{app="${alert.app}"} > 0.05`)}`,
        fingerprint: createHash("sha256").update(JSON.stringify(labels)).digest("hex").slice(0, 16),
      },
    ],
  };
}

/** POSTs the alert to the app's Alertmanager route with the bearer token; the status and the JSON answer. */
export async function postAlert(appUrl: string, token: string, body: unknown, timeoutMs: number): Promise<{ status: number; answer: unknown }> {
  const res = await fetch(`${appUrl}/api/alerts/alertmanager`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, answer };
}
