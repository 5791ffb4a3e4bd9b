// Strict JSON (RFC 8259) parser, plus the Rego value syntax extension used by
// opa_value_parse (sets: `set()` and `{a, b}`, non-string object keys).
//
// On error the parser returns 0 and records an error code and byte offset
// (parseErrorCode / parseErrorOffset).

import { grow, heapPtrSet } from "./allocator";
import { TYPE_OBJECT } from "./layout";
import { parseNumberText, numberParseError } from "./number";
import {
  makeNull, makeBoolean, allocString, hashStringContent, bytesEqual, stringLen, stringPtr, makeArray, arrayElems, makeObject, makeSet, makeEmptyObject, makeEmptySet,
  objectInsert, setAdd,
} from "./values";

export const ERR_NONE: i32 = 0;
export const ERR_UNEXPECTED_END: i32 = 1;
export const ERR_UNEXPECTED_CHAR: i32 = 2;
export const ERR_INVALID_NUMBER: i32 = 3;
export const ERR_NUMBER_RANGE: i32 = 4;
export const ERR_INVALID_ESCAPE: i32 = 5;
export const ERR_CONTROL_CHAR: i32 = 6;
export const ERR_INVALID_UTF8: i32 = 7;
export const ERR_TRAILING_DATA: i32 = 8;
export const ERR_TOO_DEEP: i32 = 9;
export const ERR_EXPECTED_KEY: i32 = 10;

/** Maximum nesting of arrays/objects/sets. */
export const MAX_DEPTH: i32 = 1000;

export let parseErrorCode: i32 = 0;
export let parseErrorOffset: i32 = 0;

let base: usize = 0;
let pos: usize = 0;
let end: usize = 0;
let depth: i32 = 0;
let regoMode: bool = false;

function fail(code: i32, at: usize): usize {
  if (parseErrorCode == ERR_NONE) {
    parseErrorCode = code;
    parseErrorOffset = <i32>(at - base);
  }
  return 0;
}

// @ts-ignore: decorator
@inline function skipWs(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) pos++;
    else break;
  }
}

/** Parses `len` bytes at `ptr`. rego = accept Rego value syntax. Returns 0 on error. */
export function parseDocument(ptr: usize, len: usize, rego: bool): usize {
  base = ptr;
  pos = ptr;
  end = ptr + len;
  depth = 0;
  regoMode = rego;
  parseErrorCode = ERR_NONE;
  parseErrorOffset = 0;
  memory.fill(keyCache, 0, KEY_SLOTS << 2);
  const v = parseValue();
  if (v == 0) return 0;
  skipWs();
  if (pos < end) return fail(ERR_TRAILING_DATA, pos);
  return v;
}

function expectWord(word: string): bool {
  const n = <usize>word.length;
  if (end - pos < n) return false;
  const w = changetype<usize>(word);
  for (let i: usize = 0; i < n; i++) {
    if (<u16>load<u8>(pos + i) != load<u16>(w + (i << 1))) return false;
  }
  pos += n;
  return true;
}

function parseValue(): usize {
  skipWs();
  if (pos >= end) return fail(ERR_UNEXPECTED_END, pos);
  const c = load<u8>(pos);
  switch (c) {
    case 0x7b: // {
      return parseBraces();
    case 0x5b: // [
      return parseArray();
    case 0x22: // "
      return parseString();
    case 0x74: // t
      return expectWord("true") ? makeBoolean(true) : fail(ERR_UNEXPECTED_CHAR, pos);
    case 0x66: // f
      return expectWord("false") ? makeBoolean(false) : fail(ERR_UNEXPECTED_CHAR, pos);
    case 0x6e: // n
      return expectWord("null") ? makeNull() : fail(ERR_UNEXPECTED_CHAR, pos);
    case 0x73: // s
      if (regoMode && expectWord("set()")) return makeEmptySet();
      return fail(ERR_UNEXPECTED_CHAR, pos);
  }
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
  return fail(ERR_UNEXPECTED_CHAR, pos);
}

