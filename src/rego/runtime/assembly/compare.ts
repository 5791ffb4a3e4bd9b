// OPA's total order over values and sorting.
//
// null < boolean < number < string < array < object < set.
// false < true; numbers numerically (exact); strings by UTF-8 bytes;
// arrays element-wise then by length; objects by their key-sorted entries
// (key, then value, pairwise) then by size; sets by their sorted elements
// then by size.

import { malloc, heapPtrGet, heapPtrSet } from "./allocator";
import { TYPE_NULL, TYPE_BOOLEAN, TYPE_NUMBER, TYPE_STRING, TYPE_ARRAY, TYPE_OBJECT, TYPE_SET, ENTRY_SIZE } from "./layout";
import { numberCompare } from "./number";
import { stringLen, stringPtr, arrayLen, arrayAt, tableUsed, tableEntries, tableCount } from "./values";

export function compareValues(a: usize, b: usize): i32 {
  if (a == b) return 0;
  const ta = load<u8>(a);
  const tb = load<u8>(b);
  if (ta != tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case TYPE_NULL:
      return 0;
    case TYPE_BOOLEAN: {
      const x = load<u32>(a, 4);
      const y = load<u32>(b, 4);
      return x == y ? 0 : x < y ? -1 : 1;
    }
    case TYPE_NUMBER:
      return numberCompare(a, b);
    case TYPE_STRING: {
      const la = stringLen(a);
      const lb = stringLen(b);
      const m = la < lb ? la : lb;
      const c = memory.compare(stringPtr(a), stringPtr(b), <usize>m);
      if (c != 0) return c < 0 ? -1 : 1;
      return la == lb ? 0 : la < lb ? -1 : 1;
    }
    case TYPE_ARRAY: {
      const la = arrayLen(a);
      const lb = arrayLen(b);
      const m = la < lb ? la : lb;
      for (let i: u32 = 0; i < m; i++) {
        const c = compareValues(arrayAt(a, i), arrayAt(b, i));
        if (c != 0) return c;
      }
      return la == lb ? 0 : la < lb ? -1 : 1;
    }
    case TYPE_OBJECT:
    case TYPE_SET: {
      const mark = heapPtrGet();
      const ea = sortedEntries(a);
      const eb = sortedEntries(b);
      const la = tableCount(a);
      const lb = tableCount(b);
      const m = la < lb ? la : lb;
      let c: i32 = 0;
      for (let i: u32 = 0; i < m && c == 0; i++) {
        const pa = <usize>load<u32>(ea + (<usize>i << 2));
        const pb = <usize>load<u32>(eb + (<usize>i << 2));
        c = compareValues(<usize>load<u32>(pa), <usize>load<u32>(pb));
        if (c == 0 && ta == TYPE_OBJECT) c = compareValues(<usize>load<u32>(pa, 4), <usize>load<u32>(pb, 4));
      }
      heapPtrSet(mark);
      if (c != 0) return c;
      return la == lb ? 0 : la < lb ? -1 : 1;
    }
  }
  return 0;
}

/**
 * Sorts `n` u32 words at `p` in place. When `indirect` is true each word is
 * the address of an entry whose first word is the key to compare; otherwise
 * each word is a value. Stable merge sort (bottom-up).
 */
export function sortWords(p: usize, n: u32, indirect: bool): void {
  if (n < 2) return;
  // insertion sort for short runs of 8
  const RUN: u32 = 8;
  for (let s: u32 = 0; s < n; s += RUN) {
    const e = s + RUN < n ? s + RUN : n;
    for (let i = s + 1; i < e; i++) {
      const x = load<u32>(p + (<usize>i << 2));
      let j = i;
      while (j > s) {
        const y = load<u32>(p + (<usize>(j - 1) << 2));
        if (cmpWord(y, x, indirect) <= 0) break;
        store<u32>(p + (<usize>j << 2), y);
        j--;
      }
      store<u32>(p + (<usize>j << 2), x);
    }
  }
  if (n <= RUN) return;
  const mark = heapPtrGet();
  let src = p;
  let dst = malloc(<usize>n << 2);
  for (let width = RUN; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = lo + width < n ? lo + width : n;
      const hi = lo + (width << 1) < n ? lo + (width << 1) : n;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const x = load<u32>(src + (<usize>i << 2));
        const y = load<u32>(src + (<usize>j << 2));
        if (cmpWord(x, y, indirect) <= 0) {
          store<u32>(dst + (<usize>(k++) << 2), x);
          i++;
        } else {
          store<u32>(dst + (<usize>(k++) << 2), y);
          j++;
        }
      }
      while (i < mid) store<u32>(dst + (<usize>(k++) << 2), load<u32>(src + (<usize>(i++) << 2)));
      while (j < hi) store<u32>(dst + (<usize>(k++) << 2), load<u32>(src + (<usize>(j++) << 2)));
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != p) memory.copy(p, src, <usize>n << 2);
  heapPtrSet(mark);
}

// @ts-ignore: decorator
@inline function cmpWord(x: u32, y: u32, indirect: bool): i32 {
  if (indirect) return compareValues(<usize>load<u32>(<usize>x), <usize>load<u32>(<usize>y));
  return compareValues(<usize>x, <usize>y);
}

/** Fresh array of the live entry addresses of an object/set, sorted by key. */
export function sortedEntries(v: usize): usize {
  const n = tableCount(v);
  const slots: usize = n > 0 ? <usize>n : 1;
  const out = malloc(slots << 2);
  const used = tableUsed(v);
  const ents = tableEntries(v);
  let k: u32 = 0;
  for (let i: u32 = 0; i < used; i++) {
    const e = ents + <usize>i * ENTRY_SIZE;
    if (load<u32>(e) == 0) continue;
    store<u32>(out + (<usize>(k++) << 2), <u32>e);
  }
  sortWords(out, n, true);
  return out;
}
