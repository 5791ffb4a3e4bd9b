/**
 * Kustomize's dotted field paths (replacements' `fieldPath`/`fieldPaths`), over plain JSON objects.
 *
 * - `splitDotted(path)`: split at `.` except inside `[...]` (`a.[name=x.y].b` → `a`, `[name=x.y]`, `b`).
 * - `lookupPath(node, parts) → unknown`: one field (`name`, list index `0`, `[key=value]` element whose `key`
 *   equals value, `[=value]` primitive element); undefined when absent.
 * - `matchPath(node, parts, onMatch)`: every field the path reaches, as Kustomize's target matching does: `*` is
 *   every element of a list, `[key=regex]` every element whose `key` matches the RE2 pattern anywhere in its text
 *   (unanchored, as in Kustomize), `N` the N-th element (beyond the end: `RenderError` `render_replacement_path`).
 *   `onMatch(value, set, pointer)` gets the value and a setter.
 * - `createPath(node, parts, onLeaf)`: the one field the path names, created when missing (maps, or lists when the
 *   next part is an index or `[key=value]`, whose missing element is appended as `{key: value}`; `-` appends);
 *   `onLeaf(value | undefined, set, pointer)`. `*` cannot be created (`render_replacement_path`).
 */
import { RE2JS } from "re2js";
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

export function matchPath(node: unknown, parts: readonly string[], onMatch: LeafVisitor): void {
  walkMatch(node, parts, 0, "", () => {}, onMatch);
}

function walkMatch(node: unknown, parts: readonly string[], at: number, pointer: string, set: Setter, onMatch: LeafVisitor): void {
  if (at === parts.length) {
    onMatch(node, set, pointer);
    return;
  }
  const part = parts[at]!;
  const sel = elementSelector(part);
  if (isIndex(part) || sel || part === "*") {
    if (!Array.isArray(node)) {
      if (node === undefined || node === null || isPlainObject(node)) return;
      throw pathError(`'${part}' needs a list, found a scalar`);
    }
    const list = node;
    const each = (i: number): void =>
      walkMatch(list[i], parts, at + 1, `${pointer}/${i}`, (v) => (list[i] = v), onMatch);
    if (isIndex(part)) {
      const i = Number(part);
      if (i >= list.length) throw pathError(`index ${i} specified but only ${list.length} elements found`);
      each(i);
    } else if (part === "*") list.forEach((_, i) => each(i));
    else {
      const re = compileUnanchored(sel!.value);
      list.forEach((element, i) => {
        const t = elementText(element, sel!.key);
        if (t !== undefined && re.matcher(t.trim()).find()) each(i);
      });
    }
    return;
  }
  if (!isPlainObject(node) || !Object.hasOwn(node, part)) return;
  const map = node;
  walkMatch(map[part], parts, at + 1, `${pointer}/${pointerToken(part)}`, (v) => (map[part] = v), onMatch);
}

function compileUnanchored(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    throw new RenderError("render_selector_invalid", `invalid regular expression '${pattern}' in a field path: ${(e as Error).message}`);
  }
}

export function createPath(node: unknown, parts: readonly string[], onLeaf: LeafVisitor): void {
  let current = node;
  let pointer = "";
  for (let at = 0; at < parts.length; at++) {
    const part = parts[at]!;
    const last = at === parts.length - 1;
    const fresh = (): unknown => (last ? undefined : isIndex(parts[at + 1]!) || parts[at + 1] === "-" || elementSelector(parts[at + 1]!) ? [] : {});
    if (part === "*") throw pathError("cannot support create option in a multi-value target");
    let slot: { get: () => unknown; set: Setter; token: string };
    if (Array.isArray(current)) {
      const list = current;
      const sel = elementSelector(part);
      let i: number;
      if (sel) {
        i = list.findIndex((e) => elementText(e, sel.key) === sel.value);
        if (i < 0) i = list.push(sel.key === "" ? sel.value : { [sel.key]: sel.value }) - 1;
      } else if (part === "-" || (isIndex(part) && Number(part) === list.length)) i = list.push(fresh()) - 1;
      else if (isIndex(part) && Number(part) < list.length) i = Number(part);
      else throw pathError(`cannot create '${part}' in a list of ${list.length} elements`);
      slot = { get: () => list[i], set: (v) => (list[i] = v), token: String(i) };
    } else if (isPlainObject(current)) {
      const map = current;
      if (map[part] === undefined || map[part] === null) {
        const v = fresh();
        if (v !== undefined) map[part] = v;
      }
      slot = { get: () => map[part], set: (v) => (map[part] = v), token: pointerToken(part) };
    } else {
      throw pathError(`cannot create '${parts.join(".")}': '${part}' is under a scalar`);
    }
    pointer += `/${slot.token}`;
    if (last) onLeaf(slot.get(), slot.set, pointer);
    else current = slot.get();
  }
}
