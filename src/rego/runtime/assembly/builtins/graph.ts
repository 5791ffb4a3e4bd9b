// Graph builtins: walk.

import { TYPE_ARRAY, TYPE_OBJECT, TYPE_SET } from "../layout";
import { numberFromI64 } from "../number";
import { makeArray, arrayAppend, arrayLen, arrayAt, arrayElems, iterNext, entryKey, objectGet } from "../values";
import { sortWords } from "../compare";

/** A copy of the path array with `key` appended. */
function extend(path: usize, key: usize): usize {
  const n = arrayLen(path);
  const r = makeArray(n + 1);
  for (let i: u32 = 0; i < n; i++) arrayAppend(r, arrayAt(path, i));
  arrayAppend(r, key);
  return r;
}

function walkInto(out: usize, path: usize, v: usize): void {
  const pair = makeArray(2);
  arrayAppend(pair, path);
  arrayAppend(pair, v);
  arrayAppend(out, pair);
  const t = load<u8>(v);
  if (t == TYPE_ARRAY) {
    const n = arrayLen(v);
    for (let i: u32 = 0; i < n; i++) walkInto(out, extend(path, numberFromI64(<i64>i)), arrayAt(v, i));
    return;
  }
  if (t != TYPE_OBJECT && t != TYPE_SET) return;
  // Object keys and set elements in OPA's order, as OPA walks them.
  const keys = makeArray(8);
  for (let i = iterNext(v, -1); i >= 0; i = iterNext(v, i)) arrayAppend(keys, entryKey(v, <u32>i));
  sortWords(arrayElems(keys), arrayLen(keys), false);
  const n = arrayLen(keys);
  for (let i: u32 = 0; i < n; i++) {
    const key = arrayAt(keys, i);
    walkInto(out, extend(path, key), t == TYPE_SET ? key : objectGet(v, key));
  }
}

/**
 * walk(x): every [path, value] pair of x, each node before its children (a set element's path segment is
 * the element). A relation: the planner iterates the array.
 */
export function fwb_walk(x: usize): usize {
  const out = makeArray(8);
  walkInto(out, makeArray(0), x);
  return out;
}
