import { z } from "zod";
import type { ParseAlertResult } from "./alert-group.js";
import { alertStatus, describeIssues, endsAtOrNull, prometheusStyleAlert, stringMap } from "./normalize-alert-fields.js";

const status = alertStatus;

/** Prometheus Alertmanager's webhook body, version 4. Unknown fields are ignored (newer versions add some). */
const alertmanagerWebhook = z.object({
  version: z.literal("4"),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status,
  receiver: z.string(),
  groupLabels: stringMap,
  commonLabels: stringMap,
  commonAnnotations: stringMap,
  externalURL: z.string(),
  alerts: z.array(prometheusStyleAlert.extend({ fingerprint: z.string().min(1) })).min(1),
});

/** Parses and normalises an Alertmanager v4 notification. */
export function parseAlertmanagerWebhook(body: unknown): ParseAlertResult {
  const parsed = alertmanagerWebhook.safeParse(body);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error) };
  const b = parsed.data;
  return {
    ok: true,
    group: {
      source: "alertmanager",
      groupKey: b.groupKey,
      status: b.status,
      receiver: b.receiver,
      groupLabels: b.groupLabels,
      commonLabels: b.commonLabels,
      commonAnnotations: b.commonAnnotations,
      externalURL: b.externalURL || null,
      truncatedAlerts: b.truncatedAlerts,
      alerts: b.alerts.map((a) => ({
        fingerprint: a.fingerprint,
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
