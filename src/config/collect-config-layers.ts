/**
 * Gathers the layers `loadConfig` needs — org defaults, the `_extends` chain, the repository's file — using
 * a fetch function the caller provides (the Probot handler passes one backed by Octokit). Pure otherwise.
 */
import type { ConfigDiagnostic } from "./config-diagnostic.js";
import { findLayerNode, parseConfigLayer } from "./parse-config-layer.js";
import type { ConfigLayer, YamlLimits } from "./parse-config-layer.js";
import { configFileKey, configFileLabel, DEFAULT_CONFIG_PATH, readExtends } from "./read-extends.js";
import type { ConfigFileRef } from "./read-extends.js";

/** Resolves to the file's text, or null when the file (or repository) does not exist. */
export type FetchConfigFile = (ref: ConfigFileRef) => Promise<string | null>;

export interface CollectConfigLayersOptions {
  owner: string;
  repo: string;
  /** Path of the repository's own file; default `.github/fleetward.yml`. */
  path?: string;
  fetchFile: FetchConfigFile;
  /** Read org defaults from `<owner>/.github:.github/fleetward.yml`; default true. */
  orgDefaults?: boolean;
  limits?: YamlLimits;
}

export interface CollectConfigLayersResult {
  /** Lowest precedence first; pass to `loadConfig`. */
  layers: ConfigLayer[];
  diagnostics: ConfigDiagnostic[];
  /** Whether the repository has its own configuration file. */
  repoFileFound: boolean;
}

function notFound(layer: ConfigLayer, target: ConfigFileRef, limits: YamlLimits | undefined): ConfigDiagnostic {
  const { parsed } = parseConfigLayer(layer, limits);
  const span = findLayerNode(parsed, ["_extends"])?.span ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return {
    code: "config_extends_not_found",
    severity: "error",
    message: `_extends: ${configFileLabel(target)} does not exist or is not readable by the app`,
    file: layer.file,
    ...span,
  };
}

/**
 * Fetches the repository's file, follows `_extends` (at most `MAX_EXTENDS_DEPTH` hops, no loops), and adds
 * the org defaults below everything. Rejects only if `fetchFile` rejects (network trouble is the caller's).
 */
export async function collectConfigLayers(options: CollectConfigLayersOptions): Promise<CollectConfigLayersResult> {
  const path = options.path ?? DEFAULT_CONFIG_PATH;
  const repoRef: ConfigFileRef = { owner: options.owner, repo: options.repo, path };
  const diagnostics: ConfigDiagnostic[] = [];
  const higherFirst: ConfigLayer[] = [];
  const chain: ConfigFileRef[] = [];

  const repoText = await options.fetchFile(repoRef);
  let current: { ref: ConfigFileRef; text: string; file: string } | null =
    repoText === null ? null : { ref: repoRef, text: repoText, file: path };
  while (current !== null) {
    chain.push(current.ref);
    higherFirst.push({ source: chain.length === 1 ? "repo" : "extends", file: current.file, text: current.text });
    const ext = readExtends(
      { file: current.file, text: current.text },
      { from: { owner: current.ref.owner, repo: current.ref.repo }, chain, limits: options.limits },
    );
    diagnostics.push(...ext.diagnostics);
    if (ext.target === null) break;
    const text = await options.fetchFile(ext.target);
    if (text === null) {
      diagnostics.push(notFound({ source: "extends", file: current.file, text: current.text }, ext.target, options.limits));
      break;
    }
    current = { ref: ext.target, text, file: configFileLabel(ext.target) };
  }

  const orgRef: ConfigFileRef = { owner: options.owner, repo: ".github", path: DEFAULT_CONFIG_PATH };
  if ((options.orgDefaults ?? true) && !chain.some((c) => configFileKey(c) === configFileKey(orgRef))) {
    const orgText = await options.fetchFile(orgRef);
    if (orgText !== null) higherFirst.push({ source: "org", file: configFileLabel(orgRef), text: orgText });
  }
  return { layers: higherFirst.reverse(), diagnostics, repoFileFound: repoText !== null };
}
