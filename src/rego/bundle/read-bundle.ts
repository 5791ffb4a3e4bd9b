/**
 * `readBundle(bytes)`: an OPA bundle (`.tar.gz`) → its manifest, data document, Wasm modules and Rego files, with
 * the validation OPA applies when it activates a bundle (overlapping roots, data and entrypoints outside the
 * roots, manifest naming a missing module) and caps against hostile archives (compressed and decompressed size,
 * entry count, path traversal, duplicate entries, links). Every failure is a BundleError with a stable code.
 */
import { gunzipSync } from "node:zlib";
import { BundleError } from "./bundle-error.js";
import { bundlePath, normalizeEntrypoint, pathSegments, rootsContain, rootsOverlap } from "./bundle-paths.js";
import { DEFAULT_BUNDLE_LIMITS, type Bundle, type BundleLimits, type BundleManifest, type BundleWasmResolver } from "./bundle-types.js";
import { decodeDataFile } from "./decode-data-file.js";
import { placeBundleData } from "./place-bundle-data.js";
import { readTarArchive, type TarEntry } from "./read-tar-archive.js";

export interface ReadBundleOptions {
  limits?: Partial<BundleLimits>;
  /** Fail with `bundle_missing_wasm` when the bundle holds no `policy.wasm` (default true). */
  requireWasm?: boolean;
}