function parseNumber(): usize {
  const start = pos;
  while (pos < end) {
    const c = load<u8>(pos);
    if ((c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2b || c == 0x2e || c == 0x65 || c == 0x45) pos++;
    else break;
  }
  const v = parseNumberText(start, pos - start);
  if (v == 0) return fail(numberParseError == 2 ? ERR_NUMBER_RANGE : ERR_INVALID_NUMBER, start);
  return v;
}

function hexVal(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  const l = c | 0x20;
  if (l - 0x61 < 6) return <i32>(l - 0x61 + 10);
  return -1;
}

function readHex4(at: usize): i32 {
  if (end - at < 4) return -1;
  let x: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const h = hexVal(<u32>load<u8>(at + i));
    if (h < 0) return -1;
    x = (x << 4) | h;
  }
  return x;
}

/** Length of a valid UTF-8 sequence starting at p (lead byte >= 0x80), or 0 if invalid. */
function utf8SeqLen(p: usize): usize {
  const b0 = <u32>load<u8>(p);
  let n: usize;
  let min: u32;
  let cp: u32;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
    min = 0x80;
    cp = b0 & 0x1f;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    min = 0x800;
    cp = b0 & 0x0f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    min = 0x10000;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (end - p < n) return 0;
  for (let i: usize = 1; i < n; i++) {
    const b = <u32>load<u8>(p + i);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

function putUtf8(out: usize, cp: u32): usize {
  if (cp < 0x80) {
    store<u8>(out, <u8>cp);
    return 1;
  }
  if (cp < 0x800) {
    store<u8>(out, <u8>(0xc0 | (cp >> 6)));
    store<u8>(out + 1, <u8>(0x80 | (cp & 0x3f)));
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(out, <u8>(0xe0 | (cp >> 12)));
    store<u8>(out + 1, <u8>(0x80 | ((cp >> 6) & 0x3f)));
    store<u8>(out + 2, <u8>(0x80 | (cp & 0x3f)));
    return 3;
  }
  store<u8>(out, <u8>(0xf0 | (cp >> 18)));
  store<u8>(out + 1, <u8>(0x80 | ((cp >> 12) & 0x3f)));
  store<u8>(out + 2, <u8>(0x80 | ((cp >> 6) & 0x3f)));
  store<u8>(out + 3, <u8>(0x80 | (cp & 0x3f)));
  return 4;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/**
 * High bit set in (at least) the lowest byte of `x` (little endian) that is a quote, a backslash, a control
 * character or not ASCII; 0 when there is none. Lower bytes are never flagged wrongly: a borrow only moves
 * towards higher bytes.
 */
// @ts-ignore: decorator
@inline function specialBytes(x: u64): u64 {
  const q = x ^ (ONES * 0x22);
  const b = x ^ (ONES * 0x5c);
  return (((q - ONES) & ~q) | ((b - ONES) & ~b) | (x - ONES * 0x20) | x) & HIGHS;
}

/** memory.copy for the short strings of typical documents (8 bytes at a time, no call). */
// @ts-ignore: decorator
@inline function copySmall(dst: usize, src: usize, n: usize): void {
  if (n > 64) {
    memory.copy(dst, src, n);
    return;
  }
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) store<u64>(dst + i, load<u64>(src + i));
  for (; i < n; i++) store<u8>(dst + i, load<u8>(src + i));
}

/** Address of the first byte from `p` on that is a quote, a backslash, a control character or not ASCII (or end). */
// @ts-ignore: decorator
@inline function scanPlain(p: usize): usize {
  // 8 bytes at a time while they last.
  while (p + 8 <= end) {
    const special = specialBytes(load<u64>(p));
    if (special != 0) return p + <usize>(ctz(special) >> 3);
    p += 8;
  }
  while (p < end) {
    const c = load<u8>(p);
    if (c == 0x22 || c == 0x5c || c < 0x20 || c >= 0x80) break;
    p++;
  }
  return p;
}

/**
 * Object keys (and set members) of the document being parsed, by hash: a key seen before in the same
 * document is the same string value (no copy, hash already known). 32 u32 slots, 0 = empty; cleared by
 * parseDocument, since the heap (and so every value) may be reused between documents.
 */
const KEY_SLOTS: usize = 32;
const keyCache: usize = memory.data(<i32>(KEY_SLOTS << 2), 4);

/** A string at pos used as a key: plain keys through the key cache, others as any string. */
function parseKey(): usize {
  const start = pos + 1;
  const p = scanPlain(start);
  if (p >= end || load<u8>(p) != 0x22) return parseString();
  const len = p - start;
  const h = hashStringContent(start, <u32>len);
  const slot = keyCache + ((<usize>h & (KEY_SLOTS - 1)) << 2);
  pos = p + 1;
  const known = <usize>load<u32>(slot);
  if (known != 0 && load<u32>(known, 12) == h && <usize>stringLen(known) == len && bytesEqual(stringPtr(known), start, len)) return known;
  const v = allocString(<u32>len);
  copySmall(v + 16, start, len);
  store<u32>(v, h, 12);
  store<u32>(slot, <u32>v);
  return v;
}

function parseString(): usize {
  const quote = pos;
  pos++;
  const start = pos;
  let p = scanPlain(start);
  if (p < end && load<u8>(p) == 0x22) {
    const len = p - start;
    const v = allocString(<u32>len);
    copySmall(v + 16, start, len);
    pos = p + 1;
    return v;
  }
  // Find the closing quote to size the output (escapes never expand).
  let q = p;
  while (q < end) {
    const c = load<u8>(q);
    if (c == 0x22) break;
    if (c == 0x5c) q++;
    q++;
  }
  if (q >= end) return fail(ERR_UNEXPECTED_END, quote);
  const cap = q - start;
  const v = allocString(<u32>cap);
  const out = v + 16;
  let o: usize = 0;
  p = start;
  while (p < q) {
    const c = <u32>load<u8>(p);
    if (c < 0x20) return fail(ERR_CONTROL_CHAR, p);
    if (c < 0x80 && c != 0x5c) {
      store<u8>(out + o++, <u8>c);
      p++;
      continue;
    }
    if (c >= 0x80) {
      const n = utf8SeqLen(p);
      if (n == 0) return fail(ERR_INVALID_UTF8, p);
      memory.copy(out + o, p, n);
      o += n;
      p += n;
      continue;
    }
    // backslash escape
    const esc = p;
    p++;
    const e = <u32>load<u8>(p);
    p++;
    switch (e) {
      case 0x22: store<u8>(out + o++, 0x22); break;
      case 0x5c: store<u8>(out + o++, 0x5c); break;
      case 0x2f: store<u8>(out + o++, 0x2f); break;
      case 0x62: store<u8>(out + o++, 0x08); break;
      case 0x66: store<u8>(out + o++, 0x0c); break;
      case 0x6e: store<u8>(out + o++, 0x0a); break;
      case 0x72: store<u8>(out + o++, 0x0d); break;
      case 0x74: store<u8>(out + o++, 0x09); break;
      case 0x75: {
        let cp = readHex4(p);
        if (cp < 0 || p + 4 > q) return fail(ERR_INVALID_ESCAPE, esc);
        p += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          // high surrogate: needs a following \uDC00-\uDFFF, else U+FFFD (as Go/OPA do)
          let lo: i32 = -1;
          if (p + 6 <= q && load<u8>(p) == 0x5c && load<u8>(p + 1) == 0x75) lo = readHex4(p + 2);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            p += 6;
          } else {
            cp = 0xfffd;
          }
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
          cp = 0xfffd;
        }
        o += putUtf8(out + o, <u32>cp);
        break;
      }
      default:
        return fail(ERR_INVALID_ESCAPE, esc);
    }
  }
  pos = q + 1;
  // Give back the unused tail of the bytes (the value is the most recent allocation).
  heapPtrSet(out + o);
  store<u32>(v, <u32>o, 4);
  return v;
}

