// Encoding builtins: json.*, base64.*, base64url.*, hex.*, urlquery.encode/decode.

import { heapPtrGet, heapPtrSet } from "../allocator";
import { TYPE_STRING } from "../layout";
import { makeBoolean, stringLen, stringPtr } from "../values";
import { parseDocument, parseErrorOffset } from "../json-parse";
import { dumpValue } from "../dump";
import {
  typeErr, builtinErr, bStart, bByte, bBytes, bLit, bDone, bU64, raiseBuilt, ERR_BUILTIN, decodeRune, runeVal,
  runeSize,
} from "./util";

// @ts-ignore: decorator
@inline function isStr(v: usize): bool {
  return load<u8>(v) == TYPE_STRING;
}

export function fwb_json_marshal(v: usize): usize {
  const c = dumpValue(v, false);
  let n: u32 = 0;
  while (load<u8>(c + <usize>n) != 0) n++;
  bStart(n);
  bBytes(c, n);
  return bDone();
}

export function fwb_json_unmarshal(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const v = parseDocument(stringPtr(s), <usize>stringLen(s), false);
  if (v != 0) return v;
  bStart(48);
  bLit("invalid JSON text at byte ");
  bU64(<u64>parseErrorOffset);
  return raiseBuilt(ERR_BUILTIN);
}

export function fwb_json_is_valid(s: usize): usize {
  if (!isStr(s)) return makeBoolean(false);
  const mark = heapPtrGet();
  const v = parseDocument(stringPtr(s), <usize>stringLen(s), false);
  heapPtrSet(mark);
  return makeBoolean(v != 0);
}

// ---------------------------------------------------------------- base64

const STD: usize = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
  97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120,
  121, 122, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 43, 47,
]);

function b64Char(i: u32, url: bool): u32 {
  if (url) {
    if (i == 62) return 0x2d;
    if (i == 63) return 0x5f;
  }
  return <u32>load<u8>(STD + <usize>i);
}

function b64Index(c: u32, url: bool): i32 {
  if (c >= 0x41 && c <= 0x5a) return <i32>(c - 0x41);
  if (c >= 0x61 && c <= 0x7a) return <i32>(c - 0x61 + 26);
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30 + 52);
  if (c == (url ? 0x2d : 0x2b)) return 62;
  if (c == (url ? 0x5f : 0x2f)) return 63;
  return -1;
}

function b64Encode(s: usize, url: bool, padding: bool): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const p = stringPtr(s);
  const n = stringLen(s);
  bStart((n + 2) / 3 * 4);
  let i: u32 = 0;
  for (; i + 3 <= n; i += 3) {
    const x = (<u32>load<u8>(p + <usize>i) << 16) | (<u32>load<u8>(p + <usize>i + 1) << 8) | <u32>load<u8>(p + <usize>i + 2);
    bByte(b64Char(x >> 18, url));
    bByte(b64Char((x >> 12) & 63, url));
    bByte(b64Char((x >> 6) & 63, url));
    bByte(b64Char(x & 63, url));
  }
  const rest = n - i;
  if (rest > 0) {
    let x = <u32>load<u8>(p + <usize>i) << 16;
    if (rest == 2) x |= <u32>load<u8>(p + <usize>i + 1) << 8;
    bByte(b64Char(x >> 18, url));
    bByte(b64Char((x >> 12) & 63, url));
    if (rest == 2) bByte(b64Char((x >> 6) & 63, url));
    else if (padding) bByte(0x3d);
    if (padding) bByte(0x3d);
  }
  return bDone();
}

/** Offset of the first illegal byte (Go's CorruptInputError), or -1 when decoded into the builder. */
function b64Decode(p: usize, n: u32, url: bool): i64 {
  bStart(n);
  let acc: u32 = 0;
  let bits: u32 = 0;
  let i: u32 = 0;
  let quantum: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + <usize>i);
    if (c == 0x0a || c == 0x0d) {
      i++;
      continue;
    }
    if (c == 0x3d) {
      // padding: 1 or 2 '=' completing the quantum, then only newlines
      if (quantum < 2) return <i64>i;
      let need = 4 - quantum;
      let j = i;
      while (need > 0) {
        if (j >= n) return <i64>n;
        const d = <u32>load<u8>(p + <usize>j);
        if (d == 0x0a || d == 0x0d) {
          j++;
          continue;
        }
        if (d != 0x3d) return <i64>j;
        need--;
        j++;
      }
      while (j < n) {
        const d = <u32>load<u8>(p + <usize>j);
        if (d != 0x0a && d != 0x0d) return <i64>j;
        j++;
      }
      return -1;
    }
    const x = b64Index(c, url);
    if (x < 0) return <i64>i;
    acc = (acc << 6) | <u32>x;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bByte((acc >> bits) & 0xff);
    }
    quantum = (quantum + 1) & 3;
    i++;
  }
  if (quantum != 0) return <i64>n;
  return -1;
}

function decodeErr(off: i64): usize {
  bStart(48);
  bLit("illegal base64 data at input byte ");
  bU64(<u64>off);
  return raiseBuilt(ERR_BUILTIN);
}

export function fwb_base64_encode(s: usize): usize {
  return b64Encode(s, false, true);
}

export function fwb_base64url_encode(s: usize): usize {
  return b64Encode(s, true, true);
}

export function fwb_base64url_encode_no_pad(s: usize): usize {
  return b64Encode(s, true, false);
}

export function fwb_base64_decode(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const off = b64Decode(stringPtr(s), stringLen(s), false);
  if (off >= 0) return decodeErr(off);
  return bDone();
}

export function fwb_base64_is_valid(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const mark = heapPtrGet();
  const off = b64Decode(stringPtr(s), stringLen(s), false);
  heapPtrSet(mark);
  return makeBoolean(off < 0);
}

