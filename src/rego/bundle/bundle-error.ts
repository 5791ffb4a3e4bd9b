/**
 * The one error type of bundle reading, writing and loading. Each failure has a stable code so callers (the CLI,
 * the pull request check) can report it without parsing messages.
 */
export type BundleErrorCode =
  /** The bytes are not a gzip stream, or the stream is corrupt or truncated. */
  | "bundle_gzip_error"
  /** The tar inside is malformed: bad header checksum, an entry running past the end, an unsupported entry type. */
  | "bundle_tar_error"
  /** An entry name escapes the bundle (`..` segments, NUL bytes, backslashes). */
  | "bundle_path_traversal"
  /** Two entries with the same path. */
  | "bundle_duplicate_entry"
  /** The archive exceeds a size or entry-count limit (a hostile or accidental "bomb"). */
  | "bundle_too_large"
  /** `.manifest` is not valid JSON or has fields of the wrong type, or names a module that is not in the bundle. */
  | "bundle_manifest_invalid"
  /** Two manifest roots overlap (`a/b` and `a/b/c`). */
  | "bundle_roots_overlap"
  /** A data file is not valid JSON/YAML, is not an object at the root, or collides with another data file. */
  | "bundle_data_invalid"
  /** Data outside the manifest's roots. */
  | "bundle_data_outside_roots"
  /** The bundle holds no `policy.wasm`. */
  | "bundle_missing_wasm"
  /** An entrypoint was asked for that no Wasm module of the bundle provides. */
  | "bundle_unknown_entrypoint"
  /** A Wasm module failed to load through the SDK. */
  | "bundle_wasm_invalid";

export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    message: string,
    /** The bundle entry the error is about, when there is one (e.g. `/data.json`). */
    readonly entry?: string,
  ) {
    super(entry === undefined ? message : `${entry}: ${message}`);
    this.name = "BundleError";
  }
}
