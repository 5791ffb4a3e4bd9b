/**
 * The contract between Fleetward's Kustomize renderer (`src/render/`) and its users: the policy check, the
 * `fleetward render|check|diff` commands and the rendered diff. Plain data only, so that a render can run in a
 * worker thread (the sandbox) and its result cross back by structured clone.
 *
 * `src/render/` imports nothing of the app, the policy engine or the Rego compiler.
 */

/** A place in a file of the repository: POSIX path relative to the repository root (no leading `./`), 1-based. */
export interface SourcePos {
  file: string;
  line: number;
  column?: number;
}

/**
 * The files a render may read. Paths are POSIX, relative to the repository root, without a leading `./` or a
 * trailing `/`; the root folder is `""`. Synchronous: callers load the texts first (the app from Git blobs, the CLI
 * from disk).
 */
export interface RenderFs {
  /** The file's text, or undefined when there is no such file. */
  readFile(path: string): string | undefined;
  /** The names (not paths) of the entries directly inside a folder, sorted; undefined when it is not a folder. */
  listDir(path: string): string[] | undefined;
  /** True for a folder (the root `""` included). */
  isDir(path: string): boolean;
}

/** One object as `kustomize build` prints it, with where it and its fields came from. */
export interface RenderedObject {
  object: Record<string, unknown>;
  /** The document the object came from (resource file and the line its document starts on), or the generator's entry. */
  source: SourcePos;
  /**
   * Fields that a transformer, generator or patch set, by JSON pointer (`/spec/template/spec/containers/0/image`):
   * the line that set it (the kustomization's `images:` entry's `newName:` line, a patch file's line, …). A field not
   * listed here, nor under a listed pointer's prefix, is found in `source`'s document.
   */
  fieldOrigins: Record<string, SourcePos>;
}

/** A problem with a render, at the kustomization (or resource file) line that caused it. */
export interface RenderDiagnostic {
  /** Stable code, e.g. `render_missing_file`, `render_cycle`, `render_unsupported_helm`. */
  code: string;
  severity: "error" | "warning";
  message: string;
  file: string;
  line: number;
  column?: number;
}

export interface RenderOptions {
  /** Output order: `legacy` (Kustomize's default for `kustomize build`) or `none` (input order). Default `legacy`; `sortOptions` in the root kustomization wins as in Kustomize. */
  reorder?: "legacy" | "none";
  /** Most resources one root may produce before the render fails. Default 5,000. */
  maxResources?: number;
}

export interface RenderResult {
  /** The folder that was built. */
  root: string;
  /** True when the build succeeded; false when any error diagnostic was produced (then `objects` is empty). */
  ok: boolean;
  objects: RenderedObject[];
  diagnostics: RenderDiagnostic[];
  /** Every file the render read (kustomizations, resources, patches, generator sources), sorted: what affects this root. */
  files: string[];
  /** Every folder whose kustomization this render loaded (the root, its bases, components and nested resources), sorted. */
  kustomizationDirs: string[];
}

/** The file names Kustomize accepts for a kustomization, in its order of preference. */
export const KUSTOMIZATION_FILE_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;
