/**
 * Diagnostics of `.github/fleetward.yml`. Loading never throws on bad input: every problem becomes one of
 * these, with a stable code, a message naming the field, and the span of the offending YAML node in the
 * layer (file) that set it. Lines and columns are 1-based; the end position is exclusive.
 */

/** Stable codes; tests, docs and users rely on them, so only ever add new ones. */
export const CONFIG_DIAGNOSTIC_CODES = [
  /** The YAML text does not parse (bad indentation, unclosed flow collection, unresolved alias, …). */
  "config_yaml_syntax",
  /** The same key appears twice in one mapping. */
  "config_yaml_duplicate_key",
  /** The file is larger, more aliased or more deeply nested than the loader accepts. */
  "config_yaml_limit",
  /** A value has the wrong type or shape for the schema. */
  "config_schema",
  /** A key the schema does not know (typos are reported instead of ignored). */
  "config_unknown_key",
  /** A duration string such as `7d` that does not parse. */
  "config_invalid_duration",
  /** A path glob that is empty, absolute, escapes the repository, negated or malformed. */
  "config_invalid_glob",
  /** Two environments, or two clusters, share a name. */
  "config_duplicate_name",
  /** `promotedFrom` or a cluster's `environment` names an environment that does not exist. */
  "config_unknown_environment",
  /** A reference (rollback rule fallback or value map, wave) names a cluster that does not exist. */
  "config_unknown_cluster",
  /** Following `promotedFrom` leads back to the same environment. */
  "config_promotion_cycle",
  /** An environment is promoted from one listed after it (the list goes from lowest to highest). */
  "config_promotion_order",
  /** A cluster's paths fall inside the paths of an environment other than its own. */
  "config_cluster_path_conflict",
  /** Two environments claim overlapping paths, so one file would belong to both. */
  "config_environment_overlap",
  /** `_extends` is not `repo`, `owner/repo` or `owner/repo:path`. */
  "config_extends_invalid",
  /** `_extends` leads back to a file already in the chain. */
  "config_extends_loop",
  /** `_extends` chains deeper than the loader follows. */
  "config_extends_depth",
  /** The file `_extends` names could not be found. */
  "config_extends_not_found",
  /** `policies.library` names a policy the bundled library does not have. */
  "config_unknown_policy",
  /** An analysis asks a Prometheus server the app does not define, or none is set (a warning; its gate fails closed). */
  "config_unknown_analysis_server",
  /** More problems than are worth listing; the rest are summarised in one warning. */
  "config_diagnostics_truncated",
] as const;

export type ConfigDiagnosticCode = (typeof CONFIG_DIAGNOSTIC_CODES)[number];

export type ConfigDiagnosticSeverity = "error" | "warning";

export interface ConfigDiagnostic {
  code: ConfigDiagnosticCode;
  severity: ConfigDiagnosticSeverity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** `file:line:col: severity code: message`, the form logs and check-run annotations show. */
export function formatConfigDiagnostic(d: ConfigDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}`;
}
