/**
 * kubectl's (apimachinery's) strategic merge directives that Kustomize does not implement (it keeps them in the
 * output as plain fields), applied only when strategicMerge's `apimachineryDirectives` option asks for them:
 *
 *   takeDirectives(patchMap): MapDirectives | undefined       removes the directives from one patch map
 *   applyDirectives(merged, directives, mergeKeysOf): void     applies them to the merged map, in place
 *
 * - `$retainKeys: [a, b]`: the merged map keeps only those keys;
 * - `$deleteFromPrimitiveList/<list>: [x]`: those values are removed from the primitive list `<list>`;
 * - `$setElementOrder/<list>: [...]`: the merged list follows that order (elements named by their merge keys, or
 *   primitives); elements it does not name keep their relative order after the named ones.
 * A directive whose value is not a list is error `render_patch_directive`.
 */
import { RenderError } from "../render-error.js";
import { isMap, scalarText, type Json, type JsonMap } from "./kyaml-lists.js";

const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM = "$deleteFromPrimitiveList/";
const ELEMENT_ORDER = "$setElementOrder/";

export interface MapDirectives {
  retainKeys?: string[];
  deleteFrom: Map<string, Json[]>;
  elementOrder: Map<string, Json[]>;
}

function listValue(map: JsonMap, key: string): Json[] {
  const v = map[key];
  if (!Array.isArray(v)) throw new RenderError("render_patch_directive", `strategic merge patch: ${key} must be a list`);
  return v;
}

export function takeDirectives(patch: JsonMap): MapDirectives | undefined {
  let found: MapDirectives | undefined;
  for (const key of Object.keys(patch)) {
    const isDirective = key === RETAIN_KEYS || key.startsWith(DELETE_FROM) || key.startsWith(ELEMENT_ORDER);
    if (!isDirective) continue;
    found ??= { deleteFrom: new Map(), elementOrder: new Map() };
    const list = listValue(patch, key);
    if (key === RETAIN_KEYS) found.retainKeys = list.map(scalarText);
    else if (key.startsWith(DELETE_FROM)) found.deleteFrom.set(key.slice(DELETE_FROM.length), list);
    else found.elementOrder.set(key.slice(ELEMENT_ORDER.length), list);
    delete patch[key];
  }
  return found;
}

export function applyDirectives(merged: JsonMap, directives: MapDirectives, mergeKeysOf: (field: string) => string[]): void {
  if (directives.retainKeys !== undefined) {
    const keep = new Set(directives.retainKeys);
    for (const key of Object.keys(merged)) if (!keep.has(key)) delete merged[key];
  }
  for (const [field, values] of directives.deleteFrom) {
    const list = merged[field];
    if (!Array.isArray(list)) continue;
    const drop = new Set(values.map(scalarText));
    merged[field] = list.filter((e) => !drop.has(scalarText(e)));
  }
  for (const [field, order] of directives.elementOrder) {
    const list = merged[field];
    if (Array.isArray(list)) merged[field] = reorder(list, order, mergeKeysOf(field));
  }
}

function identity(e: Json, keys: readonly string[]): string {
  if (keys.length === 0 || !isMap(e)) return JSON.stringify([scalarText(e)]);
  return JSON.stringify(keys.map((k) => scalarText(e[k])));
}

function reorder(list: Json[], order: Json[], keys: readonly string[]): Json[] {
  const rank = new Map<string, number>();
  order.forEach((e, i) => rank.set(identity(e, keys), i));
  const ranked = list.map((e, i) => ({ e, i, r: rank.get(identity(e, keys)) ?? order.length }));
  ranked.sort((a, b) => a.r - b.r || a.i - b.i);
  return ranked.map((x) => x.e);
}
