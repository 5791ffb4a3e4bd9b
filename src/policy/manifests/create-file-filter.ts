import { minimatch } from "minimatch";

export interface FileFilterOptions {
  /** Globs a file must match (any). Default: YAML and JSON files anywhere. */
  include?: readonly string[];
  /** Globs that drop a file even when it is included (any). */
  exclude?: readonly string[];
  /** Whether `*` and `**` match names starting with a dot. Default false (hidden directories are left out). */
  dot?: boolean;
}

export const DEFAULT_MANIFEST_INCLUDE: readonly string[] = ["**/*.yaml", "**/*.yml", "**/*.json"];

/** A predicate over repository-relative paths (forward slashes), built from include/exclude globs (minimatch). */
export function createFileFilter(options: FileFilterOptions = {}): (path: string) => boolean {
  const include = options.include ?? DEFAULT_MANIFEST_INCLUDE;
  const exclude = options.exclude ?? [];
  const opts = { dot: options.dot ?? false };
  return (path: string): boolean => {
    const p = path.replace(/^\.\//, "");
    return include.some((g) => minimatch(p, g, opts)) && !exclude.some((g) => minimatch(p, g, opts));
  };
}
