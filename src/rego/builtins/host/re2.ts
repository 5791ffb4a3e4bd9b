/**
 * Go's regexp (RE2) for the host builtins, on `re2js`: linear-time matching, and Go's syntax accepted and
 * refused as Go does (no lookaround or backreferences; `(?i)`, `\z`, `[[:alpha:]]`, `\pL`). Compiled
 * patterns are kept in a bounded cache, most recently used last.
 */
import { RE2JS } from "re2js";
import { builtinError } from "./operands.js";

/**
 * The Go-shaped matching API of a compiled pattern (`RE2JS#re2()`, typed `any` by re2js). Indexes are UTF-16
 * offsets into the JS string; `-1` marks a group that did not take part in the match.
 */
export interface GoRegexp {
  match(s: string): boolean;
  findAll(s: string, n: number): string[] | null;
  findAllSubmatch(s: string, n: number): Array<Array<string | null>> | null;
  findAllSubmatchIndex(s: string, n: number): number[][] | null;
}

/** A compiled pattern: Go's matching API and the names of its groups (name → group number). */
export interface Re2Pattern {
  readonly go: GoRegexp;
  readonly groupNames: ReadonlyMap<string, number>;
}

/** Most compiled patterns kept; patterns longer than `MAX_CACHED_PATTERN` characters are not kept. */
const CACHE_ENTRIES = 512;
const MAX_CACHED_PATTERN = 4096;
const cache = new Map<string, Re2Pattern>();

/** Compiles `pattern` as Go's `regexp.Compile` would, or throws the builtin error OPA gives (`name: error parsing regexp: …`). */
export function compileRe2(name: string, pattern: string): Re2Pattern {
  const hit = cache.get(pattern);
  if (hit) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (e) {
    throw builtinError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const entry: Re2Pattern = {
    go: compiled.re2() as GoRegexp,
    groupNames: new Map(Object.entries(compiled.namedGroups())),
  };
  if (pattern.length <= MAX_CACHED_PATTERN) {
    cache.set(pattern, entry);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  return entry;
}

/** Whether Go's regexp accepts `pattern`. */
export function isValidRe2(pattern: string): boolean {
  try {
    compileRe2("regex.is_valid", pattern);
    return true;
  } catch {
    return false;
  }
}

/** Go's `regexp.QuoteMeta`: `text` escaped so it matches itself. */
export function quoteRe2(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/** The number of compiled patterns held (for tests of the cache bound). */
export function re2CacheSize(): number {
  return cache.size;
}