function parseArray(): usize {
  const open = pos;
  pos++;
  if (++depth > MAX_DEPTH) return fail(ERR_TOO_DEEP, open);
  skipWs();
  if (pos < end && load<u8>(pos) == 0x5d) {
    pos++;
    depth--;
    return makeArray(0);
  }
  // The header and the first elements are allocated together, before the elements' values.
  const arr = makeArray(4);
  let cap: u32 = 4;
  let elems = arrayElems(arr);
  let n: u32 = 0;
  while (true) {
    const v = parseValue();
    if (v == 0) return 0;
    if (n == cap) {
      const ncap = cap << 1;
      elems = grow(elems, <usize>cap << 2, <usize>ncap << 2);
      cap = ncap;
    }
    store<u32>(elems + (<usize>n << 2), <u32>v);
    n++;
    skipWs();
    if (pos >= end) return fail(ERR_UNEXPECTED_END, pos);
    const c = load<u8>(pos);
    pos++;
    if (c == 0x2c) {
      if (regoMode && closesAfterComma(0x5d)) break;
      continue;
    }
    if (c == 0x5d) break;
    return fail(ERR_UNEXPECTED_CHAR, pos - 1);
  }
  depth--;
  store<u32>(arr, n, 4);
  store<u32>(arr, cap, 8);
  store<u32>(arr, <u32>elems, 12);
  return arr;
}

