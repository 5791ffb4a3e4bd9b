/**
 * Path helpers shared by bundle reading and writing: entrypoints (`a/b` or `data.a.b`), manifest roots and the
 * containment rules OPA applies to them (`RootPathsContain`, `RootPathsOverlap` in OPA's bundle package).
 */

/** `data.a.b`, `a/b` and `/a/b/` → `a/b` (OPA's two spellings of an entrypoint; the dotted one needs `data.`). */
export function normalizeEntrypoint(entrypoint: string): string {
  const e = entrypoint.trim();
  if (e === "data") return "";
  if (e.startsWith("data.")) return e.slice("data.".length).split(".").join("/");
  return e.replace(/^\/+|\/+$/g, "");
}

/** The segments of a slash path; `""` is the root (no segments). */
export function pathSegments(path: string): string[] {
  const p = path.replace(/^\/+|\/+$/g, "");
  return p === "" ? [] : p.split("/");
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

/** Whether `path` is at or below one of `roots` (the root `""` contains everything). */
export function rootsContain(roots: readonly string[], path: string): boolean {
  const p = pathSegments(path);
  return roots.some((r) => startsWith(p, pathSegments(r)));
}

/** Whether two roots overlap: one is at or below the other. */
export function rootsOverlap(a: string, b: string): boolean {
  const x = pathSegments(a);
  const y = pathSegments(b);
  return startsWith(x, y) || startsWith(y, x);
}

/** A bundle path with exactly one leading slash and no `.` or empty segments (`./a//b.rego` → `/a/b.rego`). */
export function bundlePath(path: string): string {
  return "/" + path.split("/").filter((s) => s !== "" && s !== ".").join("/");
}
