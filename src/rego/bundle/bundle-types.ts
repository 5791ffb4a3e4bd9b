/** The data of an OPA bundle, as Fleetward reads and writes it (see docs/bundles.md). */

/** One `wasm` entry of `.manifest`: which entrypoint a Wasm module evaluates. */
export interface BundleWasmResolver {
  /** Slash-separated path under `data`, e.g. `http/example/authz/allow`. */
  entrypoint: string;
  /** Bundle path of the module, e.g. `/policy.wasm`. */
  module: string;
  annotations?: unknown[];
}

/** `.manifest` with OPA's field names; defaults (`revision` "", `roots` [""]) filled in when read. */
export interface BundleManifest {
  revision: string;
  roots: string[];
  wasm?: BundleWasmResolver[];
  /** 0 for Rego v0, 1 for Rego v1; absent in bundles made by OPA before 1.0. */
  rego_version?: number;
  file_rego_versions?: Record<string, number>;
  metadata?: Record<string, unknown>;
}

export interface BundleWasmModule {
  /** Bundle path with a leading slash, e.g. `/policy.wasm`. */
  path: string;
  bytes: Uint8Array;
}

export interface BundleRegoFile {
  /** Bundle path with a leading slash, e.g. `/policies/deny.rego`. */
  path: string;
  text: string;
}

/** A bundle read by `readBundle`: every part validated. */
export interface Bundle {
  manifest: BundleManifest;
  /** False when the archive had no `.manifest` (OPA allows that; defaults are used). */
  hasManifest: boolean;
  /** The `data` document: every data.json / data.yaml / data.yml placed at its directory's path and merged. */
  data: Record<string, unknown>;
  wasmModules: BundleWasmModule[];
  regoFiles: BundleRegoFile[];
}

/** Caps that defeat hostile archives. */
export interface BundleLimits {
  /** Largest accepted `.tar.gz` (default 32 MiB). */
  maxCompressedBytes: number;
  /**
   * Largest accepted tar stream after decompression (default 128 MiB; OPA's own cap is 1 GiB). Decompression stops
   * at the cap, so this also bounds the memory a hostile archive can take.
   */
  maxUncompressedBytes: number;
  /** Most entries in the archive (default 10,000). */
  maxEntries: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxCompressedBytes: 32 * 1024 * 1024,
  maxUncompressedBytes: 128 * 1024 * 1024,
  maxEntries: 10_000,
};
