// JSON and Rego-value serialisation.
//
// JSON (opa_json_dump): object keys in OPA's sort order, sets as sorted
// arrays, non-string object keys as the JSON string of their JSON text.
// Value (opa_value_dump): like JSON, but sets are `{a,b}` (sorted) or
// `set()`, and object keys are written as values.
// Both return a NUL-terminated UTF-8 string.

import { malloc, grow } from "./allocator";
import { abortWith } from "./host";
import {
  TYPE_NULL, TYPE_BOOLEAN, TYPE_NUMBER, TYPE_STRING, TYPE_ARRAY, TYPE_OBJECT, TYPE_SET,
} from "./layout";
import { numberIsInt, numberInt, numberDecText, textLen } from "./number";
import { stringLen, stringPtr, arrayLen, arrayAt, tableCount } from "./values";
import { sortedEntries } from "./compare";

let out: usize = 0;
let outLen: usize = 0;
let outCap: usize = 0;

function reserve(n: usize): void {
  if (outLen + n <= outCap) return;
  let ncap = outCap << 1;
  if (ncap < outLen + n) ncap = outLen + n + 64;
  out = grow(out, outCap, ncap);
  outCap = ncap;
}

// @ts-ignore: decorator
@inline function putByte(b: u8): void {
  reserve(1);
  store<u8>(out + outLen, b);
  outLen++;
}

function putBytes(p: usize, n: usize): void {
  reserve(n);
  const o = out + outLen;
  if (n <= 32) {
    // Short runs (most keys and values) without memory.copy's call.
    let i: usize = 0;
    for (; i + 8 <= n; i += 8) store<u64>(o + i, load<u64>(p + i));
    for (; i < n; i++) store<u8>(o + i, load<u8>(p + i));
  } else {
    memory.copy(o, p, n);
  }
  outLen += n;
}

function putWord(word: string): void {
  const n = <usize>word.length;
  reserve(n);
  const w = changetype<usize>(word);
  for (let i: usize = 0; i < n; i++) store<u8>(out + outLen + i, <u8>load<u16>(w + (i << 1)));
  outLen += n;
}

function putI64(x: i64): void {
  reserve(21);
  let u: u64;
  if (x < 0) {
    store<u8>(out + outLen, 0x2d);
    outLen++;
    u = <u64>(0 - x);
  } else {
    u = <u64>x;
  }
  let d: usize = 1;
  let t = u;
  while (t >= 10) {
    t /= 10;
    d++;
  }
  for (let k = <i32>d - 1; k >= 0; k--) {
    store<u8>(out + outLen + <usize>k, <u8>(0x30 + <u32>(u % 10)));
    u /= 10;
  }
  outLen += d;
}

const HEX: usize = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/**
 * High bit set in (at least) the lowest byte of `x` (little endian) that must be escaped in a JSON string:
 * a quote, a backslash or a control character; 0 when there is none. Lower bytes are never flagged wrongly.
 */
// @ts-ignore: decorator
@inline function escapedBytes(x: u64): u64 {
  const q = x ^ (ONES * 0x22);
  const b = x ^ (ONES * 0x5c);
  return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((x - ONES * 0x20) & ~x)) & HIGHS;
}

/** Index of the first byte from `i` on of the `n` bytes at `p` that must be escaped, or n. */
function nextEscaped(p: usize, i: usize, n: usize): usize {
  while (i + 8 <= n) {
    const e = escapedBytes(load<u64>(p + i));
    if (e != 0) return i + <usize>(ctz(e) >> 3);
    i += 8;
  }
  while (i < n) {
    const c = load<u8>(p + i);
    if (c < 0x20 || c == 0x22 || c == 0x5c) return i;
    i++;
  }
  return n;
}

