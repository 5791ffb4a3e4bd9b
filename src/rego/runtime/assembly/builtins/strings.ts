// String builtins (byte-exact UTF-8, rune-based where OPA is).

import { TYPE_NULL, TYPE_BOOLEAN, TYPE_NUMBER, TYPE_STRING, TYPE_ARRAY, TYPE_OBJECT, TYPE_SET } from "../layout";
import { numberFromI64, parseNumberText, numberIsInt, numberInt } from "../number";
import {
  makeArray, arrayAppend, arrayLen, arrayElems, makeBoolean, stringLen, stringPtr, iterNext, entryKey, entryValue,
  makeStringRef,
} from "../values";
import { sortWords } from "../compare";
import {
  typeErr, elemErr, operandErr, builtinErr, bStart, bByte, bBytes, bStrVal, bLit, bRune, bDone, bLength,
  decodeRune, runeVal, runeSize, runeCount, runeOffset, raiseBuilt, ERR_BUILTIN, ERR_TYPE, bU64,
} from "./util";
import { elemAt } from "./aggregates";
import { isIntegral, truncNumber, sign, checkInteger } from "./numbers";

// @ts-ignore: decorator
@inline function isStr(v: usize): bool {
  return load<u8>(v) == TYPE_STRING;
}

function sub(s: usize, from: u32, to: u32): usize {
  return makeStringRef(stringPtr(s) + <usize>from, to - from);
}

/** Byte index of `needle` (n2 bytes) in `hay` (n1 bytes) at or after `from`, or -1. */
function find(hay: usize, n1: u32, needle: usize, n2: u32, from: u32): i32 {
  if (n2 == 0) return from <= n1 ? <i32>from : -1;
  if (n2 > n1) return -1;
  const c0 = load<u8>(needle);
  for (let i = from; i + n2 <= n1; i++) {
    if (load<u8>(hay + <usize>i) == c0 && memory.compare(hay + <usize>i, needle, <usize>n2) == 0) return <i32>i;
  }
  return -1;
}

function hasPrefix(s: usize, p: usize): bool {
  const n = stringLen(p);
  return stringLen(s) >= n && memory.compare(stringPtr(s), stringPtr(p), <usize>n) == 0;
}

function hasSuffix(s: usize, p: usize): bool {
  const n = stringLen(p);
  const m = stringLen(s);
  return m >= n && memory.compare(stringPtr(s) + <usize>(m - n), stringPtr(p), <usize>n) == 0;
}

export function fwb_concat(delim: usize, coll: usize): usize {
  if (!isStr(delim)) return typeErr(1, "string", delim);
  const t = load<u8>(coll);
  if (t != TYPE_ARRAY && t != TYPE_SET) return typeErr(2, "one of {set, array}", coll);
  let src = coll;
  if (t == TYPE_SET) {
    // sets join in sorted order
    const n = <u32>load<u32>(coll, 4);
    src = makeArray(n);
    for (let i = iterNext(coll, -1); i >= 0; i = iterNext(coll, i)) arrayAppend(src, entryKey(coll, <u32>i));
    sortWords(arrayElems(src), arrayLen(src), false);
  }
  const n = arrayLen(src);
  for (let i: u32 = 0; i < n; i++) {
    const x = elemAt(src, <i32>i);
    if (!isStr(x)) return elemErr(2, coll, "string", x);
  }
  bStart(64);
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) bStrVal(delim);
    bStrVal(elemAt(src, <i32>i));
  }
  return bDone();
}

export function fwb_contains(a: usize, b: usize): usize {
  if (!isStr(a)) return typeErr(1, "string", a);
  if (!isStr(b)) return typeErr(2, "string", b);
  return makeBoolean(find(stringPtr(a), stringLen(a), stringPtr(b), stringLen(b), 0) >= 0);
}

export function fwb_startswith(a: usize, b: usize): usize {
  if (!isStr(a)) return typeErr(1, "string", a);
  if (!isStr(b)) return typeErr(2, "string", b);
  return makeBoolean(hasPrefix(a, b));
}