export function fwb_base64url_decode(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const p = stringPtr(s);
  const n = stringLen(s);
  if (n > 0 && load<u8>(p + <usize>(n - 1)) == 0x3d) {
    const off = b64Decode(p, n, true);
    if (off >= 0) return decodeErr(off);
    return bDone();
  }
  if (n % 4 == 1) {
    bStart(n + 32);
    bLit("illegal base64url string: ");
    bBytes(p, n);
    return raiseBuilt(ERR_BUILTIN);
  }
  // unpadded (RFC 7515): decode as if padded
  const off = b64Decode(p, n - n % 4, true);
  if (off >= 0) return decodeErr(off);
  const head = bDone();
  const rest = n % 4;
  if (rest == 0) return head;
  let acc: u32 = 0;
  for (let k: u32 = 0; k < rest; k++) {
    const x = b64Index(<u32>load<u8>(p + <usize>(n - rest + k)), true);
    if (x < 0) return decodeErr(<i64>(n - rest + k));
    acc = (acc << 6) | <u32>x;
  }
  bStart(stringLen(head) + 2);
  bBytes(stringPtr(head), stringLen(head));
  if (rest == 2) {
    bByte((acc >> 4) & 0xff);
  } else {
    bByte((acc >> 10) & 0xff);
    bByte((acc >> 2) & 0xff);
  }
  return bDone();
}

// ---------------------------------------------------------------- hex

const HEX: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const HEXU: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 65, 66, 67, 68, 69, 70]);

export function fwb_hex_encode(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const p = stringPtr(s);
  const n = stringLen(s);
  bStart(n * 2);
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + <usize>i);
    bByte(<u32>load<u8>(HEX + <usize>(c >> 4)));
    bByte(<u32>load<u8>(HEX + <usize>(c & 15)));
  }
  return bDone();
}

function hexVal(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  if (c >= 0x61 && c <= 0x66) return <i32>(c - 0x61 + 10);
  if (c >= 0x41 && c <= 0x46) return <i32>(c - 0x41 + 10);
  return -1;
}

function invalidByte(p: usize, i: u32, n: u32): usize {
  decodeRune(p, i, n);
  bStart(48);
  bLit("encoding/hex: invalid byte: U+");
  const r = runeVal == 0xfffd && runeSize == 1 ? <u32>load<u8>(p + <usize>i) : runeVal;
  const digits: i32 = r > 0xffff ? (r > 0xfffff ? 6 : 5) : 4;
  for (let s = (digits - 1) * 4; s >= 0; s -= 4) bByte(<u32>load<u8>(HEXU + <usize>((r >> <u32>s) & 15)));
  bLit(" '");
  bBytes(p + <usize>i, runeSize);
  bByte(0x27);
  return raiseBuilt(ERR_BUILTIN);
}

export function fwb_hex_decode(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const p = stringPtr(s);
  const n = stringLen(s);
  // Go checks the bytes of each complete pair first, then the odd length
  for (let i: u32 = 0; i + 1 < n; i += 2) {
    if (hexVal(<u32>load<u8>(p + <usize>i)) < 0) return invalidByte(p, i, n);
    if (hexVal(<u32>load<u8>(p + <usize>i + 1)) < 0) return invalidByte(p, i + 1, n);
  }
  if (n % 2 == 1) {
    if (hexVal(<u32>load<u8>(p + <usize>(n - 1))) < 0) return invalidByte(p, n - 1, n);
    return builtinErr("encoding/hex: odd length hex string");
  }
  bStart(n / 2);
  for (let i: u32 = 0; i + 1 < n; i += 2) {
    bByte(<u32>((hexVal(<u32>load<u8>(p + <usize>i)) << 4) | hexVal(<u32>load<u8>(p + <usize>i + 1))));
  }
  return bDone();
}

// ---------------------------------------------------------------- urlquery

export function fwb_urlquery_encode(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const p = stringPtr(s);
  const n = stringLen(s);
  bStart(n + 8);
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + <usize>i);
    const unreserved = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
      c == 0x2d || c == 0x5f || c == 0x2e || c == 0x7e;
    if (unreserved) {
      bByte(c);
    } else if (c == 0x20) {
      bByte(0x2b);
    } else {
      bByte(0x25);
      bByte(<u32>load<u8>(HEXU + <usize>(c >> 4)));
      bByte(<u32>load<u8>(HEXU + <usize>(c & 15)));
    }
  }
  return bDone();
}

export function fwb_urlquery_decode(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const p = stringPtr(s);
  const n = stringLen(s);
  // validate first (Go reports the first bad escape, up to 3 bytes of it)
  for (let i: u32 = 0; i < n; i++) {
    if (load<u8>(p + <usize>i) != 0x25) continue;
    if (i + 2 >= n || hexVal(<u32>load<u8>(p + <usize>i + 1)) < 0 || hexVal(<u32>load<u8>(p + <usize>i + 2)) < 0) {
      const end = i + 3 < n ? i + 3 : n;
      bStart(32);
      bLit("invalid URL escape \"");
      bBytes(p + <usize>i, end - i);
      bByte(0x22);
      return raiseBuilt(ERR_BUILTIN);
    }
    i += 2;
  }
  bStart(n);
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + <usize>i);
    if (c == 0x2b) {
      bByte(0x20);
    } else if (c == 0x25) {
      bByte(<u32>((hexVal(<u32>load<u8>(p + <usize>i + 1)) << 4) | hexVal(<u32>load<u8>(p + <usize>i + 2))));
      i += 2;
    } else {
      bByte(c);
    }
  }
  return bDone();
}
