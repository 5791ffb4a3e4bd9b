/**
 * `writeBundle()`: manifest + data + Rego sources + Wasm modules → an OPA bundle (`.tar.gz`) laid out as OPA's own
 * writer lays it out: `/data.json`, the Rego files, the Wasm modules, then `/.manifest`; paths with a leading slash;
 * JSON as Go's encoder writes it (compact, object keys sorted, `<`, `>`, `&` escaped, a final newline). Entries keep
 * that fixed order (Rego files and modules sorted by path) and every mtime is 0, so equal inputs give equal bytes.
 */
import { gzipSync } from "node:zlib";
import { bundlePath } from "./bundle-paths.js";
import type { BundleManifest, BundleRegoFile, BundleWasmModule } from "./bundle-types.js";
import { writeTarArchive, type TarFile } from "./write-tar-archive.js";

export interface WriteBundleRequest {
  manifest: BundleManifest;
  data: Record<string, unknown>;
  regoFiles: readonly BundleRegoFile[];
  wasmModules: readonly BundleWasmModule[];
}

const encoder = new TextEncoder();

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A copy with every object's keys sorted (Go marshals map keys in sorted order). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) Object.defineProperty(out, k, { value: sortKeys(v[k]), enumerable: true, writable: true, configurable: true });
  return out;
}

/** JSON text as Go's `json.Encoder.Encode` writes it. */
function goJson(v: unknown): string {
  const text = JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text + "\n";
}

/** The manifest's fields in the order OPA's Manifest struct declares them, optional ones only when set. */
function manifestJson(m: BundleManifest): string {
  const out: Record<string, unknown> = { revision: m.revision, roots: m.roots };
  if (m.wasm !== undefined && m.wasm.length > 0) {
    out.wasm = m.wasm.map((w) => (w.annotations !== undefined && w.annotations.length > 0 ? { entrypoint: w.entrypoint, module: w.module, annotations: w.annotations } : { entrypoint: w.entrypoint, module: w.module }));
  }
  if (m.rego_version !== undefined) out.rego_version = m.rego_version;
  if (m.file_rego_versions !== undefined && Object.keys(m.file_rego_versions).length > 0) out.file_rego_versions = sortKeys(m.file_rego_versions);
  if (m.metadata !== undefined && Object.keys(m.metadata).length > 0) out.metadata = sortKeys(m.metadata);
  return goJson(out);
}

function byPath<T extends { path: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The gzipped tarball of the bundle. */
export function writeBundle(req: WriteBundleRequest): Uint8Array {
  const files: TarFile[] = [{ path: "/data.json", data: encoder.encode(goJson(sortKeys(req.data))) }];
  for (const f of byPath(req.regoFiles)) files.push({ path: bundlePath(f.path), data: encoder.encode(f.text) });
  for (const m of byPath(req.wasmModules)) files.push({ path: bundlePath(m.path), data: m.bytes });
  files.push({ path: "/.manifest", data: encoder.encode(manifestJson(req.manifest)) });
  return new Uint8Array(gzipSync(writeTarArchive(files)));
}