export function fwb_endswith(a: usize, b: usize): usize {
  if (!isStr(a)) return typeErr(1, "string", a);
  if (!isStr(b)) return typeErr(2, "string", b);
  return makeBoolean(hasSuffix(a, b));
}

/** Simple case mapping: ASCII, Latin-1, Greek and Cyrillic basic letters. */
function mapCase(r: u32, upper: bool): u32 {
  if (upper) {
    if (r >= 0x61 && r <= 0x7a) return r - 32;
    if (r < 0x80) return r;
    if ((r >= 0xe0 && r <= 0xfe && r != 0xf7)) return r - 32;
    if (r == 0xff) return 0x178;
    if (r >= 0x100 && r <= 0x17f && r != 0x131 && r != 0x138 && r != 0x149 && r != 0x17f) {
      const even = (r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17e) ? (r & 1) == 0 : (r & 1) == 1;
      return even ? r - 1 : r;
    }
    if (r >= 0x3b1 && r <= 0x3c9 && r != 0x3c2) return r - 32;
    if (r >= 0x430 && r <= 0x44f) return r - 32;
    if (r >= 0x450 && r <= 0x45f) return r - 80;
    return r;
  }
  if (r >= 0x41 && r <= 0x5a) return r + 32;
  if (r < 0x80) return r;
  if (r >= 0xc0 && r <= 0xde && r != 0xd7) return r + 32;
  if (r == 0x178) return 0xff;
  if (r >= 0x100 && r <= 0x17f && r != 0x130 && r != 0x138 && r != 0x149 && r != 0x17f) {
    const odd = (r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17e) ? (r & 1) == 1 : (r & 1) == 0;
    return odd ? r + 1 : r;
  }
  if (r >= 0x391 && r <= 0x3a9 && r != 0x3a2) return r + 32;
  if (r >= 0x410 && r <= 0x42f) return r + 32;
  if (r >= 0x400 && r <= 0x40f) return r + 80;
  return r;
}

function caseMap(a: usize, upper: bool): usize {
  if (!isStr(a)) return typeErr(1, "string", a);
  const p = stringPtr(a);
  const n = stringLen(a);
  bStart(n);
  let i: u32 = 0;
  while (i < n) {
    decodeRune(p, i, n);
    if (runeVal == 0xfffd && runeSize == 1) {
      bByte(<u32>load<u8>(p + <usize>i));
    } else {
      bRune(mapCase(runeVal, upper));
    }
    i += runeSize;
  }
  return bDone();
}

export function fwb_lower(a: usize): usize {
  return caseMap(a, false);
}

export function fwb_upper(a: usize): usize {
  return caseMap(a, true);
}

export function fwb_split(a: usize, d: usize): usize {
  if (!isStr(a)) return typeErr(1, "string", a);
  if (!isStr(d)) return typeErr(2, "string", d);
  const p = stringPtr(a);
  const n = stringLen(a);
  const dn = stringLen(d);
  const r = makeArray(0);
  if (dn == 0) {
    let i: u32 = 0;
    while (i < n) {
      decodeRune(p, i, n);
      arrayAppend(r, sub(a, i, i + runeSize));
      i += runeSize;
    }
    return r;
  }
  let start: u32 = 0;
  while (true) {
    const j = find(p, n, stringPtr(d), dn, start);
    if (j < 0) break;
    arrayAppend(r, sub(a, start, <u32>j));
    start = <u32>j + dn;
  }
  arrayAppend(r, sub(a, start, n));
  return r;
}

