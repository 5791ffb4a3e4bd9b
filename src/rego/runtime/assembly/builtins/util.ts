// Shared helpers of the native builtins: the builtin error state, a byte
// builder for result strings and messages, UTF-8 decoding and type names.
//
// No AssemblyScript managed allocation is used anywhere (the runtime's bump
// allocator owns the heap): static string literals are only read, never built.

import { malloc, grow } from "../allocator";
import { TYPE_NULL, TYPE_BOOLEAN, TYPE_NUMBER, TYPE_STRING, TYPE_ARRAY, TYPE_OBJECT, TYPE_SET } from "../layout";
import { makeStringRef, makeStringCopy, stringLen, stringPtr } from "../values";

export const ERR_TYPE: i32 = 1;
export const ERR_BUILTIN: i32 = 2;

let errKind: i32 = 0;
let errMessage: usize = 0;

/** Records a builtin error (kind 1 = eval_type_error, 2 = eval_builtin_error); the message bytes are copied. */
export function fw_builtin_error(kind: i32, msgPtr: usize, msgLen: i32): void {
  errKind = kind;
  errMessage = makeStringCopy(msgPtr, <u32>msgLen);
}

/** Kind of the last builtin error, 0 if none. */
export function fw_builtin_error_kind(): i32 {
  return errKind;
}

/** The last builtin error's message as a string value, 0 if none. */
export function fw_builtin_error_message(): usize {
  return errKind == 0 ? 0 : errMessage;
}

export function fw_builtin_error_clear(): void {
  errKind = 0;
  errMessage = 0;
}

// ---------------------------------------------------------------- byte builder

let bPtr: usize = 0;
let bLen: u32 = 0;
let bCap: u32 = 0;

export function bStart(cap: u32): void {
  if (cap < 16) cap = 16;
  bPtr = malloc(<usize>cap);
  bLen = 0;
  bCap = cap;
}

export function bReserve(n: u32): void {
  if (bLen + n <= bCap) return;
  let ncap = bCap << 1;
  while (ncap < bLen + n) ncap <<= 1;
  bPtr = grow(bPtr, <usize>bCap, <usize>ncap);
  bCap = ncap;
}

export function bByte(c: u32): void {
  bReserve(1);
  store<u8>(bPtr + <usize>bLen, <u8>c);
  bLen++;
}

export function bBytes(p: usize, n: u32): void {
  bReserve(n);
  memory.copy(bPtr + <usize>bLen, p, <usize>n);
  bLen += n;
}

export function bStrVal(s: usize): void {
  bBytes(stringPtr(s), stringLen(s));
}

/** Appends a static (ASCII) AssemblyScript string literal. */
export function bLit(s: string): void {
  const n = s.length;
  const base = changetype<usize>(s);
  bReserve(<u32>n);
  for (let i: i32 = 0; i < n; i++) store<u8>(bPtr + <usize>bLen + <usize>i, <u8>load<u16>(base + (<usize>i << 1)));
  bLen += <u32>n;
}

export function bRune(r: u32): void {
  if (r < 0x80) {
    bByte(r);
  } else if (r < 0x800) {
    bByte(0xc0 | (r >> 6));
    bByte(0x80 | (r & 0x3f));
  } else if (r < 0x10000) {
    bByte(0xe0 | (r >> 12));
    bByte(0x80 | ((r >> 6) & 0x3f));
    bByte(0x80 | (r & 0x3f));
  } else {
    bByte(0xf0 | (r >> 18));
    bByte(0x80 | ((r >> 12) & 0x3f));
    bByte(0x80 | ((r >> 6) & 0x3f));
    bByte(0x80 | (r & 0x3f));
  }
}

/** Appends the decimal text of a signed integer. */
export function bI64(x: i64): void {
  if (x < 0) {
    bByte(0x2d);
    bU64(<u64>(0 - x));
  } else {
    bU64(<u64>x);
  }
}

export function bU64(u: u64): void {
  let d: i32 = 1;
  let t = u;
  while (t >= 10) {
    t /= 10;
    d++;
  }
  bReserve(<u32>d);
  for (let k = d - 1; k >= 0; k--) {
    store<u8>(bPtr + <usize>bLen + <usize>k, <u8>(0x30 + <u32>(u % 10)));
    u /= 10;
  }
  bLen += <u32>d;
}

export function bLength(): u32 {
  return bLen;
}

