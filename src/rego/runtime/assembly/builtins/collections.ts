// Array, object and set builtins.

import { TYPE_NUMBER, TYPE_ARRAY, TYPE_OBJECT, TYPE_SET } from "../layout";
import { numberIsInt, numberInt } from "../number";
import {
  makeArray, arrayAppend, arrayLen, arrayAt, makeObject, objectInsert, objectGet, makeSet, setAdd, setContains,
  iterNext, entryKey, entryValue, valueGet, valueEqual, makeBoolean, tableCount,
} from "../values";
import { typeErr, elemErr, operandErr } from "./util";
import { elemAt } from "./aggregates";
import { isIntegral, sign } from "./numbers";

// @ts-ignore: decorator
@inline function tag(v: usize): u8 {
  return load<u8>(v);
}

export function fwb_array_concat(a: usize, b: usize): usize {
  if (tag(a) != TYPE_ARRAY) return typeErr(1, "array", a);
  if (tag(b) != TYPE_ARRAY) return typeErr(2, "array", b);
  const na = arrayLen(a);
  const nb = arrayLen(b);
  const r = makeArray(na + nb);
  for (let i: u32 = 0; i < na; i++) arrayAppend(r, arrayAt(a, i));
  for (let i: u32 = 0; i < nb; i++) arrayAppend(r, arrayAt(b, i));
  return r;
}

/** Integer operand clamped to i64 (huge values saturate); false after raising an error. */
let intArg: i64 = 0;
function intOperand(v: usize, pos: i32): bool {
  if (tag(v) != TYPE_NUMBER) {
    typeErr(pos, "number", v);
    return false;
  }
  if (!isIntegral(v)) {
    operandErr(pos, "must be integer number but got floating-point number");
    return false;
  }
  intArg = numberIsInt(v) ? numberInt(v) : sign(v) < 0 ? i64.MIN_VALUE : i64.MAX_VALUE;
  return true;
}

export function fwb_array_slice(a: usize, start: usize, stop: usize): usize {
  if (tag(a) != TYPE_ARRAY) return typeErr(1, "array", a);
  if (!intOperand(start, 2)) return 0;
  let s = intArg;
  if (!intOperand(stop, 3)) return 0;
  let e = intArg;
  const n = <i64>arrayLen(a);
  if (s < 0) s = 0;
  if (e > n) e = n;
  const r = makeArray(0);
  for (let i = s; i < e; i++) arrayAppend(r, arrayAt(a, <u32>i));
  return r;
}

export function fwb_array_reverse(a: usize): usize {
  if (tag(a) != TYPE_ARRAY) return typeErr(1, "array", a);
  const n = arrayLen(a);
  const r = makeArray(n);
  for (let i = n; i > 0; i--) arrayAppend(r, arrayAt(a, i - 1));
  return r;
}

export function fwb_object_get(o: usize, key: usize, dflt: usize): usize {
  if (tag(o) != TYPE_OBJECT) return typeErr(1, "object", o);
  if (tag(key) == TYPE_ARRAY) {
    let cur = o;
    const n = arrayLen(key);
    for (let i: u32 = 0; i < n; i++) {
      const t = tag(cur);
      if (t != TYPE_OBJECT && t != TYPE_ARRAY && t != TYPE_SET) return dflt;
      cur = valueGet(cur, arrayAt(key, i));
      if (cur == 0) return dflt;
    }
    return cur;
  }
  const v = objectGet(o, key);
  return v != 0 ? v : dflt;
}

export function fwb_object_keys(o: usize): usize {
  if (tag(o) != TYPE_OBJECT) return typeErr(1, "object", o);
  const r = makeSet();
  for (let i = iterNext(o, -1); i >= 0; i = iterNext(o, i)) setAdd(r, entryKey(o, <u32>i));
  return r;
}

/** Set of keys named by an array, set or object operand (0 after raising). */
function keySet(k: usize): usize {
  const t = tag(k);
  if (t == TYPE_SET) return k;
  const r = makeSet();
  if (t == TYPE_ARRAY) {
    const n = arrayLen(k);
    for (let i: u32 = 0; i < n; i++) setAdd(r, arrayAt(k, i));
    return r;
  }
  if (t == TYPE_OBJECT) {
    for (let i = iterNext(k, -1); i >= 0; i = iterNext(k, i)) setAdd(r, entryKey(k, <u32>i));
    return r;
  }
  return typeErr(2, "one of {object, set, array}", k);
}

function filterKeys(o: usize, k: usize, keep: bool): usize {
  if (tag(o) != TYPE_OBJECT) return typeErr(1, "object", o);
  const keys = keySet(k);
  if (keys == 0) return 0;
  const r = makeObject();
  for (let i = iterNext(o, -1); i >= 0; i = iterNext(o, i)) {
    const key = entryKey(o, <u32>i);
    if (setContains(keys, key) == keep) objectInsert(r, key, entryValue(o, <u32>i));
  }
  return r;
}

export function fwb_object_remove(o: usize, k: usize): usize {
  return filterKeys(o, k, false);
}

export function fwb_object_filter(o: usize, k: usize): usize {
  return filterKeys(o, k, true);
}

function mergeObjects(a: usize, b: usize): usize {
  const r = makeObject();
  for (let i = iterNext(a, -1); i >= 0; i = iterNext(a, i)) {
    const key = entryKey(a, <u32>i);
    const va = entryValue(a, <u32>i);
    const vb = objectGet(b, key);
    if (vb == 0) objectInsert(r, key, va);
    else if (tag(va) == TYPE_OBJECT && tag(vb) == TYPE_OBJECT) objectInsert(r, key, mergeObjects(va, vb));
    else objectInsert(r, key, vb);
  }
  for (let i = iterNext(b, -1); i >= 0; i = iterNext(b, i)) {
    const key = entryKey(b, <u32>i);
    if (objectGet(a, key) == 0) objectInsert(r, key, entryValue(b, <u32>i));
  }
  return r;
}

