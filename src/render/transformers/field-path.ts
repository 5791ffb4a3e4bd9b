/**
 * Kustomize's dotted field paths (replacements' `fieldPath`/`fieldPaths`), over plain JSON objects.
 *
 * - `splitDotted(path)`: split at `.` except inside `[...]` (`a.[name=x.y].b` → `a`, `[name=x.y]`, `b`).
 * - `lookupPath(node, parts) → unknown`: one field (`name`, list index `0`, `[key=value]` element whose `key`
 *   equals value, `[=value]` primitive element); undefined when absent.
 * - `matchPath(node, parts, onMatch, create?)`: every field the path reaches, as Kustomize's target matching does:
 *   `*` is every element of a list, `[key=regex]` every element whose `key` matches the RE2 pattern anywhere in its
 *   text (unanchored, as in Kustomize), `N` the N-th element (beyond the end: `RenderError`
 *   `render_replacement_path`). With `create`, a missing field is created (a map, or a list when the next part
 *   indexes one; the last one is left `undefined` for `onMatch` to fill), a `[key=value]` matching nothing appends
 *   `{key: value}`, index N of an N-element list appends. `onMatch(value, set, pointer)` gets the value and a setter.
 */
import type { RE2JS } from "re2js";
import { compileRe2 } from "../re2-cache.js";
import { isPlainObject, pointerToken } from "../fieldspec/fieldspec.js";
import { RenderError } from "../render-error.js";
import { scalarText } from "./scalar.js";

export type Setter = (value: unknown) => void;
export type LeafVisitor = (value: unknown, set: Setter, pointer: string) => void;

export function splitDotted(path: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of path) {
    if (c === "[") depth++;
    if (c === "]") depth = Math.max(0, depth - 1);
    if (c === "." && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

const pathError = (message: string): RenderError => new RenderError("render_replacement_path", message);
const isIndex = (part: string): boolean => /^[0-9]+$/.test(part);
const elementSelector = (part: string): { key: string; value: string } | undefined => {
  const m = /^\[([^=\]]*)=(.*)\]$/.exec(part);
  return m ? { key: m[1]!, value: m[2]! } : undefined;
};
const elementText = (element: unknown, key: string): string | undefined => {
  if (key === "") return element === null || isPlainObject(element) || Array.isArray(element) ? undefined : scalarText(element);
  if (!isPlainObject(element) || !Object.hasOwn(element, key)) return undefined;
  const v = element[key];
  return v === null || isPlainObject(v) || Array.isArray(v) ? undefined : scalarText(v);
};

export function lookupPath(node: unknown, parts: readonly string[]): unknown {
  let current = node;
  for (const part of parts) {
    const sel = elementSelector(part);
    if (sel) current = Array.isArray(current) ? current.find((e) => elementText(e, sel.key) === sel.value) : undefined;
    else if (Array.isArray(current) && isIndex(part)) current = current[Number(part)];
    else current = isPlainObject(current) && Object.hasOwn(current, part) ? current[part] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

export function matchPath(node: unknown, parts: readonly string[], onMatch: LeafVisitor, create = false): void {
  walkMatch(node, parts, 0, "", () => {}, onMatch, create);
}

/** What a created field holds before the walk goes on: a list when the next part indexes one, else a map. */
function freshFor(next: string): unknown {
  return isIndex(next) || elementSelector(next) ? [] : {};
}

function walkMatch(node: unknown, parts: readonly string[], at: number, pointer: string, set: Setter, onMatch: LeafVisitor, create: boolean): void {
  if (at === parts.length) {
    onMatch(node, set, pointer);
    return;
  }
  const part = parts[at]!;
  const sel = elementSelector(part);
  const next = (value: unknown, here: string, setter: Setter): void => walkMatch(value, parts, at + 1, here, setter, onMatch, create);
  if (isIndex(part) || sel || part === "*") {
    if (!Array.isArray(node)) {
      if (node === undefined || node === null || isPlainObject(node)) return;
      throw pathError(`'${part}' needs a list, found a scalar`);
    }
    const list = node;
    const fresh = (): unknown => (at + 1 < parts.length ? freshFor(parts[at + 1]!) : undefined);
    const each = (i: number): void => next(list[i], `${pointer}/${i}`, (v) => (list[i] = v));
    if (isIndex(part)) {
      const i = Number(part);
      if (create && i === list.length) list.push(fresh());
      if (i >= list.length) throw pathError(`index ${i} specified but only ${list.length} elements found`);
      each(i);
    } else if (part === "*") list.forEach((_, i) => each(i));
    else {
      const re = compileUnanchored(sel!.value);
      const matching = (): number[] =>
        list.flatMap((element, i) => {
          const t = elementText(element, sel!.key);
          return t !== undefined && re.matcher(t.trim()).find() ? [i] : [];
        });
      let found = matching();
      if (found.length === 0 && create) {
        list.push(sel!.key === "" ? sel!.value : { [sel!.key]: sel!.value });
        found = matching();
      }
      found.forEach(each);
    }
    return;
  }
  if (!isPlainObject(node)) return;
  const map = node;
  const here = `${pointer}/${pointerToken(part)}`;
  const setter: Setter = (v) => (map[part] = v);
  if (!Object.hasOwn(map, part) || (map[part] === null && at + 1 < parts.length)) {
    if (!create) return;
    if (at + 1 < parts.length) map[part] = freshFor(parts[at + 1]!);
  }
  next(map[part], here, setter);
}

function compileUnanchored(pattern: string): RE2JS {
  try {
    return compileRe2(pattern);
  } catch (e) {
    throw new RenderError("render_selector_invalid", `invalid regular expression '${pattern}' in a field path: ${(e as Error).message}`);
  }
}
