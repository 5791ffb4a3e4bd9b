/** Host builtins on objects and documents: object.get/keys, json.filter, json.remove and json.patch. */
import { applyJsonPatch } from "./json-patch.js";
import { arr, obj, typeError, typeName, type HostBuiltinFamily, type Json } from "./operands.js";

/** A json.filter/json.remove path: "a/b/c" or ["a", "b", "c"]. */
function jsonPath(name: string, p: Json): string[] {
  if (typeof p === "string") return p.replace(/^\//, "").split("/").filter((x) => x !== "").map((x) => x.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (Array.isArray(p)) return p.map((x) => (typeof x === "string" ? x : JSON.stringify(x)));
  throw typeError(`${name}: operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`);
}

function childOf(v: Json, key: string): { found: boolean; value: Json } {
  if (Array.isArray(v)) {
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 && i < v.length ? { found: true, value: v[i] } : { found: false, value: undefined };
  }
  if (v !== null && typeof v === "object" && Object.prototype.hasOwnProperty.call(v, key)) return { found: true, value: (v as Record<string, Json>)[key] };
  return { found: false, value: undefined };
}

/** Non-empty paths grouped by their first key: head → the rest of each path. */
function groupByHead(paths: string[][]): Map<string, string[][]> {
  const byHead = new Map<string, string[][]>();
  for (const p of paths) {
    const list = byHead.get(p[0] as string) ?? [];
    list.push(p.slice(1));
    byHead.set(p[0] as string, list);
  }
  return byHead;
}

function filterPaths(v: Json, paths: string[][]): Json {
  if (paths.some((p) => p.length === 0)) return v;
  const byHead = groupByHead(paths);
  if (Array.isArray(v)) {
    const out: Json[] = [];
    v.forEach((x, i) => {
      const sub = byHead.get(String(i));
      if (sub) out.push(filterPaths(x, sub));
    });
    return out;
  }
  const out: Record<string, Json> = {};
  for (const [key, sub] of byHead) {
    const c = childOf(v, key);
    if (c.found) out[key] = filterPaths(c.value, sub);
  }
  return out;
}

function removePaths(v: Json, paths: string[][]): Json {
  if (paths.some((p) => p.length === 0)) return undefined;
  const byHead = groupByHead(paths);
  if (Array.isArray(v)) {
    const out: Json[] = [];
    v.forEach((x, i) => {
      const sub = byHead.get(String(i));
      if (!sub) out.push(x);
      else {
        const r = removePaths(x, sub);
        if (r !== undefined) out.push(r);
      }
    });
    return out;
  }
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, Json> = {};
  for (const [key, x] of Object.entries(v as Record<string, Json>)) {
    const sub = byHead.get(key);
    if (!sub) out[key] = x;
    else {
      const r = removePaths(x, sub);
      if (r !== undefined) out[key] = r;
    }
  }
  return out;
}

export const objectBuiltins: HostBuiltinFamily = {
  "object.get": (o, k, d) => {
    obj("object.get", 0, o);
    const path = Array.isArray(k) ? k : [k];
    let cur: Json = o;
    for (const seg of path) {
      if (Array.isArray(cur) && typeof seg === "number" && Number.isInteger(seg) && seg >= 0 && seg < cur.length) cur = cur[seg];
      else if (cur !== null && typeof cur === "object" && !Array.isArray(cur) && typeof seg === "string" && Object.prototype.hasOwnProperty.call(cur, seg)) cur = (cur as Record<string, Json>)[seg];
      else return d;
    }
    return cur;
  },
  "object.keys": (o) => Object.keys(obj("object.keys", 0, o)).sort(),
  "json.filter": (o, paths) => {
    obj("json.filter", 0, o);
    if (!Array.isArray(paths)) throw typeError(`json.filter: operand 2 must be one of {set, array} but got ${typeName(paths)}`);
    const ps = arr("json.filter", 1, paths).map((p) => jsonPath("json.filter", p));
    return filterPaths(o, ps);
  },
  "json.remove": (o, paths) => {
    obj("json.remove", 0, o);
    if (!Array.isArray(paths)) throw typeError(`json.remove: operand 2 must be one of {set, array} but got ${typeName(paths)}`);
    const ps = arr("json.remove", 1, paths).map((p) => jsonPath("json.remove", p));
    return removePaths(o, ps);
  },
  "json.patch": (doc, patches) => applyJsonPatch(doc, arr("json.patch", 1, patches)),
};
