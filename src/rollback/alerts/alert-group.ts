/**
 * Alerts from any sender, normalised: what the rollback planner reads. Senders differ in shape
 * (Alertmanager v4, Grafana unified alerting, Fleetward's generic JSON); this is what they share.
 */

export type AlertStatus = "firing" | "resolved";

export interface NormalizedAlert {
  /** Identity of the alert within its group; stable across notifications (sender's fingerprint, or a hash of the labels). */
  fingerprint: string;
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ISO 8601. */
  startsAt: string;
  /** ISO 8601, or null while firing (Alertmanager sends 0001-01-01T00:00:00Z). */
  endsAt: string | null;
  generatorURL: string | null;
}

export type AlertSource = "alertmanager" | "grafana" | "generic";

export interface AlertGroup {
  source: AlertSource;
  /** The incident key: Alertmanager's `groupKey`; derived from the group labels when a sender has none. */
  groupKey: string;
  status: AlertStatus;
  receiver: string | null;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string | null;
  alerts: NormalizedAlert[];
  /** Alerts the sender left out (Alertmanager's `truncatedAlerts`). */
  truncatedAlerts: number;
}

/** What a parser returns: the group, or every problem found with the JSON path of each. */
export type ParseAlertResult = { ok: true; group: AlertGroup } | { ok: false; errors: string[] };
