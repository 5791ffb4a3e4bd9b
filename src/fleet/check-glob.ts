import { Minimatch } from "minimatch";

/** Options every Fleetward glob is compiled with: dotfiles match, no comments, no negation, no braces surprises. */
export const GLOB_OPTIONS = { dot: true, nocomment: true, nonegate: true } as const;

/**
 * Checks one repository-relative glob. Returns null when usable, otherwise a message saying why not:
 * empty, absolute, containing `..` or `.` segments, backslashes, negation (`!`), or rejected by minimatch.
 */
export function checkGlob(pattern: string): string | null {
  if (pattern.trim() === "") return "glob is empty";
  if (pattern !== pattern.trim()) return `glob ${JSON.stringify(pattern)} has leading or trailing spaces`;
  if (pattern.startsWith("/")) return `glob ${JSON.stringify(pattern)} is absolute; use a path relative to the repository root`;
  if (pattern.startsWith("!")) return `glob ${JSON.stringify(pattern)} is negated; negation is not supported here (use manifests.exclude)`;
  if (pattern.includes("\\")) return `glob ${JSON.stringify(pattern)} contains a backslash; use forward slashes`;
  const segments = pattern.split("/");
  if (segments.some((s) => s === ".." || s === ".")) {
    return `glob ${JSON.stringify(pattern)} contains a "." or ".." segment; paths are relative to the repository root`;
  }
  if (pattern.endsWith("/")) return `glob ${JSON.stringify(pattern)} ends with "/"; use ${JSON.stringify(`${pattern}**`)} to match a folder`;
  if (segments.slice(0, -1).some((s) => s === "")) return `glob ${JSON.stringify(pattern)} contains an empty path segment ("//")`;
  if (pattern.length > 1000) return "glob is longer than 1000 characters";
  for (const [open, close] of [
    ["[", "]"],
    ["{", "}"],
    ["(", ")"],
  ] as const) {
    let depth = 0;
    // Backslashes (escapes) were refused above, so every bracket counts.
    for (const c of pattern) {
      if (c === open) depth++;
      else if (c === close) depth--;
      if (depth < 0) break;
    }
    if (depth !== 0) return `glob ${JSON.stringify(pattern)} is malformed: unbalanced "${open}" and "${close}"`;
  }
  try {
    if (new Minimatch(pattern, GLOB_OPTIONS).set.length === 0) return `glob ${JSON.stringify(pattern)} matches nothing`;
  } catch (e) {
    return `glob ${JSON.stringify(pattern)} is malformed: ${(e as Error).message}`;
  }
  return null;
}
