// Value constructors, accessors, hashing, equality and the object/set hash tables.

import { malloc, mallocInline, calloc, grow } from "./allocator";
import {
  TYPE_NULL, TYPE_BOOLEAN, TYPE_NUMBER, TYPE_STRING, TYPE_ARRAY, TYPE_OBJECT, TYPE_SET,
  NUM_INT, ENTRY_SIZE, NULL_VALUE, TRUE_VALUE, FALSE_VALUE,
} from "./layout";
import { numberEqual, numberInt, decNeg, decExp, decLen, decLimbs, numberToIndex } from "./number";

// ---------------------------------------------------------------- scalars

export function makeBoolean(b: bool): usize {
  return b ? TRUE_VALUE : FALSE_VALUE;
}

export function makeNull(): usize {
  return NULL_VALUE;
}

/**
 * String value referencing `len` bytes at `ptr` (no copy: the bytes must stay valid). The hash cache (u32@12)
 * starts empty: heap memory is reused between evaluations, so it is always written here.
 */
export function makeStringRef(ptr: usize, len: u32): usize {
  const v = malloc(16);
  store<u32>(v, <u32>TYPE_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, <u32>ptr, 8);
  store<u32>(v, 0, 12);
  return v;
}

/** String value owning a copy of `len` bytes at `ptr` (stored right after the value, one allocation). */
export function makeStringCopy(ptr: usize, len: u32): usize {
  const v = allocString(len);
  memory.copy(v + 16, ptr, <usize>len);
  return v;
}

/**
 * String value of `len` bytes whose bytes follow it in the same block (at v + 16); the caller writes them
 * before the value is used.
 */
export function allocString(len: u32): usize {
  const v = mallocInline(16 + <usize>len);
  store<u32>(v, <u32>TYPE_STRING);
  store<u32>(v, len, 4);
  store<u32>(v, <u32>(v + 16), 8);
  store<u32>(v, 0, 12);
  return v;
}

// @ts-ignore: decorator
@inline export function stringLen(v: usize): u32 {
  return load<u32>(v, 4);
}
// @ts-ignore: decorator
@inline export function stringPtr(v: usize): usize {
  return <usize>load<u32>(v, 8);
}

// ---------------------------------------------------------------- arrays

/** Empty array with room for `cap` elements, which follow the header in the same block. */
export function makeArray(cap: u32): usize {
  const v = mallocInline(16 + (<usize>cap << 2));
  store<u32>(v, <u32>TYPE_ARRAY);
  store<u32>(v, 0, 4);
  store<u32>(v, cap, 8);
  store<u32>(v, cap > 0 ? <u32>(v + 16) : 0, 12);
  return v;
}

// @ts-ignore: decorator
@inline export function arrayLen(a: usize): u32 {
  return load<u32>(a, 4);
}
// @ts-ignore: decorator
@inline export function arrayElems(a: usize): usize {
  return <usize>load<u32>(a, 12);
}
// @ts-ignore: decorator
@inline export function arrayAt(a: usize, i: u32): usize {
  return <usize>load<u32>(arrayElems(a) + (<usize>i << 2));
}

export function arrayAppend(a: usize, v: usize): void {
  const len = arrayLen(a);
  let cap = load<u32>(a, 8);
  if (len == cap) {
    const ncap = cap < 4 ? 4 : cap << 1;
    const elems = grow(arrayElems(a), <usize>cap << 2, <usize>ncap << 2);
    store<u32>(a, <u32>elems, 12);
    store<u32>(a, ncap, 8);
    cap = ncap;
  }
  store<u32>(arrayElems(a) + (<usize>len << 2), <u32>v);
  store<u32>(a, len + 1, 4);
}

/** Array value adopting an existing element buffer of `len` pointers. */
export function makeArrayFrom(elems: usize, len: u32): usize {
  const v = malloc(16);
  store<u32>(v, <u32>TYPE_ARRAY);
  store<u32>(v, len, 4);
  store<u32>(v, len, 8);
  store<u32>(v, <u32>elems, 12);
  return v;
}

// ---------------------------------------------------------------- hashing

