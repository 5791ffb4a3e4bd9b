import { createFileFilter, type FileFilterOptions } from "./create-file-filter.js";
import { loadManifestFile } from "./load-manifest-file.js";
import {
  DEFAULT_MANIFEST_LIMITS,
  type ManifestDiagnostic,
  type ManifestDocument,
  type ManifestFile,
  type ManifestLimits,
  type SkippedDocument,
} from "./manifest-types.js";

export interface LoadManifestsOptions extends FileFilterOptions {
  limits?: Partial<ManifestLimits>;
}

export interface LoadManifestsResult {
  documents: ManifestDocument[];
  skipped: SkippedDocument[];
  diagnostics: ManifestDiagnostic[];
  /** Paths that the include/exclude globs left out. */
  excludedFiles: string[];
}

/**
 * Loads many files: filters them by globs, enforces the total size budget (files past it get a diagnostic and are
 * not read), and loads each with `loadManifestFile`. Files are processed in the order given.
 */
export function loadManifests(files: readonly ManifestFile[], options: LoadManifestsOptions = {}): LoadManifestsResult {
  const limits: ManifestLimits = { ...DEFAULT_MANIFEST_LIMITS, ...options.limits };
  const accept = createFileFilter(options);
  const out: LoadManifestsResult = { documents: [], skipped: [], diagnostics: [], excludedFiles: [] };
  let total = 0;
  for (const file of files) {
    if (!accept(file.path)) {
      out.excludedFiles.push(file.path);
      continue;
    }
    const bytes = Buffer.byteLength(file.content, "utf8");
    if (bytes <= limits.maxFileBytes && total + bytes > limits.maxTotalBytes) {
      out.diagnostics.push({
        code: "manifest_total_size_exceeded",
        severity: "error",
        message: `loading this file would exceed the total limit of ${limits.maxTotalBytes} bytes`,
        file: file.path,
        line: 1,
        column: 1,
      });
      continue;
    }
    if (bytes <= limits.maxFileBytes) total += bytes;
    const r = loadManifestFile(file, limits);
    out.documents.push(...r.documents);
    out.skipped.push(...r.skipped);
    out.diagnostics.push(...r.diagnostics);
  }
  return out;
}