const MANIFEST = "/.manifest";
const DATA_FILES = new Set(["data.json", "data.yaml", "data.yml"]);
const WASM_FILE = "policy.wasm";
const decoder = new TextDecoder();

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function gunzip(bytes: Uint8Array, limits: BundleLimits): Uint8Array {
  if (bytes.length > limits.maxCompressedBytes) {
    throw new BundleError("bundle_too_large", `the bundle is ${bytes.length} bytes, more than the limit of ${limits.maxCompressedBytes}`);
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new BundleError("bundle_gzip_error", "not a gzip stream (a bundle is a .tar.gz)");
  try {
    return gunzipSync(bytes, { maxOutputLength: limits.maxUncompressedBytes });
  } catch (e) {
    if ((e as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new BundleError("bundle_too_large", `the bundle decompresses to more than ${limits.maxUncompressedBytes} bytes`);
    }
    throw new BundleError("bundle_gzip_error", `corrupt gzip stream: ${(e as Error).message}`);
  }
}

/** The entry's canonical bundle path (`/a/b`), or a BundleError for names that could escape the bundle. */
function canonicalPath(name: string): string {
  if (name.includes("\0") || name.includes("\\")) throw new BundleError("bundle_path_traversal", `entry name ${JSON.stringify(name)} contains NUL or a backslash`);
  const segments = name.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) throw new BundleError("bundle_path_traversal", `entry name ${JSON.stringify(name)} leaves the bundle`);
  if (segments.length === 0) throw new BundleError("bundle_tar_error", `entry name ${JSON.stringify(name)} is empty`);
  return "/" + segments.join("/");
}

function invalid(message: string): BundleError {
  return new BundleError("bundle_manifest_invalid", message, MANIFEST);
}

function stringArray(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw invalid(`"${what}" must be a list of strings`);
  return v as string[];
}

/** `.manifest` decoded and type-checked, with OPA's defaults and roots trimmed of slashes. */
function parseManifest(text: string): BundleManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (e) {
    throw invalid(`not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw invalid("must hold a JSON object");
  const manifest: BundleManifest = { revision: "", roots: [""] };
  if (doc.revision !== undefined) {
    if (typeof doc.revision !== "string") throw invalid('"revision" must be a string');
    manifest.revision = doc.revision;
  }
  if (doc.roots !== undefined && doc.roots !== null) manifest.roots = stringArray(doc.roots, "roots").map((r) => r.replace(/^\/+|\/+$/g, ""));
  if (doc.wasm !== undefined && doc.wasm !== null) {
    if (!Array.isArray(doc.wasm)) throw invalid('"wasm" must be a list');
    manifest.wasm = doc.wasm.map((w, i): BundleWasmResolver => {
      if (!isObject(w) || typeof w.entrypoint !== "string" || typeof w.module !== "string") {
        throw invalid(`"wasm[${i}]" must be an object with string "entrypoint" and "module"`);
      }
      const resolver: BundleWasmResolver = { entrypoint: w.entrypoint, module: w.module };
      if (Array.isArray(w.annotations)) resolver.annotations = w.annotations as unknown[];
      return resolver;
    });
  }
  if (doc.rego_version !== undefined && doc.rego_version !== null) {
    if (doc.rego_version !== 0 && doc.rego_version !== 1) throw invalid('"rego_version" must be 0 or 1');
    manifest.rego_version = doc.rego_version;
  }
  if (doc.file_rego_versions !== undefined && doc.file_rego_versions !== null) {
    const f = doc.file_rego_versions;
    if (!isObject(f) || !Object.values(f).every((v) => v === 0 || v === 1)) throw invalid('"file_rego_versions" must map paths to 0 or 1');
    manifest.file_rego_versions = f as Record<string, number>;
  }
  if (doc.metadata !== undefined && doc.metadata !== null) {
    if (!isObject(doc.metadata)) throw invalid('"metadata" must be an object');
    manifest.metadata = doc.metadata;
  }
  return manifest;
}

/** OPA's checks of a manifest against the bundle's contents. */
function validate(bundle: Bundle): void {
  const { roots } = bundle.manifest;
  for (let i = 0; i < roots.length; i++) {
    for (let j = i + 1; j < roots.length; j++) {
      if (rootsOverlap(roots[i] as string, roots[j] as string)) {
        throw new BundleError("bundle_roots_overlap", `manifest roots "${roots[i]}" and "${roots[j]}" overlap`, MANIFEST);
      }
    }
  }
  const modules = new Set(bundle.wasmModules.map((m) => m.path));
  const seen = new Set<string>();
  for (const w of bundle.manifest.wasm ?? []) {
    if (!modules.has(bundlePath(w.module))) throw invalid(`names Wasm module "${w.module}", which is not in the bundle`);
    const ep = normalizeEntrypoint(w.entrypoint);
    if (!rootsContain(roots, ep)) throw invalid(`entrypoint "${w.entrypoint}" is outside the roots ${JSON.stringify(roots)}`);
    if (seen.has(ep)) throw invalid(`entrypoint "${w.entrypoint}" is served by more than one Wasm module`);
    seen.add(ep);
  }
  checkDataInRoots(bundle.data, [], roots);
}

/** Every data path must lie under a root; objects above a root are walked into (OPA's dfs over the data). */
function checkDataInRoots(node: unknown, path: string[], roots: readonly string[]): void {
  if (rootsContain(roots, path.join("/"))) return;
  const here = path.join("/");
  if (isObject(node) && roots.some((r) => rootsContain([here], r))) {
    for (const key of Object.keys(node)) checkDataInRoots(node[key], [...path, key], roots);
    return;
  }
  throw new BundleError("bundle_data_outside_roots", `data at "/${here}" is outside the manifest roots ${JSON.stringify(roots)}`);
}

/** Reads and validates a bundle. Throws BundleError (see bundle-error.ts for the codes). */
export function readBundle(bytes: Uint8Array, options: ReadBundleOptions = {}): Bundle {
  const limits: BundleLimits = { ...DEFAULT_BUNDLE_LIMITS, ...(options.limits ?? {}) };
  const entries: TarEntry[] = readTarArchive(gunzip(bytes, limits), { maxEntries: limits.maxEntries });
  const bundle: Bundle = { manifest: { revision: "", roots: [""] }, hasManifest: false, data: {}, wasmModules: [], regoFiles: [] };
  const paths = new Set<string>();
  const dataFiles: Array<{ path: string; data: Uint8Array }> = [];
  for (const entry of entries) {
    const path = canonicalPath(entry.path);
    if (paths.has(path)) throw new BundleError("bundle_duplicate_entry", "the archive holds this path more than once", path);
    paths.add(path);
    const base = path.slice(path.lastIndexOf("/") + 1);
    if (path === MANIFEST) {
      bundle.manifest = parseManifest(decoder.decode(entry.data));
      bundle.hasManifest = true;
    } else if (base === WASM_FILE) bundle.wasmModules.push({ path, bytes: entry.data.slice() });
    else if (DATA_FILES.has(base)) dataFiles.push({ path, data: entry.data });
    else if (base.endsWith(".rego")) bundle.regoFiles.push({ path, text: decoder.decode(entry.data) });
  }
  // Data files in path order, so the merged document does not depend on the archive's order.
  dataFiles.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of dataFiles) {
    const value = decodeDataFile(f.path, decoder.decode(f.data));
    if (value === null && f.path.endsWith(".yaml")) continue;
    if (value === null && f.path.endsWith(".yml")) continue;
    placeBundleData(bundle.data, pathSegments(f.path).slice(0, -1), value, f.path);
  }
  validate(bundle);
  if ((options.requireWasm ?? true) && bundle.wasmModules.length === 0) {
    throw new BundleError("bundle_missing_wasm", "the bundle holds no policy.wasm (build it with `fleetward build` or `opa build -t wasm`)");
  }
  return bundle;
}
