/**
 * Types shared by the manifest loader. A manifest is one YAML/JSON document of a repository file; the loader keeps
 * where each document came from so that a policy violation can be annotated at the right line of a pull request.
 */

/** A plain JSON-like object, as decoded from a manifest. */
export type JsonObject = { [key: string]: unknown };

/** A 1-based line and column in one file (columns count UTF-16 code units, as editors and GitHub do). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** 0-based UTF-16 offset into the file text. */
  offset: number;
}

/** Where a field sits: its key (for mapping entries) and its value. */
export interface FieldLocation {
  /** The key of the entry (`image:`), absent for sequence items and the document root. */
  key?: SourceLocation;
  /** The start of the value node (after any anchor/tag it carries, the anchor/tag itself). */
  value: SourceLocation;
}

/** Stable codes of the loader's diagnostics. */
export type ManifestDiagnosticCode =
  | "manifest_file_too_large"
  | "manifest_total_size_exceeded"
  | "manifest_too_many_documents"
  | "manifest_yaml_syntax"
  | "manifest_json_syntax"
  | "manifest_duplicate_key"
  | "manifest_alias_limit"
  | "manifest_expansion_limit"
  | "manifest_recursive_alias"
  | "manifest_depth_limit"
  | "manifest_invalid_field_path";

export interface ManifestDiagnostic {
  code: ManifestDiagnosticCode;
  severity: "error" | "warning";
  message: string;
  file: string;
  line: number;
  column: number;
}

/** Why a document was not handed to policy evaluation. */
export type SkipReason = "empty" | "not-an-object" | "missing-api-version" | "missing-kind";

export interface SkippedDocument {
  file: string;
  index: number;
  startLine: number;
  reason: SkipReason;
}

/** One Kubernetes object read from a file. */
export interface ManifestDocument {
  file: string;
  /** 0-based index of the document in its file (counting skipped documents too). */
  index: number;
  /** 1-based line of the document's first content line (after `---`, comments and blank lines). */
  startLine: number;
  apiVersion: string;
  kind: string;
  /** metadata.name and metadata.namespace when they are strings. */
  name?: string;
  namespace?: string;
  value: JsonObject;
  /**
   * Finds a field by path (`spec.template.spec.containers[0].image`, or segments). Positions are computed lazily on
   * the first call for this file and cached. Returns undefined when the path does not exist in the source.
   */
  locate(path: string | readonly FieldPathSegment[]): FieldLocation | undefined;
}

export type FieldPathSegment = string | number;

/** Safety limits of the loader. Every limit turns into a diagnostic, never an exception. */
export interface ManifestLimits {
  /** Largest accepted file, in bytes (UTF-8). Default 1 MiB. */
  maxFileBytes: number;
  /** Largest accepted total of all loaded files, in bytes. Default 32 MiB. */
  maxTotalBytes: number;
  /** Most documents accepted in one file. Default 1,000. */
  maxDocumentsPerFile: number;
  /** Deepest accepted collection nesting. Default 64. */
  maxDepth: number;
  /** Most alias nodes (`*ref`) accepted per document. Default 1,000. */
  maxAliases: number;
  /** Most nodes a document may have once aliases are expanded (billion laughs guard). Default 200,000. */
  maxExpandedNodes: number;
}

export const DEFAULT_MANIFEST_LIMITS: Readonly<ManifestLimits> = Object.freeze({
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 32 * 1024 * 1024,
  maxDocumentsPerFile: 1000,
  maxDepth: 64,
  maxAliases: 1000,
  maxExpandedNodes: 200_000,
});

/** A file handed to the loader (the caller reads it from git or disk). */
export interface ManifestFile {
  path: string;
  content: string;
}

export interface ManifestFileResult {
  documents: ManifestDocument[];
  skipped: SkippedDocument[];
  diagnostics: ManifestDiagnostic[];
  /**
   * With `loadManifestFile(file, limits, { values: true })`: the decoded value of every document, in order, Kubernetes
   * object or not (an empty document is `null`), when the whole file parsed at once; absent otherwise.
   */
  values?: unknown[];
}
