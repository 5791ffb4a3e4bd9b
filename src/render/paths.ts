/**
 * Repository paths as the renderer uses them: POSIX, relative to the repository root, no leading `./`, no trailing
 * `/`, the root is `""`. Pure string functions; nothing here touches a file system.
 */

/** Joins `rel` to the folder `dir` and normalizes `.`/`..`; undefined when the result leaves the repository. */
export function joinPath(dir: string, rel: string): string | undefined {
  const parts = dir === "" ? [] : dir.split("/");
  for (const seg of rel.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join("/");
}

/** True when `path` is `dir` or inside it. */
export function isWithin(path: string, dir: string): boolean {
  return dir === "" || path === dir || path.startsWith(dir + "/");
}

/** The folder holding `path` (`""` for a top-level entry). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** The last segment of `path`. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** `path` relative to the folder `from` (both repository paths), e.g. `../base/deploy.yaml`. */
export function relativePath(from: string, path: string): string {
  const a = from === "" ? [] : from.split("/");
  const b = path === "" ? [] : path.split("/");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => "..");
  return [...up, ...b.slice(i)].join("/");
}