/** Go's strings.Replace(s, old, new, -1). */
function replaceAll(s: usize, old: usize, nw: usize): usize {
  const p = stringPtr(s);
  const n = stringLen(s);
  const on = stringLen(old);
  bStart(n + 8);
  if (on == 0) {
    let i: u32 = 0;
    bStrVal(nw);
    while (i < n) {
      decodeRune(p, i, n);
      bBytes(p + <usize>i, runeSize);
      bStrVal(nw);
      i += runeSize;
    }
    return bDone();
  }
  let start: u32 = 0;
  while (true) {
    const j = find(p, n, stringPtr(old), on, start);
    if (j < 0) break;
    bBytes(p + <usize>start, <u32>j - start);
    bStrVal(nw);
    start = <u32>j + on;
  }
  bBytes(p + <usize>start, n - start);
  return bDone();
}

export function fwb_replace(s: usize, old: usize, nw: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  if (!isStr(old)) return typeErr(2, "string", old);
  if (!isStr(nw)) return typeErr(3, "string", nw);
  return replaceAll(s, old, nw);
}

export function fwb_strings_replace_n(patterns: usize, s: usize): usize {
  if (load<u8>(patterns) != TYPE_OBJECT) return typeErr(1, "object", patterns);
  if (!isStr(s)) return typeErr(2, "string", s);
  // keys in sorted order; earlier keys win at a position (like Go's strings.Replacer)
  const keys = makeArray(0);
  for (let i = iterNext(patterns, -1); i >= 0; i = iterNext(patterns, i)) {
    const k = entryKey(patterns, <u32>i);
    if (!isStr(k)) return operandErr(1, "non-string key found in pattern object");
    if (!isStr(entryValue(patterns, <u32>i))) return operandErr(1, "non-string value found in pattern object");
    arrayAppend(keys, k);
  }
  sortWords(arrayElems(keys), arrayLen(keys), false);
  const nk = arrayLen(keys);
  const p = stringPtr(s);
  const n = stringLen(s);
  // Replacement texts, looked up once.
  const vals = makeArray(nk);
  for (let k: u32 = 0; k < nk; k++) {
    const key = elemAt(keys, <i32>k);
    for (let i = iterNext(patterns, -1); i >= 0; i = iterNext(patterns, i)) {
      if (entryKey(patterns, <u32>i) == key) arrayAppend(vals, entryValue(patterns, <u32>i));
    }
  }
  bStart(n + 8);
  let i: u32 = 0;
  while (i < n) {
    let matched = false;
    for (let k: u32 = 0; k < nk; k++) {
      const key = elemAt(keys, <i32>k);
      const kn = stringLen(key);
      if (kn > 0 && i + kn <= n && memory.compare(p + <usize>i, stringPtr(key), <usize>kn) == 0) {
        bStrVal(elemAt(vals, <i32>k));
        i += kn;
        matched = true;
        break;
      }
    }
    if (!matched) {
      bByte(<u32>load<u8>(p + <usize>i));
      i++;
    }
  }
  return bDone();
}

function inCutset(r: u32, cut: usize): bool {
  const p = stringPtr(cut);
  const n = stringLen(cut);
  let i: u32 = 0;
  while (i < n) {
    decodeRune(p, i, n);
    if (runeVal == r) return true;
    i += runeSize;
  }
  return false;
}

function isSpace(r: u32): bool {
  if (r == 0x20 || (r >= 0x09 && r <= 0x0d)) return true;
  if (r < 0x80) return false;
  return r == 0x85 || r == 0xa0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200a) || r == 0x2028 || r == 0x2029 ||
    r == 0x202f || r == 0x205f || r == 0x3000;
}

/** Bytes to trim from the left: runes in the cutset (or whitespace when cut == 0). */
function leftCut(s: usize, cut: usize): u32 {
  const p = stringPtr(s);
  const n = stringLen(s);
  let i: u32 = 0;
  while (i < n) {
    decodeRune(p, i, n);
    if (cut == 0 ? !isSpace(runeVal) : !inCutset(runeVal, cut)) break;
    i += runeSize;
  }
  return i;
}

