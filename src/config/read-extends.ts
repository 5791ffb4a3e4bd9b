/**
 * `_extends` (Probot style): the caller reads it from a layer, fetches the named file, and repeats, so it
 * knows every layer before calling `loadConfig`. This module parses the reference and guards the chain.
 */
import type { ConfigDiagnostic, ConfigDiagnosticCode } from "./config-diagnostic.js";
import { findLayerNode, parseConfigLayer } from "./parse-config-layer.js";
import type { ConfigLayer, YamlLimits } from "./parse-config-layer.js";
import { type ConfigFileRef, DEFAULT_CONFIG_PATH, configFileKey, configFileLabel } from "./config-file-ref.js";

export { type ConfigFileRef, DEFAULT_CONFIG_PATH, configFileKey, configFileLabel } from "./config-file-ref.js";

/** Most `_extends` hops followed from the repository's own file. */
export const MAX_EXTENDS_DEPTH = 5;

const OWNER = "[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}";
const REPO = "[A-Za-z0-9_.-]{1,100}";
const PATH = "[A-Za-z0-9_./-]+\\.ya?ml";
const EXTENDS_RE = new RegExp(`^(?:(${OWNER})/)?(${REPO})(?::(${PATH}))?$`);

/**
 * Parses an `_extends` value relative to the repository holding it: `repo` (same owner), `owner/repo`, or
 * `owner/repo:path/file.yml`. The default path is `.github/fleetward.yml`. Null when malformed.
 */
export function parseExtendsTarget(value: string, from: { owner: string; repo: string }): ConfigFileRef | null {
  const m = EXTENDS_RE.exec(value.trim());
  if (!m) return null;
  const [, owner, repo, path] = m;
  if (repo === undefined || repo === "." || repo === "..") return null;
  if (path !== undefined && path.split("/").some((s) => s === "" || s === "." || s === "..")) return null;
  return { owner: owner ?? from.owner, repo, path: path ?? DEFAULT_CONFIG_PATH };
}

export interface ReadExtendsOptions {
  /** The repository that holds the layer (relative references resolve against its owner). */
  from: { owner: string; repo: string };
  /** The files already loaded, starting with the repository's own file and ending with this layer's file. */
  chain?: readonly ConfigFileRef[];
  limits?: YamlLimits;
}

export interface ReadExtendsResult {
  /** The file to fetch next, or null when the layer does not extend (or the reference is unusable). */
  target: ConfigFileRef | null;
  /** Problems with `_extends` itself, pointing at its value. YAML errors are left to `loadConfig`. */
  diagnostics: ConfigDiagnostic[];
}

/** Reads `_extends` from a layer's text. Never throws. */
export function readExtends(layer: Pick<ConfigLayer, "file" | "text">, options: ReadExtendsOptions): ReadExtendsResult {
  const full: ConfigLayer = { source: "extends", ...layer };
  const { parsed } = parseConfigLayer(full, options.limits);
  const value = parsed.value as Record<string, unknown> | undefined;
  if (value === undefined || !("_extends" in value) || value._extends === null) return { target: null, diagnostics: [] };

  const found = findLayerNode(parsed, ["_extends"]);
  const span = found?.span ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const fail = (code: ConfigDiagnosticCode, message: string): ReadExtendsResult => ({
    target: null,
    diagnostics: [{ code, severity: "error", message: `_extends: ${message}`, file: layer.file, ...span }],
  });

  const raw = value._extends;
  if (typeof raw !== "string") return fail("config_extends_invalid", `expected a string such as "owner/repo", got ${Array.isArray(raw) ? "a list" : typeof raw}`);
  const target = parseExtendsTarget(raw, options.from);
  if (target === null) {
    return fail(
      "config_extends_invalid",
      `${JSON.stringify(raw)} is not "repo", "owner/repo" or "owner/repo:path/to/file.yml"`,
    );
  }
  const chain = options.chain ?? [];
  const key = configFileKey(target);
  if (chain.some((c) => configFileKey(c) === key)) {
    const shown = [...chain.map(configFileLabel), configFileLabel(target)].join(" → ");
    return fail("config_extends_loop", `extends loop ${shown}`);
  }
  if (chain.length > MAX_EXTENDS_DEPTH) {
    return fail("config_extends_depth", `more than ${MAX_EXTENDS_DEPTH} levels of _extends; stopped before ${configFileLabel(target)}`);
  }
  return { target, diagnostics: [] };
}