// @ts-ignore: decorator
@inline function mix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/** Hash of `len` bytes at `p`: 8 bytes per step (the last step may overlap the previous one), never reading past p + len. */
function hashBytes(p: usize, len: u32, seed: u32): u32 {
  const K: u64 = 0x9e3779b97f4a7c15;
  let h: u64 = (<u64>seed << 32 | <u64>len) * K;
  const n = <usize>len;
  if (n >= 8) {
    let i: usize = 0;
    for (; i + 8 < n; i += 8) {
      h = (h ^ load<u64>(p + i)) * K;
      h ^= h >> 29;
    }
    h = (h ^ load<u64>(p + n - 8)) * K;
  } else if (n > 0) {
    let x: u64;
    if (n >= 4) x = <u64>load<u32>(p) | (<u64>load<u32>(p + n - 4) << 32);
    else x = <u64>load<u8>(p) | (<u64>load<u8>(p + (n >> 1)) << 8) | (<u64>load<u8>(p + n - 1) << 16);
    h = (h ^ x) * K;
  }
  h ^= h >> 32;
  return mix32(<u32>h);
}

/**
 * Hash of a string value, computed once and cached in the value (u32@12, 0 = not computed yet; a hash that
 * comes out as 0 is stored as 1). Strings are never changed after they are first hashed.
 */
// @ts-ignore: decorator
@inline export function stringHash(v: usize): u32 {
  let h = load<u32>(v, 12);
  if (h == 0) h = hashStringBytes(v);
  return h;
}

function hashStringBytes(v: usize): u32 {
  const h = hashStringContent(stringPtr(v), stringLen(v));
  store<u32>(v, h, 12);
  return h;
}

/** The hash a string value of these `len` bytes has (never 0). */
export function hashStringContent(p: usize, len: u32): u32 {
  const h = hashBytes(p, len, 0x5bd1e995);
  return h == 0 ? 1 : h;
}

/** hashValue with the common case, a string whose hash is cached, inline. */
// @ts-ignore: decorator
@inline function keyHash(k: usize): u32 {
  if (load<u8>(k) == TYPE_STRING) {
    const h = load<u32>(k, 12);
    return h != 0 ? h : hashStringBytes(k);
  }
  return hashValue(k);
}

export function hashValue(v: usize): u32 {
  const t = load<u8>(v);
  switch (t) {
    case TYPE_NULL:
      return 0x9e3779b9;
    case TYPE_BOOLEAN:
      return load<u32>(v, 4) != 0 ? 0x27d4eb2f : 0x165667b1;
    case TYPE_NUMBER: {
      if (load<u8>(v, 1) == NUM_INT) {
        const x = numberInt(v);
        return mix32(<u32>x ^ mix32(<u32>(x >>> 32) + 0x3c6ef372));
      }
      const h = hashBytes(decLimbs(v), decLen(v) << 2, <u32>decExp(v) * 31 + (decNeg(v) ? 7 : 3));
      return mix32(h + 0x61c88647);
    }
    case TYPE_STRING:
      return stringHash(v);
    case TYPE_ARRAY: {
      let h: u32 = 0x2545f491;
      const n = arrayLen(v);
      for (let i: u32 = 0; i < n; i++) h = mix32(h * 31 + hashValue(arrayAt(v, i)));
      return mix32(h ^ n);
    }
    case TYPE_OBJECT:
    case TYPE_SET: {
      // Order-independent: sum of per-entry hashes.
      let h: u32 = t == TYPE_OBJECT ? 0x4f1bbcdc : 0x7ed55d16;
      const used = tableUsed(v);
      const ents = tableEntries(v);
      for (let i: u32 = 0; i < used; i++) {
        const e = ents + <usize>i * ENTRY_SIZE;
        const k = <usize>load<u32>(e);
        if (k == 0) continue;
        const hk = load<u32>(e, 8);
        h += t == TYPE_OBJECT ? mix32(hk * 0x9e3779b1 ^ hashValue(<usize>load<u32>(e, 4))) : mix32(hk);
      }
      return mix32(h ^ tableCount(v));
    }
  }
  return 0;
}

// ---------------------------------------------------------------- equality

