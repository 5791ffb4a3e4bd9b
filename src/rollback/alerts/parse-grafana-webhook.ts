import { z } from "zod";
import type { ParseAlertResult } from "./alert-group.js";
import { alertStatus, describeIssues, endsAtOrNull, labelsFingerprint, labelsKey, prometheusStyleAlert, stringMap } from "./normalize-alert-fields.js";

const status = alertStatus;

/** Grafana unified alerting's webhook contact point body (`version: "1"`). Unknown fields are ignored. */
const grafanaWebhook = z.object({
  receiver: z.string().default(""),
  status,
  orgId: z.number().int().optional(),
  groupKey: z.string().optional(),
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  externalURL: z.string().default(""),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  alerts: z.array(prometheusStyleAlert).min(1),
});

/** Parses and normalises a Grafana webhook notification. */
export function parseGrafanaWebhook(body: unknown): ParseAlertResult {
  const parsed = grafanaWebhook.safeParse(body);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error) };
  const b = parsed.data;
  const groupKey = b.groupKey || `grafana:${b.orgId ?? 1}:${labelsKey(b.groupLabels)}`;
  return {
    ok: true,
    group: {
      source: "grafana",
      groupKey,
      status: b.status,
      receiver: b.receiver || null,
      groupLabels: b.groupLabels,
      commonLabels: b.commonLabels,
      commonAnnotations: b.commonAnnotations,
      externalURL: b.externalURL || null,
      truncatedAlerts: b.truncatedAlerts,
      alerts: b.alerts.map((a) => ({
        fingerprint: a.fingerprint || labelsFingerprint(a.labels),
        status: a.status,
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.startsAt,
        endsAt: endsAtOrNull(a.endsAt),
        generatorURL: a.generatorURL || null,
      })),
    },
  };
}