export function bData(): usize {
  return bPtr;
}

export function bTruncate(n: u32): void {
  bLen = n;
}

/** Finishes the builder as a string value. */
export function bDone(): usize {
  return makeStringRef(bPtr, bLen);
}

// ---------------------------------------------------------------- errors

export function typeNameLit(v: usize): string {
  switch (load<u8>(v)) {
    case TYPE_NULL: return "null";
    case TYPE_BOOLEAN: return "boolean";
    case TYPE_NUMBER: return "number";
    case TYPE_STRING: return "string";
    case TYPE_ARRAY: return "array";
    case TYPE_OBJECT: return "object";
    case TYPE_SET: return "set";
  }
  return "undefined";
}

function raise(kind: i32): usize {
  errKind = kind;
  errMessage = bDone();
  return 0;
}

/** `operand <pos> must be <expected> but got <type>` (eval_type_error); returns 0. */
export function typeErr(pos: i32, expected: string, got: usize): usize {
  bStart(64);
  bLit("operand ");
  bI64(pos);
  bLit(" must be ");
  bLit(expected);
  bLit(" but got ");
  bLit(typeNameLit(got));
  return raise(ERR_TYPE);
}

/** `operand <pos> must be <coll> of <elem>s but got <coll> containing <type>` (eval_type_error); returns 0. */
export function elemErr(pos: i32, coll: usize, elem: string, got: usize): usize {
  bStart(64);
  bLit("operand ");
  bI64(pos);
  bLit(" must be ");
  bLit(typeNameLit(coll));
  bLit(" of ");
  bLit(elem);
  bLit("s but got ");
  bLit(typeNameLit(coll));
  bLit(" containing ");
  bLit(typeNameLit(got));
  return raise(ERR_TYPE);
}

/** `operand <pos> <text>` (eval_type_error); returns 0. */
export function operandErr(pos: i32, text: string): usize {
  bStart(64);
  bLit("operand ");
  bI64(pos);
  bByte(0x20);
  bLit(text);
  return raise(ERR_TYPE);
}

/** A builtin error with a fixed message (eval_builtin_error); returns 0. */
export function builtinErr(text: string): usize {
  bStart(32);
  bLit(text);
  return raise(ERR_BUILTIN);
}

/** Raises the builder's current contents as an error of `kind`; returns 0. */
export function raiseBuilt(kind: i32): usize {
  return raise(kind);
}

// ---------------------------------------------------------------- UTF-8

/** Set by decodeRune: the rune and its byte length. Invalid bytes decode as U+FFFD of length 1. */
export let runeVal: u32 = 0;
export let runeSize: u32 = 0;

export function decodeRune(p: usize, i: u32, n: u32): void {
  const c0 = <u32>load<u8>(p + <usize>i);
  runeSize = 1;
  runeVal = 0xfffd;
  if (c0 < 0x80) {
    runeVal = c0;
    return;
  }
  let need: u32 = 0;
  let r: u32 = 0;
  let min: u32 = 0;
  if ((c0 & 0xe0) == 0xc0) {
    need = 1;
    r = c0 & 0x1f;
    min = 0x80;
  } else if ((c0 & 0xf0) == 0xe0) {
    need = 2;
    r = c0 & 0x0f;
    min = 0x800;
  } else if ((c0 & 0xf8) == 0xf0) {
    need = 3;
    r = c0 & 0x07;
    min = 0x10000;
  } else {
    return;
  }
  if (i + need >= n) return;
  for (let k: u32 = 1; k <= need; k++) {
    const c = <u32>load<u8>(p + <usize>(i + k));
    if ((c & 0xc0) != 0x80) return;
    r = (r << 6) | (c & 0x3f);
  }
  if (r < min || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return;
  runeVal = r;
  runeSize = need + 1;
}

/** Number of runes in `n` bytes at `p`. */
export function runeCount(p: usize, n: u32): u32 {
  let c: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    decodeRune(p, i, n);
    i += runeSize;
    c++;
  }
  return c;
}

/** Byte offset of rune index `r` (clamped to n). */
export function runeOffset(p: usize, n: u32, r: u32): u32 {
  let i: u32 = 0;
  let k: u32 = 0;
  while (i < n && k < r) {
    decodeRune(p, i, n);
    i += runeSize;
    k++;
  }
  return i;
}

export function strValue(p: usize, n: u32): usize {
  return makeStringRef(p, n);
}