/** End offset after trimming runes from the right (not below `lo`). */
function rightCut(s: usize, cut: usize, lo: u32): u32 {
  const p = stringPtr(s);
  let end = stringLen(s);
  while (end > lo) {
    // find the start of the last rune
    let st = end - 1;
    while (st > lo && (load<u8>(p + <usize>st) & 0xc0) == 0x80 && end - st < 4) st--;
    decodeRune(p, st, end);
    if (st + runeSize != end) {
      st = end - 1;
      runeVal = 0xfffd;
    }
    if (cut == 0 ? !isSpace(runeVal) : !inCutset(runeVal, cut)) break;
    end = st;
  }
  return end;
}

function trimCheck(s: usize, c: usize): bool {
  if (!isStr(s)) {
    typeErr(1, "string", s);
    return false;
  }
  if (!isStr(c)) {
    typeErr(2, "string", c);
    return false;
  }
  return true;
}

export function fwb_trim(s: usize, c: usize): usize {
  if (!trimCheck(s, c)) return 0;
  const l = leftCut(s, c);
  return sub(s, l, rightCut(s, c, l));
}

export function fwb_trim_left(s: usize, c: usize): usize {
  if (!trimCheck(s, c)) return 0;
  return sub(s, leftCut(s, c), stringLen(s));
}

export function fwb_trim_right(s: usize, c: usize): usize {
  if (!trimCheck(s, c)) return 0;
  return sub(s, 0, rightCut(s, c, 0));
}

export function fwb_trim_prefix(s: usize, c: usize): usize {
  if (!trimCheck(s, c)) return 0;
  return hasPrefix(s, c) ? sub(s, stringLen(c), stringLen(s)) : s;
}

export function fwb_trim_suffix(s: usize, c: usize): usize {
  if (!trimCheck(s, c)) return 0;
  return hasSuffix(s, c) ? sub(s, 0, stringLen(s) - stringLen(c)) : s;
}

export function fwb_trim_space(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const l = leftCut(s, 0);
  return sub(s, l, rightCut(s, 0, l));
}

export function fwb_indexof(s: usize, t: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  if (!isStr(t)) return typeErr(2, "string", t);
  const j = find(stringPtr(s), stringLen(s), stringPtr(t), stringLen(t), 0);
  if (j < 0) return numberFromI64(-1);
  return numberFromI64(<i64>runeCount(stringPtr(s), <u32>j));
}

export function fwb_indexof_n(s: usize, t: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  if (!isStr(t)) return typeErr(2, "string", t);
  const p = stringPtr(s);
  const n = stringLen(s);
  const r = makeArray(0);
  let from: u32 = 0;
  while (from <= n) {
    const j = find(p, n, stringPtr(t), stringLen(t), from);
    if (j < 0) break;
    arrayAppend(r, numberFromI64(<i64>runeCount(p, <u32>j)));
    if (<u32>j >= n) break;
    decodeRune(p, <u32>j, n);
    from = <u32>j + runeSize;
  }
  return r;
}

export function fwb_substring(s: usize, start: usize, length: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  if (load<u8>(start) != TYPE_NUMBER) return typeErr(2, "number", start);
  if (!isIntegral(start)) return operandErr(2, "must be integer number but got floating-point number");
  if (load<u8>(length) != TYPE_NUMBER) return typeErr(3, "number", length);
  if (!isIntegral(length)) return operandErr(3, "must be integer number but got floating-point number");
  const p = stringPtr(s);
  const n = stringLen(s);
  const runes = <i64>runeCount(p, n);
  const st: i64 = numberIsInt(start) ? numberInt(start) : (sign(start) < 0 ? i64.MIN_VALUE : i64.MAX_VALUE);
  if (st < 0) return builtinErr("negative offset");
  if (st >= runes) return makeStringRef(p, 0);
  const from = runeOffset(p, n, <u32>st);
  const ln: i64 = numberIsInt(length) ? numberInt(length) : (sign(length) < 0 ? -1 : i64.MAX_VALUE);
  if (ln < 0 || st + ln >= runes) return sub(s, from, n);
  const to = from + runeOffset(p + <usize>from, n - from, <u32>ln);
  return sub(s, from, to);
}

