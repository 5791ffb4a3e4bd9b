// Aggregate and type builtins: count, sum, product, max, min, sort, is_*, type_name.

import { TYPE_NULL, TYPE_BOOLEAN, TYPE_NUMBER, TYPE_STRING, TYPE_ARRAY, TYPE_OBJECT, TYPE_SET } from "../layout";
import { numberFromI64, numberAdd, numberMul } from "../number";
import { makeArray, arrayAppend, arrayLen, arrayElems, makeBoolean, stringLen, stringPtr, tableCount, iterNext } from "../values";
import { compareValues, sortWords } from "../compare";
import { typeErr, elemErr, runeCount, typeNameLit, bStart, bLit, bDone } from "./util";

/** Value at iteration position i of an array or set. */
export function elemAt(v: usize, i: i32): usize {
  if (load<u8>(v) == TYPE_ARRAY) return <usize>load<u32>(arrayElems(v) + (<usize>i << 2));
  return <usize>load<u32>(<usize>load<u32>(v, 16) + <usize>i * 12);
}

function isColl(v: usize): bool {
  const t = load<u8>(v);
  return t == TYPE_ARRAY || t == TYPE_SET;
}

export function fwb_count(a: usize): usize {
  const t = load<u8>(a);
  if (t == TYPE_STRING) return numberFromI64(<i64>runeCount(stringPtr(a), stringLen(a)));
  if (t == TYPE_ARRAY) return numberFromI64(<i64>arrayLen(a));
  if (t == TYPE_OBJECT || t == TYPE_SET) return numberFromI64(<i64>tableCount(a));
  return typeErr(1, "one of {array, object, set, string}", a);
}

function fold(a: usize, product: bool): usize {
  if (!isColl(a)) return typeErr(1, "one of {set, array}", a);
  let acc = numberFromI64(product ? 1 : 0);
  for (let i = iterNext(a, -1); i >= 0; i = iterNext(a, i)) {
    const x = elemAt(a, i);
    if (load<u8>(x) != TYPE_NUMBER) return elemErr(1, a, "number", x);
    acc = product ? numberMul(acc, x) : numberAdd(acc, x);
  }
  return acc;
}

export function fwb_sum(a: usize): usize {
  return fold(a, false);
}

export function fwb_product(a: usize): usize {
  return fold(a, true);
}

function extreme(a: usize, wantMax: bool): usize {
  if (!isColl(a)) return typeErr(1, "one of {set, array}", a);
  let best: usize = 0;
  for (let i = iterNext(a, -1); i >= 0; i = iterNext(a, i)) {
    const x = elemAt(a, i);
    if (best == 0) {
      best = x;
      continue;
    }
    const c = compareValues(x, best);
    if (wantMax ? c > 0 : c < 0) best = x;
  }
  return best;
}

export function fwb_max(a: usize): usize {
  return extreme(a, true);
}

export function fwb_min(a: usize): usize {
  return extreme(a, false);
}

export function fwb_sort(a: usize): usize {
  if (!isColl(a)) return typeErr(1, "one of {set, array}", a);
  const t = load<u8>(a);
  const n = t == TYPE_ARRAY ? arrayLen(a) : tableCount(a);
  const r = makeArray(n);
  for (let i = iterNext(a, -1); i >= 0; i = iterNext(a, i)) arrayAppend(r, elemAt(a, i));
  sortWords(arrayElems(r), arrayLen(r), false);
  return r;
}

export function fwb_is_number(a: usize): usize {
  return makeBoolean(load<u8>(a) == TYPE_NUMBER);
}

export function fwb_is_string(a: usize): usize {
  return makeBoolean(load<u8>(a) == TYPE_STRING);
}

export function fwb_is_boolean(a: usize): usize {
  return makeBoolean(load<u8>(a) == TYPE_BOOLEAN);
}

export function fwb_is_array(a: usize): usize {
  return makeBoolean(load<u8>(a) == TYPE_ARRAY);
}

export function fwb_is_set(a: usize): usize {
  return makeBoolean(load<u8>(a) == TYPE_SET);
}

export function fwb_is_object(a: usize): usize {
  return makeBoolean(load<u8>(a) == TYPE_OBJECT);
}

export function fwb_is_null(a: usize): usize {
  return makeBoolean(load<u8>(a) == TYPE_NULL);
}

export function fwb_type_name(a: usize): usize {
  bStart(8);
  bLit(typeNameLit(a));
  return bDone();
}