/** Rego allows a trailing comma: whether `close` follows the comma just read (and if so, consumes it). */
function closesAfterComma(close: u8): bool {
  skipWs();
  if (pos < end && load<u8>(pos) == close) {
    pos++;
    return true;
  }
  return false;
}

/** `{` ... `}`: an object, or (Rego mode) a set. */
function parseBraces(): usize {
  const open = pos;
  pos++;
  if (++depth > MAX_DEPTH) return fail(ERR_TOO_DEEP, open);
  skipWs();
  if (pos < end && load<u8>(pos) == 0x7d) {
    pos++;
    depth--;
    return makeEmptyObject();
  }
  let coll: usize = 0;
  let isSet = false;
  while (true) {
    skipWs();
    if (pos >= end) return fail(ERR_UNEXPECTED_END, pos);
    const quoted = load<u8>(pos) == 0x22;
    if (!regoMode && !quoted) return fail(ERR_EXPECTED_KEY, pos);
    const k = quoted ? parseKey() : parseValue();
    if (k == 0) return 0;
    skipWs();
    if (pos >= end) return fail(ERR_UNEXPECTED_END, pos);
    let c = load<u8>(pos);
    if (coll == 0) {
      isSet = regoMode && c != 0x3a;
      coll = isSet ? makeSet() : makeObject();
    }
    if (isSet) {
      setAdd(coll, k);
    } else {
      if (c != 0x3a) return fail(ERR_UNEXPECTED_CHAR, pos);
      pos++;
      const v = parseValue();
      if (v == 0) return 0;
      objectInsert(coll, k, v);
      skipWs();
      if (pos >= end) return fail(ERR_UNEXPECTED_END, pos);
      c = load<u8>(pos);
    }
    pos++;
    if (c == 0x2c) {
      if (regoMode && closesAfterComma(0x7d)) break;
      continue;
    }
    if (c == 0x7d) break;
    return fail(ERR_UNEXPECTED_CHAR, pos - 1);
  }
  depth--;
  return coll;
}

/** Whether v is an object (helper for callers that need a container check). */
export function isObject(v: usize): bool {
  return v != 0 && load<u8>(v) == TYPE_OBJECT;
}