export function fwb_strings_reverse(s: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  const p = stringPtr(s);
  const n = stringLen(s);
  bStart(n);
  const out = bDone();
  const q = stringPtr(out);
  let i: u32 = 0;
  while (i < n) {
    decodeRune(p, i, n);
    memory.copy(q + <usize>(n - i - runeSize), p + <usize>i, <usize>runeSize);
    i += runeSize;
  }
  store<u32>(out, n, 4);
  return out;
}

export function fwb_strings_count(s: usize, t: usize): usize {
  if (!isStr(s)) return typeErr(1, "string", s);
  if (!isStr(t)) return typeErr(2, "string", t);
  const p = stringPtr(s);
  const n = stringLen(s);
  const tn = stringLen(t);
  if (tn == 0) return numberFromI64(<i64>runeCount(p, n) + 1);
  let c: i64 = 0;
  let from: u32 = 0;
  while (true) {
    const j = find(p, n, stringPtr(t), tn, from);
    if (j < 0) break;
    c++;
    from = <u32>j + tn;
  }
  return numberFromI64(c);
}

/** Checks a string / array of strings / set of strings operand. */
function checkStrs(v: usize, pos: i32): bool {
  const t = load<u8>(v);
  if (t == TYPE_STRING) return true;
  if (t != TYPE_ARRAY && t != TYPE_SET) {
    typeErr(pos, "one of {string, set, array}", v);
    return false;
  }
  for (let i = iterNext(v, -1); i >= 0; i = iterNext(v, i)) {
    const x = elemAt(v, i);
    if (!isStr(x)) {
      elemErr(pos, v, "string", x);
      return false;
    }
  }
  return true;
}

function anyMatch(a: usize, b: usize, suffix: bool): usize {
  if (!checkStrs(a, 1) || !checkStrs(b, 2)) return 0;
  const aScalar = isStr(a);
  const bScalar = isStr(b);
  for (let i = aScalar ? 0 : iterNext(a, -1); i >= 0; i = aScalar ? -1 : iterNext(a, i)) {
    const x = aScalar ? a : elemAt(a, i);
    for (let j = bScalar ? 0 : iterNext(b, -1); j >= 0; j = bScalar ? -1 : iterNext(b, j)) {
      const y = bScalar ? b : elemAt(b, j);
      if (suffix ? hasSuffix(x, y) : hasPrefix(x, y)) return makeBoolean(true);
    }
  }
  return makeBoolean(false);
}

export function fwb_strings_any_prefix_match(a: usize, b: usize): usize {
  return anyMatch(a, b, false);
}

export function fwb_strings_any_suffix_match(a: usize, b: usize): usize {
  return anyMatch(a, b, true);
}

export function fwb_format_int(n: usize, base: usize): usize {
  if (load<u8>(n) != TYPE_NUMBER) return typeErr(1, "number", n);
  if (load<u8>(base) != TYPE_NUMBER) return typeErr(2, "number", base);
  const b: i64 = numberIsInt(base) ? numberInt(base) : 0;
  if (b != 2 && b != 8 && b != 10 && b != 16) return operandErr(2, "must be one of {2, 8, 10, 16}");
  const t = truncNumber(n);
  if (!numberIsInt(t)) return builtinErr("number too large for format_int");
  const x = numberInt(t);
  let u: u64 = x < 0 ? <u64>(0 - x) : <u64>x;
  bStart(70);
  if (x < 0) bByte(0x2d);
  if (b == 10) {
    bU64(u);
    return bDone();
  }
  let d: i32 = 0;
  let tmp = u;
  do {
    tmp /= <u64>b;
    d++;
  } while (tmp != 0);
  const startLen = bLength();
  for (let k: i32 = 0; k < d; k++) bByte(0x30);
  const out = bDone();
  const q = stringPtr(out) + <usize>startLen;
  for (let k = d - 1; k >= 0; k--) {
    const dig = <u32>(u % <u64>b);
    store<u8>(q + <usize>k, <u8>(dig < 10 ? 0x30 + dig : 0x57 + dig));
    u /= <u64>b;
  }
  return out;
}

