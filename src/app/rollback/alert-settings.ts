import type { AlertCredentials } from "../../rollback/alerts/verify-alert-credentials.js";

/** The alert routes' settings, from the environment (see `.env.example`). */
export interface AlertSettings {
  credentials: AlertCredentials;
  /** `GRAFANA_WEBHOOK_SECRET`: when set, Grafana bodies must carry a valid `X-Grafana-Alerting-Signature`. */
  grafanaSecret: string | null;
  /** `GRAFANA_WEBHOOK_TIMESTAMP_HEADER`: the header Grafana's HMAC config puts the timestamp in (then `timestamp:body` is signed); null when none. */
  grafanaTimestampHeader: string | null;
  /** `ALERTS_MAX_BODY_BYTES`: larger bodies get 413 (default 1 MiB). */
  maxBodyBytes: number;
}

export const DEFAULT_MAX_ALERT_BODY_BYTES = 1024 * 1024;

/** Reads `ALERTS_BEARER_TOKEN`, `ALERTS_BASIC_AUTH`, `GRAFANA_WEBHOOK_SECRET`, `GRAFANA_WEBHOOK_TIMESTAMP_HEADER`, `ALERTS_MAX_BODY_BYTES`; empty values count as unset. */
export function readAlertSettings(env: NodeJS.ProcessEnv): AlertSettings {
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const bearerToken = value("ALERTS_BEARER_TOKEN");
  const basicAuth = value("ALERTS_BASIC_AUTH");
  const max = Number(value("ALERTS_MAX_BODY_BYTES"));
  return {
    credentials: { ...(bearerToken ? { bearerToken } : {}), ...(basicAuth ? { basicAuth } : {}) },
    grafanaSecret: value("GRAFANA_WEBHOOK_SECRET") ?? null,
    grafanaTimestampHeader: value("GRAFANA_WEBHOOK_TIMESTAMP_HEADER")?.toLowerCase() ?? null,
    maxBodyBytes: Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_ALERT_BODY_BYTES,
  };
}
