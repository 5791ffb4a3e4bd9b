/**
 * Hidden metadata in pull request and issue bodies: `<!-- fleetward:<kind> {json} -->`. It is how Fleetward
 * recognises its own pull requests and incidents again (idempotency across notifications, redeliveries and
 * restarts). The JSON never contains `<` or `>` (escaped as `\u003c`/`\u003e`), so it cannot end the comment.
 */
import { z } from "zod";

export type MetadataKind = "rollback" | "incident";

/** `<!-- fleetward:<kind> {...} -->` for `data`. */
export function renderMetadata(kind: MetadataKind, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `<!-- fleetward:${kind} ${json} -->`;
}

/** The JSON of the first `fleetward:<kind>` comment of a body, or null (absent or not JSON). */
export function readMetadata(kind: MetadataKind, body: string | null | undefined): unknown {
  if (!body) return null;
  const marker = `<!-- fleetward:${kind} `;
  const start = body.indexOf(marker);
  if (start < 0) return null;
  const end = body.indexOf(" -->", start + marker.length);
  if (end < 0) return null;
  try {
    return JSON.parse(body.slice(start + marker.length, end)) as unknown;
  } catch {
    return null;
  }
}

const targetFields = {
  environment: z.string(),
  cluster: z.string().optional(),
  clusters: z.array(z.string()),
  component: z.string().optional(),
};

export const rollbackMetadataSchema = z.object({
  v: z.literal(1),
  key: z.string(),
  groupKey: z.string().nullable(),
  fingerprints: z.array(z.string()),
  /** `fingerprint@startsAt` of every alert the pull request answers: one firing episode of each alert. */
  episodes: z.array(z.string()).default([]),
  ...targetFields,
  revertedSha: z.string(),
  revertedPullRequest: z.number().int().optional(),
});
export type RollbackMetadata = z.output<typeof rollbackMetadataSchema>;

/** One firing episode of an alert: `fingerprint@startsAt`. */
export function alertEpisode(alert: { fingerprint: string; startsAt: string }): string {
  return `${alert.fingerprint}@${alert.startsAt}`;
}

export const incidentAlertSchema = z.object({
  fingerprint: z.string(),
  alertname: z.string().nullable(),
  status: z.enum(["firing", "resolved"]),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  groupKey: z.string(),
  summary: z.string().nullable(),
  generatorURL: z.string().nullable(),
});
export type IncidentAlert = z.output<typeof incidentAlertSchema>;

export const incidentMetadataSchema = z.object({
  v: z.literal(1),
  key: z.string(),
  ...targetFields,
  alerts: z.array(incidentAlertSchema),
  reverts: z.array(z.object({ number: z.number().int(), url: z.string().nullable() })),
  /** Set when `/unfreeze` closed the incident: who, and when. */
  unfrozen: z.object({ by: z.string(), at: z.string() }).nullable(),
  /** The configured dashboard links of the target (`dashboards:`); absent in incidents opened before they existed. */
  dashboards: z.array(z.object({ label: z.string(), url: z.string() })).optional(),
});
export type IncidentMetadata = z.output<typeof incidentMetadataSchema>;

/** Fleetward's rollback metadata of a pull request body, or null (none, or not valid). */
export function readRollbackMetadata(body: string | null | undefined): RollbackMetadata | null {
  const parsed = rollbackMetadataSchema.safeParse(readMetadata("rollback", body));
  return parsed.success ? parsed.data : null;
}

/** Fleetward's incident metadata of an issue body, or null (none, or not valid). */
export function readIncidentMetadata(body: string | null | undefined): IncidentMetadata | null {
  const parsed = incidentMetadataSchema.safeParse(readMetadata("incident", body));
  return parsed.success ? parsed.data : null;
}