export function fwb_object_union(a: usize, b: usize): usize {
  if (tag(a) != TYPE_OBJECT) return typeErr(1, "object", a);
  if (tag(b) != TYPE_OBJECT) return typeErr(2, "object", b);
  return mergeObjects(a, b);
}

export function fwb_object_union_n(arr: usize): usize {
  if (tag(arr) != TYPE_ARRAY) return typeErr(1, "array", arr);
  const n = arrayLen(arr);
  let r = makeObject();
  for (let i: u32 = 0; i < n; i++) {
    const o = arrayAt(arr, i);
    if (tag(o) != TYPE_OBJECT) return elemErr(1, arr, "object", o);
    r = mergeObjects(r, o);
  }
  return r;
}

/** OPA's object.subset relation. */
function isSubset(sup: usize, sub: usize): bool {
  const ts = tag(sup);
  const tb = tag(sub);
  if (ts == TYPE_OBJECT && tb == TYPE_OBJECT) {
    for (let i = iterNext(sub, -1); i >= 0; i = iterNext(sub, i)) {
      const v = objectGet(sup, entryKey(sub, <u32>i));
      if (v == 0) return false;
      const w = entryValue(sub, <u32>i);
      const tv = tag(v);
      const tw = tag(w);
      const nested = (tv == TYPE_OBJECT && tw == TYPE_OBJECT) || (tv == TYPE_SET && tw == TYPE_SET) ||
        (tv == TYPE_ARRAY && (tw == TYPE_ARRAY || tw == TYPE_SET));
      if (nested ? !isSubset(v, w) : !valueEqual(v, w)) return false;
    }
    return true;
  }
  if (ts == TYPE_SET && tb == TYPE_SET) {
    for (let i = iterNext(sub, -1); i >= 0; i = iterNext(sub, i)) if (!setContains(sup, entryKey(sub, <u32>i))) return false;
    return true;
  }
  if (ts == TYPE_ARRAY && tb == TYPE_SET) {
    for (let i = iterNext(sub, -1); i >= 0; i = iterNext(sub, i)) {
      const x = entryKey(sub, <u32>i);
      let found = false;
      const n = arrayLen(sup);
      for (let j: u32 = 0; j < n && !found; j++) found = valueEqual(arrayAt(sup, j), x);
      if (!found) return false;
    }
    return true;
  }
  if (ts == TYPE_ARRAY && tb == TYPE_ARRAY) {
    const n = arrayLen(sup);
    const m = arrayLen(sub);
    if (m == 0) return true;
    for (let s: u32 = 0; s + m <= n; s++) {
      let ok = true;
      for (let j: u32 = 0; j < m && ok; j++) ok = valueEqual(arrayAt(sup, s + j), arrayAt(sub, j));
      if (ok) return true;
    }
    return false;
  }
  return valueEqual(sup, sub);
}

export function fwb_object_subset(sup: usize, sub: usize): usize {
  const ts = tag(sup);
  const tb = tag(sub);
  if (ts != TYPE_OBJECT && ts != TYPE_ARRAY && ts != TYPE_SET) return typeErr(1, "one of {object, array, set}", sup);
  if (tb != TYPE_OBJECT && tb != TYPE_ARRAY && tb != TYPE_SET) return typeErr(2, "one of {object, array, set}", sub);
  const ok = (ts == TYPE_OBJECT && tb == TYPE_OBJECT) || (ts == TYPE_SET && tb == TYPE_SET) ||
    (ts == TYPE_ARRAY && (tb == TYPE_ARRAY || tb == TYPE_SET));
  if (!ok) return typeErr(2, ts == TYPE_OBJECT ? "object" : ts == TYPE_SET ? "set" : "one of {array, set}", sub);
  return makeBoolean(isSubset(sup, sub));
}

function setOfSets(s: usize): bool {
  if (tag(s) != TYPE_SET) {
    typeErr(1, "set", s);
    return false;
  }
  for (let i = iterNext(s, -1); i >= 0; i = iterNext(s, i)) {
    const x = entryKey(s, <u32>i);
    if (tag(x) != TYPE_SET) {
      elemErr(1, s, "set", x);
      return false;
    }
  }
  return true;
}

export function fwb_union(s: usize): usize {
  if (!setOfSets(s)) return 0;
  const r = makeSet();
  for (let i = iterNext(s, -1); i >= 0; i = iterNext(s, i)) {
    const x = entryKey(s, <u32>i);
    for (let j = iterNext(x, -1); j >= 0; j = iterNext(x, j)) setAdd(r, entryKey(x, <u32>j));
  }
  return r;
}

export function fwb_intersection(s: usize): usize {
  if (!setOfSets(s)) return 0;
  const r = makeSet();
  const first = iterNext(s, -1);
  if (first < 0) return r;
  const x0 = entryKey(s, <u32>first);
  for (let j = iterNext(x0, -1); j >= 0; j = iterNext(x0, j)) {
    const e = entryKey(x0, <u32>j);
    let all = true;
    for (let i = iterNext(s, first); i >= 0 && all; i = iterNext(s, i)) all = setContains(entryKey(s, <u32>i), e);
    if (all) setAdd(r, e);
  }
  return r;
}

export function collLen(v: usize): u32 {
  return tag(v) == TYPE_ARRAY ? arrayLen(v) : tableCount(v);
}