function putQuoted(p: usize, n: usize): void {
  reserve(n + 2);
  store<u8>(out + outLen, 0x22);
  outLen++;
  let i: usize = 0;
  while (true) {
    const j = nextEscaped(p, i, n);
    if (j > i) putBytes(p + i, j - i);
    if (j >= n) break;
    const c = load<u8>(p + j);
    i = j + 1;
    reserve(6);
    store<u8>(out + outLen, 0x5c);
    let esc: u8 = 0;
    switch (c) {
      case 0x22: esc = 0x22; break;
      case 0x5c: esc = 0x5c; break;
      case 0x08: esc = 0x62; break;
      case 0x0c: esc = 0x66; break;
      case 0x0a: esc = 0x6e; break;
      case 0x0d: esc = 0x72; break;
      case 0x09: esc = 0x74; break;
    }
    if (esc != 0) {
      store<u8>(out + outLen + 1, esc);
      outLen += 2;
    } else {
      store<u8>(out + outLen + 1, 0x75);
      store<u8>(out + outLen + 2, 0x30);
      store<u8>(out + outLen + 3, 0x30);
      store<u8>(out + outLen + 4, load<u8>(HEX + (<usize>c >> 4)));
      store<u8>(out + outLen + 5, load<u8>(HEX + (<usize>c & 15)));
      outLen += 6;
    }
  }
  putByte(0x22);
}

function writeValue(v: usize, rego: bool): void {
  switch (load<u8>(v)) {
    case TYPE_NULL:
      putWord("null");
      return;
    case TYPE_BOOLEAN:
      putWord(load<u32>(v, 4) != 0 ? "true" : "false");
      return;
    case TYPE_NUMBER: {
      if (numberIsInt(v)) {
        putI64(numberInt(v));
      } else {
        const t = numberDecText(v);
        putBytes(t, <usize>textLen);
      }
      return;
    }
    case TYPE_STRING:
      putQuoted(stringPtr(v), <usize>stringLen(v));
      return;
    case TYPE_ARRAY: {
      putByte(0x5b);
      const n = arrayLen(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) putByte(0x2c);
        writeValue(arrayAt(v, i), rego);
      }
      putByte(0x5d);
      return;
    }
    case TYPE_OBJECT: {
      const n = tableCount(v);
      const ents = sortedEntries(v);
      putByte(0x7b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) putByte(0x2c);
        const e = <usize>load<u32>(ents + (<usize>i << 2));
        const k = <usize>load<u32>(e);
        if (rego || load<u8>(k) == TYPE_STRING) {
          writeValue(k, rego);
        } else {
          writeKeyAsString(k);
        }
        putByte(0x3a);
        writeValue(<usize>load<u32>(e, 4), rego);
      }
      putByte(0x7d);
      return;
    }
    case TYPE_SET: {
      const n = tableCount(v);
      if (rego && n == 0) {
        putWord("set()");
        return;
      }
      const ents = sortedEntries(v);
      putByte(rego ? 0x7b : 0x5b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) putByte(0x2c);
        writeValue(<usize>load<u32>(<usize>load<u32>(ents + (<usize>i << 2))), rego);
      }
      putByte(rego ? 0x7d : 0x5d);
      return;
    }
  }
  abortWith("opa_json_dump: not a value");
}

/** Non-string key in JSON: the JSON text of the key, as a JSON string. */
function writeKeyAsString(k: usize): void {
  const savedOut = out;
  const savedLen = outLen;
  const savedCap = outCap;
  out = malloc(64);
  outLen = 0;
  outCap = 64;
  writeValue(k, false);
  const text = out;
  const textN = outLen;
  out = savedOut;
  outLen = savedLen;
  outCap = savedCap;
  putQuoted(text, textN);
}

/** Serialises v; returns the address of a NUL-terminated UTF-8 string. */
export function dumpValue(v: usize, rego: bool): usize {
  if (v == 0) abortWith("opa_json_dump: null value address");
  out = malloc(256);
  outLen = 0;
  outCap = 256;
  writeValue(v, rego);
  putByte(0);
  const r = out;
  out = 0;
  outLen = 0;
  outCap = 0;
  return r;
}
