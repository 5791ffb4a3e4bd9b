import { z } from "zod";
import type { ParseAlertResult } from "./alert-group.js";
import { describeIssues, endsAtOrNull, labelsFingerprint, labelsKey, stringMap, timestamp } from "./normalize-alert-fields.js";

const status = z.enum(["firing", "resolved"]);

/**
 * Fleetward's generic alert body, for senders that are neither Alertmanager nor Grafana:
 *
 * ```json
 * { "groupKey": "optional incident key",
 *   "status": "firing",
 *   "labels": { "alertname": "…", "env": "prod" },        // shared by every alert (optional)
 *   "alerts": [ { "labels": { "cluster": "prod-eu-1" }, "annotations": {}, "startsAt": "…",
 *                 "endsAt": null, "generatorURL": null, "fingerprint": "optional" } ] }
 * ```
 * An alert's status defaults to the body's; its labels are the body's labels overlaid by its own; the
 * group key defaults to the shared labels; a missing fingerprint is a hash of the alert's labels.
 */
export const genericAlertBody = z.object({
  groupKey: z.string().min(1).optional(),
  status,
  labels: stringMap.default({}),
  annotations: stringMap.default({}),
  externalURL: z.string().optional(),
  alerts: z
    .array(
      z.object({
        status: status.optional(),
        labels: stringMap.default({}),
        annotations: stringMap.default({}),
        startsAt: timestamp,
        endsAt: z.string().nullable().optional(),
        generatorURL: z.string().nullable().optional(),
        fingerprint: z.string().min(1).optional(),
      }),
    )
    .min(1),
});

/** Parses and normalises a generic alert body. */
export function parseGenericAlert(body: unknown): ParseAlertResult {
  const parsed = genericAlertBody.safeParse(body);
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error) };
  const b = parsed.data;
  const alerts = b.alerts.map((a) => {
    const labels = { ...b.labels, ...a.labels };
    const alertStatus = a.status ?? b.status;
    return {
      fingerprint: a.fingerprint ?? labelsFingerprint(labels),
      status: alertStatus,
      labels,
      annotations: { ...b.annotations, ...a.annotations },
      startsAt: a.startsAt,
      endsAt: endsAtOrNull(a.endsAt ?? null),
      generatorURL: a.generatorURL ?? null,
    };
  });
  if (alerts.some((a) => Object.keys(a.labels).length === 0)) {
    return { ok: false, errors: ["alerts: every alert needs at least one label (its own or the body's)"] };
  }
  return {
    ok: true,
    group: {
      source: "generic",
      groupKey: b.groupKey ?? `generic:${labelsKey(b.labels)}`,
      status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
      receiver: null,
      groupLabels: b.labels,
      commonLabels: b.labels,
      commonAnnotations: b.annotations,
      externalURL: b.externalURL ?? null,
      truncatedAlerts: 0,
      alerts,
    },
  };
}
