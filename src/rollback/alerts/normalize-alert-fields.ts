import { createHash } from "node:crypto";
import { z } from "zod";

/** Label and annotation maps: string values only, as every sender sends them. */
export const stringMap = z.record(z.string(), z.string());

/** ISO 8601 date-time as senders write it (with fractional seconds and offsets). */
export const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: "must be an RFC 3339 date-time" });

export const alertStatus = z.enum(["firing", "resolved"]);

/** One alert as Alertmanager and Grafana both send it; `fingerprint` is required by Alertmanager only. */
export const prometheusStyleAlert = z.object({
  status: alertStatus,
  labels: stringMap,
  annotations: stringMap.default({}),
  startsAt: timestamp,
  endsAt: z.string().default(""),
  generatorURL: z.string().default(""),
  fingerprint: z.string().optional(),
});

/** Alertmanager and Grafana mark "not ended" with Go's zero time. */
export function endsAtOrNull(value: string | undefined | null): string | null {
  if (!value || value.startsWith("0001-01-01") || Number.isNaN(Date.parse(value))) return null;
  return value;
}

/** A stable fingerprint of a label set, for senders that do not send one. */
export function labelsFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join("\u0000");
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** `{a="1", b="2"}`: the group key form Alertmanager uses, for senders without one. */
export function labelsKey(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(", ")}}`;
}

/** zod issues as `path: message` lines a sender's operator can act on. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.map(String).join(".") : "(body)"}: ${i.message}`);
}
