/**
 * Naming configuration files, without the YAML parser (the app names its config file at start; read-extends.ts,
 * which parses layers, loads with the first configuration read: issue 17).
 */

/** A configuration file in some repository. */
export interface ConfigFileRef {
  owner: string;
  repo: string;
  path: string;
}

export const DEFAULT_CONFIG_PATH = ".github/fleetward.yml";

/** `owner/repo:path` with owner and repo lower-cased, for loop detection (GitHub names are case-insensitive). */
export function configFileKey(ref: ConfigFileRef): string {
  return `${ref.owner.toLowerCase()}/${ref.repo.toLowerCase()}:${ref.path}`;
}

/** How a layer from another repository is named in diagnostics: `owner/repo:path`. */
export function configFileLabel(ref: ConfigFileRef): string {
  return `${ref.owner}/${ref.repo}:${ref.path}`;
}
