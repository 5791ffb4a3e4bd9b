/**
 * Settings precedence, lowest to highest: built-in defaults → org defaults → `_extends` targets → the
 * repository file (those four are already merged by `loadConfig` into `config.settings`) → the environment's
 * `settings` → the cluster's `settings`. Objects merge key by key; arrays and scalars replace.
 */
import type { FleetwardConfig, FleetwardSettings, SettingsOverride } from "./schema.js";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function overlay(base: unknown, over: unknown): unknown {
  if (over === undefined) return structuredClone(base);
  if (!isPlainObject(base) || !isPlainObject(over)) return structuredClone(over);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) {
    if (v !== undefined) out[k] = overlay(out[k], v);
  }
  return out;
}

export interface SettingsScope {
  /** The environment; may be omitted when `cluster` is given (the cluster's environment is used). */
  environment?: string;
  cluster?: string;
}

/**
 * The fully-typed settings in force for an environment, or a cluster of it. With neither, the repository
 * settings. Throws a RangeError when a name is unknown or the cluster is not in the environment: those are
 * programming errors of the caller (names come from `classifyPath`/the fleet), not bad user input.
 */
export function effectiveSettings(config: FleetwardConfig, scope: SettingsScope = {}): FleetwardSettings {
  const cluster = scope.cluster === undefined ? undefined : config.clusters.find((c) => c.name === scope.cluster);
  if (scope.cluster !== undefined && cluster === undefined) throw new RangeError(`unknown cluster "${scope.cluster}"`);
  const envName = scope.environment ?? cluster?.environment;
  if (cluster && scope.environment !== undefined && cluster.environment !== scope.environment) {
    throw new RangeError(`cluster "${cluster.name}" belongs to environment "${cluster.environment}", not "${scope.environment}"`);
  }
  const env = envName === undefined ? undefined : config.environments.find((e) => e.name === envName);
  if (envName !== undefined && env === undefined) throw new RangeError(`unknown environment "${envName}"`);

  const layers: (SettingsOverride | undefined)[] = [env?.settings, cluster?.settings];
  let settings: unknown = config.settings;
  for (const layer of layers) settings = overlay(settings, layer);
  return settings as FleetwardSettings;
}