/** Whether the bytes (after an optional sign) spell NaN, Inf or Infinity in any case, as Go's ParseFloat accepts. */
function isNanOrInfinity(p: usize, n: u32): bool {
  if (n > 0 && load<u8>(p) == 0x2d) {
    p++;
    n--;
  }
  if (n != 3 && n != 8) return false;
  const word = n == 3 ? "nan" : "infinity";
  const alt = "inf";
  let isWord = true;
  let isAlt = n == 3;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i) | 0x20;
    if (c != <u8>word.charCodeAt(i)) isWord = false;
    if (n == 3 && c != <u8>alt.charCodeAt(i)) isAlt = false;
  }
  return isWord || isAlt;
}

export function fwb_to_number(v: usize): usize {
  const t = load<u8>(v);
  if (t == TYPE_NUMBER) return v;
  if (t == TYPE_NULL) return numberFromI64(0);
  if (t == TYPE_BOOLEAN) return numberFromI64(<i64>load<u32>(v, 4));
  if (t != TYPE_STRING) return typeErr(1, "one of {null, boolean, number, string}", v);
  let p = stringPtr(v);
  let n = stringLen(v);
  if (n > 0 && load<u8>(p) == 0x2b) {
    p++;
    n--;
  }
  const r = n > 0 && load<u8>(p) != 0x2b ? parseNumberText(p, <usize>n) : 0;
  if (r != 0) return r;
  if (isNanOrInfinity(p, n)) {
    // Go parses these, OPA rejects them: Rego numbers are finite.
    bStart(64 + stringLen(v));
    bLit("operand 1 must be a finite number but got ");
    quoteGo(stringPtr(v), stringLen(v));
    return raiseBuilt(ERR_TYPE);
  }
  bStart(48 + stringLen(v));
  bLit("strconv.ParseFloat: parsing ");
  quoteGo(stringPtr(v), stringLen(v));
  bLit(": invalid syntax");
  return raiseBuilt(ERR_BUILTIN);
}

const HEX: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/** Appends a Go-quoted (strconv.Quote) string literal. */
export function quoteGo(p: usize, n: u32): void {
  bByte(0x22);
  let i: u32 = 0;
  while (i < n) {
    decodeRune(p, i, n);
    const r = runeVal;
    const invalid = r == 0xfffd && runeSize == 1;
    if (invalid) {
      bLit("\\x");
      const c = <u32>load<u8>(p + <usize>i);
      bByte(<u32>load<u8>(HEX + <usize>(c >> 4)));
      bByte(<u32>load<u8>(HEX + <usize>(c & 15)));
    } else if (r == 0x22 || r == 0x5c) {
      bByte(0x5c);
      bByte(r);
    } else if (r == 0x0a) {
      bLit("\\n");
    } else if (r == 0x09) {
      bLit("\\t");
    } else if (r == 0x0d) {
      bLit("\\r");
    } else if (r == 0x07) {
      bLit("\\a");
    } else if (r == 0x08) {
      bLit("\\b");
    } else if (r == 0x0c) {
      bLit("\\f");
    } else if (r == 0x0b) {
      bLit("\\v");
    } else if (r < 0x20 || r == 0x7f) {
      bLit("\\x");
      bByte(<u32>load<u8>(HEX + <usize>(r >> 4)));
      bByte(<u32>load<u8>(HEX + <usize>(r & 15)));
    } else if ((r >= 0x80 && r < 0xa0) || r == 0xad || r == 0xfeff || (r >= 0x2028 && r <= 0x2029)) {
      bLit("\\u");
      for (let s: i32 = 12; s >= 0; s -= 4) bByte(<u32>load<u8>(HEX + <usize>((r >> <u32>s) & 15)));
    } else {
      bBytes(p + <usize>i, runeSize);
    }
    i += runeSize;
  }
  bByte(0x22);
}

