/**
 * Compiled RE2 patterns, kept by pattern text: the renderer matches the same few patterns (patch targets, selectors,
 * `[name=value]` list selectors of field paths) over every resource of every root, and an RE2 compile costs about as
 * much as forty matches. Bounded (`RE2_CACHE_LIMIT` patterns; the oldest go first). A compiled RE2JS holds no state
 * between matches, so one can serve every caller. Invalid patterns are not kept: each use throws re2js's error again.
 */
import { RE2JS } from "re2js";

export const RE2_CACHE_LIMIT = 1024;

const compiled = new Map<string, RE2JS>();

/** `RE2JS.compile(pattern)`, once per pattern text; throws re2js's error for an invalid pattern. */
export function compileRe2(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (compiled.size >= RE2_CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
    compiled.set(pattern, re);
  }
  return re;
}

/** How many compiled patterns are kept (for tests). */
export function re2CacheSize(): number {
  return compiled.size;
}
