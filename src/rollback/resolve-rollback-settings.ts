import type { RepositoryPermission } from "../config/rollback-schema.js";
import { effectiveSettings } from "../config/effective-settings.js";
import type { SettingsScope } from "../config/effective-settings.js";
import type { FleetwardConfig } from "../config/schema.js";
import { parseDuration } from "../config/parse-duration.js";
import { promotionSettingsOf } from "../config/promotion-schema.js";

export interface CommandAccess {
  permission: RepositoryPermission;
  teams: string[];
}

/** The rollback settings in force for a scope, every field defaulted. */
export interface RollbackSettings {
  autoMerge: boolean;
  lookback: string;
  lookbackMs: number;
  groupClusters: boolean;
  labels: string[];
  incidentLabels: string[];
  rollbackCommand: CommandAccess;
  unfreezeCommand: CommandAccess;
}

export const DEFAULT_ROLLBACK_LABELS = ["fleetward:rollback"] as const;
export const INCIDENT_LABEL = "fleetward:incident";

/**
 * `settings.rollback` for an environment or cluster (precedence as `effectiveSettings`), with the defaults of
 * the optional rollback fields applied. `/rollback` has the same permission rule as `/promote` unless
 * `rollbackCommand` says otherwise: `write`, and the scope's `settings.promotion.promoters` as the teams.
 * Throws RangeError for unknown names, as `effectiveSettings` does.
 */
export function resolveRollbackSettings(config: FleetwardConfig, scope: SettingsScope = {}): RollbackSettings {
  const settings = effectiveSettings(config, scope);
  const r = settings.rollback;
  const promoters = promotionSettingsOf(settings.promotion).promoters;
  const lookback = parseDuration(r.lookback);
  return {
    autoMerge: r.autoMerge,
    lookback: r.lookback,
    // The schema validated the duration; 7 days if a caller built the config by hand with a bad one.
    lookbackMs: lookback.ok ? lookback.ms : 7 * 24 * 3600_000,
    groupClusters: r.groupClusters ?? true,
    labels: [...(r.labels ?? DEFAULT_ROLLBACK_LABELS)],
    incidentLabels: [...new Set([INCIDENT_LABEL, ...(r.incidentLabels ?? [])])],
    rollbackCommand: { permission: r.rollbackCommand?.permission ?? "write", teams: [...(r.rollbackCommand?.teams ?? promoters)] },
    unfreezeCommand: { permission: r.unfreezeCommand?.permission ?? "write", teams: [...(r.unfreezeCommand?.teams ?? [])] },
  };
}