/** Whether `n` bytes at `p` and `q` are equal (8 bytes at a time). */
// @ts-ignore: decorator
@inline export function bytesEqual(p: usize, q: usize, n: usize): bool {
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) if (load<u64>(p + i) != load<u64>(q + i)) return false;
  if (i + 4 <= n) {
    if (load<u32>(p + i) != load<u32>(q + i)) return false;
    i += 4;
  }
  for (; i < n; i++) if (load<u8>(p + i) != load<u8>(q + i)) return false;
  return true;
}

/** Equality of two string values: length, cached hashes when both are known, then the bytes. */
function stringEqual(a: usize, b: usize): bool {
  const n = stringLen(a);
  if (n != stringLen(b)) return false;
  const ha = load<u32>(a, 12);
  const hb = load<u32>(b, 12);
  if (ha != hb && ha != 0 && hb != 0) return false;
  const pa = stringPtr(a);
  const pb = stringPtr(b);
  return pa == pb || bytesEqual(pa, pb, <usize>n);
}

/** Equality of a table key with a looked-up key whose hashes are known to be equal. */
// @ts-ignore: decorator
@inline function keyEqual(k: usize, key: usize): bool {
  if (k == key) return true;
  const t = load<u8>(k);
  if (t == TYPE_STRING) {
    if (load<u8>(key) != TYPE_STRING) return false;
    const n = stringLen(k);
    return n == stringLen(key) && bytesEqual(stringPtr(k), stringPtr(key), <usize>n);
  }
  return valueEqual(k, key);
}

