import { posix } from "node:path";

/**
 * Resolves a path written in a Suite (relative to the suite file's directory, forward slashes) to a repository path.
 * Returns undefined for absolute paths or paths that leave the repository.
 */
export function resolveSuitePath(suiteFile: string, relative: string): string | undefined {
  if (relative === "" || relative.startsWith("/") || /^[a-zA-Z]:[\\/]/.test(relative)) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(suiteFile.replace(/\\/g, "/")), relative.replace(/\\/g, "/")));
  if (joined === ".." || joined.startsWith("../") || joined.startsWith("/")) return undefined;
  return joined.replace(/^\.\//, "");
}
