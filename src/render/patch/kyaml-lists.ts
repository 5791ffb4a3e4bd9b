/**
 * The element operations kyaml's merge uses on lists, over plain JSON values (internal to the strategic merge):
 * how elements are found by their merge-key values, replaced, removed and appended. Keys compare as YAML scalar
 * text (`80` and `"80"` are the same key), as kyaml compares node values. Arrays are changed in place, because
 * kyaml's list nodes are shared between the merge's sources and the changes are visible through both.
 */
import { RenderError } from "../render-error.js";

export type Json = unknown;
export type JsonMap = Record<string, unknown>;

export function isMap(v: Json): v is JsonMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isEmptyMap(v: Json): boolean {
  return isMap(v) && Object.keys(v).length === 0;
}

/** Deeper than any Kubernetes object: a value nested more (or a cycle, which a YAML alias can make) is refused. */
export const MAX_PATCH_DEPTH = 256;

/**
 * A deep copy of a JSON value (much faster than structuredClone for small objects). Error `render_patch_too_deep`
 * beyond MAX_PATCH_DEPTH levels, so that a self-referencing alias cannot overflow the stack.
 */
export function cloneJson<T>(v: T, depth = 0): T {
  if (typeof v !== "object" || v === null) return v;
  if (depth >= MAX_PATCH_DEPTH) {
    throw new RenderError("render_patch_too_deep", `an object or patch nests more than ${MAX_PATCH_DEPTH} levels (or refers to itself through a YAML alias)`);
  }
  if (Array.isArray(v)) return v.map((e) => cloneJson(e, depth + 1)) as T;
  const out: JsonMap = {};
  for (const k of Object.keys(v)) out[k] = cloneJson((v as JsonMap)[k], depth + 1);
  return out as T;
}

/** A node's scalar text as kyaml reads `Value`: "" for null, maps and lists. */
export function scalarText(v: Json): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return "";
}

/** Each element's values of the keys ("" where missing, null or empty), as kyaml's ElementValuesList. */
export function elementValuesList(list: readonly Json[], keys: readonly string[]): string[][] {
  return list.map((e) => keys.map((k) => (isMap(e) && Object.hasOwn(e, k) ? scalarText(e[k]) : "")));
}

/** Keeps the keys some element has a value for (all keys when none has any), as kyaml's validateKeys. */
export function validateKeys(valuesList: readonly string[][], values: readonly string[], keys: readonly string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== "" && valid.add(keys[i] ?? ""));
  if (valid.size === 0) return [[...keys], [...values]];
  const validKeys = keys.filter((k) => valid.has(k));
  const validValues = values.filter((v, i) => v !== "" || valid.has(keys[i] ?? ""));
  return [validKeys, validValues];
}

/** Unifies value lists that differ only where one is empty (a port without protocol is the same port), in place. */
export function mergeValues(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    // as kyaml's range loop: the i-th list as it was when its turn came, even after it is replaced below
    const current = valuesList[i] ?? [];
    for (let j = 0; j < valuesList.length; j++) {
      const merged = unify(current, valuesList[j] ?? []);
      if (merged !== undefined) {
        valuesList[i] = merged;
        valuesList[j] = merged;
      }
    }
  }
}

function unify(a: readonly string[], b: readonly string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x === y) {
      common = true;
      out.push(x);
    } else if (x !== "" && y !== "") return undefined;
    else out.push(x !== "" ? x : y);
  }
  return common ? out : undefined;
}

/** The first element whose key fields hold these values (primitive lists: key "", the element's own text). */
export function findElement(list: readonly Json[] | undefined, keys: readonly string[], values: readonly string[]): Json | undefined {
  if (list === undefined) return undefined;
  if (keys.length === 0 || keys[0] === "") return list.find((e) => scalarText(e) === (values[0] ?? ""));
  return list.find((e) => isMap(e) && keys.every((k, i) => Object.hasOwn(e, k) && scalarText(e[k]) === (values[i] ?? "")));
}

function kindName(e: Json): string {
  return Array.isArray(e) ? "a list" : isMap(e) ? "a map" : "a scalar";
}

/** kyaml's error for an element of the wrong kind in a merged list (Kustomize fails the build the same way). */
function wrongElement(e: Json, expected: string): never {
  throw new RenderError(
    "render_patch_kind_mismatch",
    `strategic merge patch: a merged list has an element that is ${kindName(e)} where ${expected} is expected: ${JSON.stringify(e)}`,
  );
}

/** kyaml's FieldMatcher with a string value: "" only asks for the field to be there. */
function fieldMatches(e: Json, key: string, value: string): boolean {
  if (key === "") {
    if (isMap(e) || Array.isArray(e)) wrongElement(e, "a scalar");
    return scalarText(e) === value;
  }
  if (!isMap(e)) wrongElement(e, "a map");
  if (!Object.hasOwn(e, key)) return false;
  return value === "" || scalarText(e[key]) === value;
}

/**
 * kyaml's ElementSetter, in place: every element matching the key values is replaced by `element` (removed when
 * `element` is undefined); without a match `element` is appended. Null and empty-map elements are dropped.
 */
export function setElement(list: Json[], element: Json | undefined, keys: readonly string[], values: readonly string[]): void {
  const effectiveKeys = keys.length === 0 ? [""] : keys;
  const mappingSetter = effectiveKeys[0] !== "" && values.length > 0 && values[0] !== "";
  const out: Json[] = [];
  let found = false;
  for (const e of list) {
    if (e === null || e === undefined || isEmptyMap(e)) continue;
    if (!isMap(e) && mappingSetter) {
      out.push(e);
      continue;
    }
    let matched = true;
    let last = false;
    for (let j = 0; j < effectiveKeys.length; j++) {
      if (j < values.length) last = fieldMatches(e, effectiveKeys[j] ?? "", values[j] ?? "");
      if (!last) {
        matched = false;
        break;
      }
    }
    if (!matched) {
      if (values.length > 0) out.push(e);
      continue;
    }
    found = true;
    if (element !== undefined) out.push(element);
  }
  list.splice(0, list.length, ...out);
  // a null element replaces matches (kyaml holds a null node, not no node) but is never appended
  if (element !== undefined && element !== null && !found) list.push(element);
}

/** kyaml's appendListNode: sets each element of `src` into `dst` by its key values (in place, returns `dst`). */
export function appendList(dst: Json[], src: readonly Json[], keys: readonly string[]): Json[] {
  for (const elem of [...src]) {
    if (keys[0] === "" || keys.length === 0) {
      setElement(dst, elem, [""], [scalarText(elem)]);
      continue;
    }
    if (elem !== null && !isMap(elem)) wrongElement(elem, "a map");
    const values: string[] = [];
    for (const key of keys) {
      if (isMap(elem) && Object.hasOwn(elem, key)) values.push(scalarText(elem[key]));
      else dst.push(elem);
    }
    if (keys.length > 1) setElement(dst, undefined, keys, values);
    setElement(dst, elem, keys, values);
  }
  return dst;
}
