import type { RepositoryPermission } from "../config/rollback-schema.js";
import { effectiveSettings } from "../config/effective-settings.js";
import type { SettingsScope } from "../config/effective-settings.js";
import type { FleetwardConfig } from "../config/schema.js";
import { parseDuration } from "../config/parse-duration.js";

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
 * the optional rollback fields applied. Throws RangeError for unknown names, as `effectiveSettings` does.
 */
export function resolveRollbackSettings(config: FleetwardConfig, scope: SettingsScope = {}): RollbackSettings {
  const r = effectiveSettings(config, scope).rollback;
  const lookback = parseDuration(r.lookback);
  return {
    autoMerge: r.autoMerge,
    lookback: r.lookback,
    // The schema validated the duration; 7 days if a caller built the config by hand with a bad one.
    lookbackMs: lookback.ok ? lookback.ms : 7 * 24 * 3600_000,
    groupClusters: r.groupClusters ?? true,
    labels: [...(r.labels ?? DEFAULT_ROLLBACK_LABELS)],
    incidentLabels: [...new Set([INCIDENT_LABEL, ...(r.incidentLabels ?? [])])],
    rollbackCommand: { permission: r.rollbackCommand?.permission ?? "write", teams: [...(r.rollbackCommand?.teams ?? [])] },
    unfreezeCommand: { permission: r.unfreezeCommand?.permission ?? "write", teams: [...(r.unfreezeCommand?.teams ?? [])] },
  };
}
