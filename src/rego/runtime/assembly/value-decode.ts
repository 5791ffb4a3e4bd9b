// Decoder of Fleetward's binary value format: the input format the TypeScript
// side writes straight into module memory (src/rego/evaluator/input-encoder.ts)
// instead of JSON text, so neither side formats or scans text. The format is
// documented in ../README.md ("Binary input format"). All multi-byte fields are
// little endian and unaligned.
//
// Decoded strings reference their bytes in the encoded buffer (no copy): the
// buffer must stay as long as the value does (callers put it below the heap).
// Values are built with the values.ts constructors, so the layouts stay theirs.

import { MAX_DEPTH } from "./json-parse";
import { numberFromI64, parseNumberText } from "./number";
import {
  makeNull, makeBoolean, makeStringRef, makeArray, arrayAppend, makeObject, objectInsert, objectAppend,
} from "./values";

export const TAG_NULL: u8 = 1;
export const TAG_FALSE: u8 = 2;
export const TAG_TRUE: u8 = 3;
/** i32 follows. */
export const TAG_INT32: u8 = 4;
/** i64 follows. */
export const TAG_INT64: u8 = 5;
/** u8 length, then that many bytes of JSON number text. */
export const TAG_NUMBER_TEXT: u8 = 6;
/** u32 byte length, then UTF-8 bytes. */
export const TAG_STRING: u8 = 7;
/** u32 element count, then the elements. */
export const TAG_ARRAY: u8 = 8;
/** u32 member count, then per member a string item (the key) and a value. */
export const TAG_OBJECT: u8 = 9;
/**
 * TAG_OBJECT whose keys are known to be distinct (the encoder writes each own key of a JS object once): members
 * are added without looking their key up first. A writer must not use it for repeated keys.
 */
export const TAG_OBJECT_DISTINCT: u8 = 10;

let pos: usize = 0;
let end: usize = 0;
let depth: i32 = 0;

/**
 * Decodes the one value encoded in `len` bytes at `ptr`. Returns 0 if the bytes are not exactly one well-formed
 * value (unknown tag, truncated, trailing bytes, bad number text, non-string key) or nest arrays and objects
 * deeper than the JSON parser's MAX_DEPTH: the inputs JSON parsing refuses are refused here too.
 */
export function decodeValue(ptr: usize, len: usize): usize {
  pos = ptr;
  end = ptr + len;
  depth = 0;
  const v = decodeItem();
  return v != 0 && pos == end ? v : 0;
}

// @ts-ignore: decorator
@inline function has(n: usize): bool {
  return end - pos >= n;
}

function decodeString(): usize {
  if (!has(4)) return 0;
  const n = <usize>load<u32>(pos);
  pos += 4;
  if (!has(n)) return 0;
  const v = makeStringRef(pos, <u32>n);
  pos += n;
  return v;
}

function decodeItem(): usize {
  if (!has(1)) return 0;
  const tag = load<u8>(pos);
  pos++;
  switch (tag) {
    case TAG_NULL:
      return makeNull();
    case TAG_FALSE:
      return makeBoolean(false);
    case TAG_TRUE:
      return makeBoolean(true);
    case TAG_INT32: {
      if (!has(4)) return 0;
      const x = load<i32>(pos);
      pos += 4;
      return numberFromI64(<i64>x);
    }
    case TAG_INT64: {
      if (!has(8)) return 0;
      const x = load<i64>(pos);
      pos += 8;
      return numberFromI64(x);
    }
    case TAG_NUMBER_TEXT: {
      if (!has(1)) return 0;
      const n = <usize>load<u8>(pos);
      pos++;
      if (!has(n)) return 0;
      const v = parseNumberText(pos, n);
      pos += n;
      return v;
    }
    case TAG_STRING:
      return decodeString();
    case TAG_ARRAY: {
      if (!has(4) || ++depth > MAX_DEPTH) return 0;
      const n = load<u32>(pos);
      pos += 4;
      // Every element takes at least one byte: a count beyond the rest is malformed (and must not size the array).
      if (!has(<usize>n)) return 0;
      const a = makeArray(n);
      for (let i: u32 = 0; i < n; i++) {
        const v = decodeItem();
        if (v == 0) return 0;
        arrayAppend(a, v);
      }
      depth--;
      return a;
    }
    case TAG_OBJECT:
    case TAG_OBJECT_DISTINCT: {
      if (!has(4) || ++depth > MAX_DEPTH) return 0;
      const n = load<u32>(pos);
      pos += 4;
      const o = makeObject();
      for (let i: u32 = 0; i < n; i++) {
        if (!has(1) || load<u8>(pos) != TAG_STRING) return 0;
        pos++;
        const k = decodeString();
        if (k == 0) return 0;
        const v = decodeItem();
        if (v == 0) return 0;
        if (tag == TAG_OBJECT_DISTINCT) objectAppend(o, k, v);
        else objectInsert(o, k, v);
      }
      depth--;
      return o;
    }
  }
  return 0;
}