export function valueEqual(a: usize, b: usize): bool {
  if (a == b) return true;
  const t = load<u8>(a);
  if (t != load<u8>(b)) return false;
  switch (t) {
    case TYPE_NULL:
      return true;
    case TYPE_BOOLEAN:
      return load<u32>(a, 4) == load<u32>(b, 4);
    case TYPE_NUMBER:
      return numberEqual(a, b);
    case TYPE_STRING:
      return stringEqual(a, b);
    case TYPE_ARRAY: {
      const n = arrayLen(a);
      if (n != arrayLen(b)) return false;
      for (let i: u32 = 0; i < n; i++) if (!valueEqual(arrayAt(a, i), arrayAt(b, i))) return false;
      return true;
    }
    case TYPE_OBJECT:
    case TYPE_SET: {
      if (tableCount(a) != tableCount(b)) return false;
      const used = tableUsed(a);
      const ents = tableEntries(a);
      for (let i: u32 = 0; i < used; i++) {
        const e = ents + <usize>i * ENTRY_SIZE;
        const k = <usize>load<u32>(e);
        if (k == 0) continue;
        const j = tableFind(b, k, load<u32>(e, 8));
        if (j < 0) return false;
        if (t == TYPE_OBJECT && !valueEqual(<usize>load<u32>(e, 4), entryValue(b, <u32>j))) return false;
      }
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- objects and sets

/**
 * Empty table. With `cap` > 0 (at most SMALL_TABLE_MAX) the entries array for `cap` entries follows the
 * header in the same block (header padded to 32 bytes), so a small table's header and entries share cache
 * lines and its first inserts allocate nothing.
 */
function makeTable(t: u8, cap: u32): usize {
  const v = mallocInline(cap == 0 ? 28 : 32 + <usize>cap * ENTRY_SIZE);
  store<u32>(v, <u32>t);
  store<u32>(v, 0, 4);
  store<u32>(v, 0, 8);
  store<u32>(v, cap, 12);
  store<u32>(v, cap == 0 ? 0 : <u32>(v + 32), 16);
  store<u32>(v, 0, 20);
  store<u32>(v, 0, 24);
  return v;
}

/** Entries allocated with a new object or set (most have a few members). */
const INITIAL_TABLE_CAP: u32 = 4;

export function makeObject(): usize {
  return makeTable(TYPE_OBJECT, INITIAL_TABLE_CAP);
}

export function makeSet(): usize {
  return makeTable(TYPE_SET, INITIAL_TABLE_CAP);
}

/** An object that stays empty (no room for entries until the first insert). */
export function makeEmptyObject(): usize {
  return makeTable(TYPE_OBJECT, 0);
}

/** A set that stays empty (no room for members until the first add). */
export function makeEmptySet(): usize {
  return makeTable(TYPE_SET, 0);
}

// @ts-ignore: decorator
@inline export function tableCount(v: usize): u32 {
  return load<u32>(v, 4);
}
// @ts-ignore: decorator
@inline export function tableUsed(v: usize): u32 {
  return load<u32>(v, 8);
}
// @ts-ignore: decorator
@inline export function tableEntries(v: usize): usize {
  return <usize>load<u32>(v, 16);
}
// @ts-ignore: decorator
@inline export function entryKey(v: usize, i: u32): usize {
  return <usize>load<u32>(tableEntries(v) + <usize>i * ENTRY_SIZE);
}
// @ts-ignore: decorator
@inline export function entryValue(v: usize, i: u32): usize {
  return <usize>load<u32>(tableEntries(v) + <usize>i * ENTRY_SIZE, 4);
}

/**
 * Tables with an entry capacity of at most SMALL_TABLE_MAX have no index (ptr@20 = 0): lookups scan the
 * entries comparing stored hashes. Most objects are this small; they cost no index allocation.
 */
const SMALL_TABLE_MAX: u32 = 8;

/** Entry index of `key` (with precomputed hash), or -1. */
export function tableFind(v: usize, key: usize, h: u32): i32 {
  const index = <usize>load<u32>(v, 20);
  const ents = tableEntries(v);
  if (index == 0) {
    const used = tableUsed(v);
    for (let i: u32 = 0; i < used; i++) {
      const e = ents + <usize>i * ENTRY_SIZE;
      if (load<u32>(e, 8) != h) continue;
      const k = <usize>load<u32>(e);
      if (k != 0 && keyEqual(k, key)) return <i32>i;
    }
    return -1;
  }
  const mask = load<u32>(v, 24);
  let i = h & mask;
  while (true) {
    const slot = load<u32>(index + (<usize>i << 2));
    if (slot == 0) return -1;
    const e = ents + <usize>(slot - 1) * ENTRY_SIZE;
    if (load<u32>(e, 8) == h) {
      const k = <usize>load<u32>(e);
      if (k != 0 && keyEqual(k, key)) return <i32>(slot - 1);
    }
    i = (i + 1) & mask;
  }
  return -1;
}

/** Rebuilds entries (compacting removed ones) and the index for `cap` entries. */
function rehash(v: usize, cap: u32): void {
  const oldEnts = tableEntries(v);
  const used = tableUsed(v);
  const ents = malloc(<usize>cap * ENTRY_SIZE);
  let n: u32 = 0;
  for (let i: u32 = 0; i < used; i++) {
    const e = oldEnts + <usize>i * ENTRY_SIZE;
    if (load<u32>(e) == 0) continue;
    memory.copy(ents + <usize>n * ENTRY_SIZE, e, ENTRY_SIZE);
    n++;
  }
  let index: usize = 0;
  let mask: u32 = 0;
  if (cap > SMALL_TABLE_MAX) {
    const slots = cap << 1;
    mask = slots - 1;
    index = calloc(<usize>slots << 2);
    for (let i: u32 = 0; i < n; i++) {
      let j = load<u32>(ents + <usize>i * ENTRY_SIZE, 8) & mask;
      while (load<u32>(index + (<usize>j << 2)) != 0) j = (j + 1) & mask;
      store<u32>(index + (<usize>j << 2), i + 1);
    }
  }
  store<u32>(v, n, 4);
  store<u32>(v, n, 8);
  store<u32>(v, cap, 12);
  store<u32>(v, <u32>ents, 16);
  store<u32>(v, <u32>index, 20);
  store<u32>(v, mask, 24);
}

/** Inserts or replaces; returns the entry index. */
function tablePut(v: usize, key: usize, value: usize): u32 {
  const h = keyHash(key);
  const found = tableFind(v, key, h);
  if (found >= 0) {
    store<u32>(tableEntries(v) + <usize>found * ENTRY_SIZE, <u32>value, 4);
    return <u32>found;
  }
  return tableAppend(v, key, value, h);
}

/** Adds an entry for `key` (hash `h`), which must not be in the table; returns the entry index. */
// @ts-ignore: decorator
@inline function tableAppend(v: usize, key: usize, value: usize, h: u32): u32 {
  let cap = load<u32>(v, 12);
  if (tableUsed(v) == cap) {
    const live = tableCount(v);
    let ncap: u32 = 4;
    while (ncap < live * 2 || ncap <= live) ncap <<= 1;
    rehash(v, ncap);
    cap = ncap;
  }
  const i = tableUsed(v);
  const e = tableEntries(v) + <usize>i * ENTRY_SIZE;
  store<u32>(e, <u32>key);
  store<u32>(e, <u32>value, 4);
  store<u32>(e, h, 8);
  const index = <usize>load<u32>(v, 20);
  if (index != 0) {
    const mask = load<u32>(v, 24);
    let j = h & mask;
    while (load<u32>(index + (<usize>j << 2)) != 0) j = (j + 1) & mask;
    store<u32>(index + (<usize>j << 2), i + 1);
  }
  store<u32>(v, i + 1, 8);
  store<u32>(v, tableCount(v) + 1, 4);
  return i;
}

export function objectInsert(o: usize, key: usize, value: usize): void {
  tablePut(o, key, value);
}

/** Inserts `key`, known not to be in `o` (no lookup: a key already there would be held twice). */
export function objectAppend(o: usize, key: usize, value: usize): void {
  tableAppend(o, key, value, keyHash(key));
}

export function objectGet(o: usize, key: usize): usize {
  const i = tableFind(o, key, keyHash(key));
  return i < 0 ? 0 : entryValue(o, <u32>i);
}

/** Removes `key`; returns true if it was present. */
export function tableRemove(v: usize, key: usize): bool {
  const i = tableFind(v, key, keyHash(key));
  if (i < 0) return false;
  store<u32>(tableEntries(v) + <usize>i * ENTRY_SIZE, 0);
  store<u32>(v, tableCount(v) - 1, 4);
  return true;
}

export function setAdd(s: usize, v: usize): void {
  tablePut(s, v, 0);
}

export function setContains(s: usize, v: usize): bool {
  return tableFind(s, v, keyHash(v)) >= 0;
}

/** Next live entry index after `i` (start with -1), or -1 at the end. Arrays: next element index. */
export function iterNext(v: usize, i: i32): i32 {
  const t = load<u8>(v);
  if (t == TYPE_ARRAY) {
    const j = i + 1;
    return <u32>j < arrayLen(v) ? j : -1;
  }
  if (t != TYPE_OBJECT && t != TYPE_SET) return -1;
  const used = tableUsed(v);
  for (let j = <u32>(i + 1); j < used; j++) {
    if (entryKey(v, j) != 0) return <i32>j;
  }
  return -1;
}

/** Number of elements of a string (bytes), array, object or set; 0 otherwise. */
export function valueLength(v: usize): u32 {
  const t = load<u8>(v);
  if (t == TYPE_STRING) return stringLen(v);
  if (t == TYPE_ARRAY) return arrayLen(v);
  if (t == TYPE_OBJECT || t == TYPE_SET) return tableCount(v);
  return 0;
}

/** Rego reference step v[key]: array index, object lookup, set membership. 0 = undefined. */
export function valueGet(v: usize, key: usize): usize {
  if (v == 0 || key == 0) return 0;
  const t = load<u8>(v);
  if (t == TYPE_OBJECT) {
    const i = tableFind(v, key, keyHash(key));
    return i < 0 ? 0 : entryValue(v, <u32>i);
  }
  if (t == TYPE_SET) {
    const i = tableFind(v, key, keyHash(key));
    return i < 0 ? 0 : entryKey(v, <u32>i);
  }
  if (t == TYPE_ARRAY) {
    if (load<u8>(key) != TYPE_NUMBER) return 0;
    const i = numberToIndex(key);
    if (i < 0 || <u32>i >= arrayLen(v)) return 0;
    return arrayAt(v, <u32>i);
  }
  return 0;
}
