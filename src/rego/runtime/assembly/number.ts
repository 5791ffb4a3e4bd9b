// Exact Rego numbers.
//
// Canonical forms (see layout.ts): integers that fit i64 are INT; every other
// value is DEC = (-1)^neg * magnitude * 10^exp with a base-1e9 magnitude that
// has no trailing decimal zeros. Parsing, add, sub, mul and comparison are
// exact. Nothing falls back to float64. Limits: |exp| <= 1e9, and an add/sub/
// compare that would need more than MAX_ALIGN_DIGITS digits of alignment
// aborts (add/sub) instead of silently rounding.

import { malloc, calloc, heapPtrGet, heapPtrSet } from "./allocator";
import { abortWith } from "./host";
import { TYPE_NUMBER, NUM_INT, NUM_DEC } from "./layout";

const BASE: u32 = 1000000000;
const BASE64: u64 = 1000000000;
const MAX_ALIGN_DIGITS: i64 = 100000;
const MAX_EXP: i64 = 1000000000;

/** Second return value of the magnitude helpers: limb count of the result in rPtr. */
let rPtr: usize = 0;
let rLen: u32 = 0;

/** Set by parseNumberText when it returns 0: 1 = syntax, 2 = exponent out of range. */
export let numberParseError: i32 = 0;

// @ts-ignore: decorator
@inline function limb(p: usize, i: u32): u32 {
  return load<u32>(p + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function setLimb(p: usize, i: u32, x: u32): void {
  store<u32>(p + (<usize>i << 2), x);
}

export function numberFromI64(x: i64): usize {
  const v = malloc(16);
  store<u32>(v, 0);
  store<u8>(v, TYPE_NUMBER);
  store<u8>(v, NUM_INT, 1);
  store<u32>(v, 0, 4);
  store<i64>(v, x, 8);
  return v;
}

function allocDec(neg: bool, exp: i32, limbs: usize, n: u32): usize {
  const v = malloc(16);
  store<u8>(v, TYPE_NUMBER);
  store<u8>(v, NUM_DEC, 1);
  store<u8>(v, neg ? 1 : 0, 2);
  store<u8>(v, 0, 3);
  store<i32>(v, exp, 4);
  store<u32>(v, n, 8);
  store<u32>(v, <u32>limbs, 12);
  return v;
}

// @ts-ignore: decorator
@inline export function numberIsInt(v: usize): bool {
  return load<u8>(v, 1) == NUM_INT;
}
// @ts-ignore: decorator
@inline export function numberInt(v: usize): i64 {
  return load<i64>(v, 8);
}
// @ts-ignore: decorator
@inline export function decNeg(d: usize): bool {
  return load<u8>(d, 2) != 0;
}
// @ts-ignore: decorator
@inline export function decExp(d: usize): i32 {
  return load<i32>(d, 4);
}
// @ts-ignore: decorator
@inline export function decLen(d: usize): u32 {
  return load<u32>(d, 8);
}
// @ts-ignore: decorator
@inline export function decLimbs(d: usize): usize {
  return <usize>load<u32>(d, 12);
}

/** DEC view of any number (allocates for INT; INT 0 has zero limbs). */
function toDec(v: usize): usize {
  if (load<u8>(v, 1) != NUM_INT) return v;
  const x = load<i64>(v, 8);
  let m: u64 = x < 0 ? <u64>(0 - x) : <u64>x;
  const p = malloc(12);
  let n: u32 = 0;
  while (m != 0) {
    setLimb(p, n, <u32>(m % BASE64));
    m /= BASE64;
    n++;
  }
  return allocDec(x < 0, 0, p, n);
}

function digitsOfLimb(x: u32): i32 {
  let d: i32 = 1;
  while (x >= 10) {
    x /= 10;
    d++;
  }
  return d;
}

function magDigits(p: usize, n: u32): i32 {
  if (n == 0) return 0;
  return 9 * <i32>(n - 1) + digitsOfLimb(limb(p, n - 1));
}

function trim(p: usize, n: u32): u32 {
  while (n > 0 && limb(p, n - 1) == 0) n--;
  return n;
}

function magCmp(a: usize, an: u32, b: usize, bn: u32): i32 {
  if (an != bn) return an < bn ? -1 : 1;
  for (let i = <i32>an - 1; i >= 0; i--) {
    const x = limb(a, <u32>i);
    const y = limb(b, <u32>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

function magAdd(a: usize, an: u32, b: usize, bn: u32): void {
  const n = (an > bn ? an : bn) + 1;
  const r = malloc(<usize>n << 2);
  let carry: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let s = (i < an ? limb(a, i) : 0) + (i < bn ? limb(b, i) : 0) + carry;
    if (s >= BASE) {
      s -= BASE;
      carry = 1;
    } else {
      carry = 0;
    }
    setLimb(r, i, s);
  }
  rPtr = r;
  rLen = trim(r, n);
}

/** a - b for a >= b. */
function magSub(a: usize, an: u32, b: usize, bn: u32): void {
  const slots: usize = an > 0 ? <usize>an : 1;
  const r = malloc(slots << 2);
  let borrow: i64 = 0;
  for (let i: u32 = 0; i < an; i++) {
    let d = <i64>limb(a, i) - (i < bn ? <i64>limb(b, i) : 0) - borrow;
    if (d < 0) {
      d += <i64>BASE;
      borrow = 1;
    } else {
      borrow = 0;
    }
    setLimb(r, i, <u32>d);
  }
  rPtr = r;
  rLen = trim(r, an);
}

function magMul(a: usize, an: u32, b: usize, bn: u32): void {
  if (an == 0 || bn == 0) {
    rPtr = 0;
    rLen = 0;
    return;
  }
  const n = an + bn;
  const r = calloc(<usize>n << 2);
  for (let i: u32 = 0; i < an; i++) {
    const x = <u64>limb(a, i);
    let carry: u64 = 0;
    for (let j: u32 = 0; j < bn; j++) {
      const t = <u64>limb(r, i + j) + x * <u64>limb(b, j) + carry;
      setLimb(r, i + j, <u32>(t % BASE64));
      carry = t / BASE64;
    }
    let k = i + bn;
    while (carry != 0) {
      const t = <u64>limb(r, k) + carry;
      setLimb(r, k, <u32>(t % BASE64));
      carry = t / BASE64;
      k++;
    }
  }
  rPtr = r;
  rLen = trim(r, n);
}

/** magnitude * 10^k (k >= 0). Returns the input unchanged when k == 0. */
function magScale10(a: usize, an: u32, k: i64): void {
  if (k == 0 || an == 0) {
    rPtr = a;
    rLen = an;
    return;
  }
  const q = <u32>(k / 9);
  const rem = <i32>(k % 9);
  let m: u64 = 1;
  for (let i: i32 = 0; i < rem; i++) m *= 10;
  const n = an + q + 1;
  const r = malloc(<usize>n << 2);
  for (let i: u32 = 0; i < q; i++) setLimb(r, i, 0);
  let carry: u64 = 0;
  for (let i: u32 = 0; i < an; i++) {
    const t = <u64>limb(a, i) * m + carry;
    setLimb(r, q + i, <u32>(t % BASE64));
    carry = t / BASE64;
  }
  setLimb(r, q + an, <u32>carry);
  rPtr = r;
  rLen = trim(r, n);
}

/**
 * Builds the canonical number for (-1)^neg * magnitude(p, n) * 10^exp.
 * `p` must be owned by the caller (it may be modified in place).
 * Returns 0 if the exponent is out of range.
 */
function makeNumber(neg: bool, exp: i64, p: usize, n: u32): usize {
  n = trim(p, n);
  if (n == 0) return numberFromI64(0);
  let z: u32 = 0;
  while (limb(p, z) == 0) z++;
  if (z > 0) {
    p += <usize>z << 2;
    n -= z;
    exp += 9 * <i64>z;
  }
  let low = limb(p, 0);
  let t: i32 = 0;
  let pow: u32 = 1;
  while (low % 10 == 0) {
    low /= 10;
    pow *= 10;
    t++;
  }
  if (t > 0) {
    let rem: u64 = 0;
    for (let i = <i32>n - 1; i >= 0; i--) {
      const cur = rem * BASE64 + <u64>limb(p, <u32>i);
      setLimb(p, <u32>i, <u32>(cur / <u64>pow));
      rem = cur % <u64>pow;
    }
    n = trim(p, n);
    exp += t;
  }
  if (exp >= 0) {
    const d = <i64>magDigits(p, n);
    if (d + exp <= 19) {
      let m: u64 = 0;
      for (let i = <i32>n - 1; i >= 0; i--) m = m * BASE64 + <u64>limb(p, <u32>i);
      for (let e: i64 = 0; e < exp; e++) m *= 10;
      const maxPos = <u64>i64.MAX_VALUE;
      if (!neg && m <= maxPos) return numberFromI64(<i64>m);
      if (neg && m <= maxPos + 1) return numberFromI64(<i64>(0 - m));
    }
  }
  if (exp > MAX_EXP || exp < -MAX_EXP) return 0;
  return allocDec(neg, <i32>exp, p, n);
}

function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

/**
 * Parses a JSON number token exactly. Returns 0 on bad syntax
 * (numberParseError = 1) or an exponent beyond +-1e9 (numberParseError = 2).
 */
export function parseNumberText(s: usize, len: usize): usize {
  numberParseError = 1;
  let i: usize = 0;
  let neg = false;
  if (i < len && load<u8>(s) == 0x2d) {
    neg = true;
    i++;
  }
  if (i >= len) return 0;
  const intStart = i;
  const c0 = <u32>load<u8>(s + i);
  if (c0 == 0x30) {
    i++;
  } else if (isDigit(c0)) {
    while (i < len && isDigit(<u32>load<u8>(s + i))) i++;
  } else {
    return 0;
  }
  const intEnd = i;
  let fracStart: usize = i;
  let fracEnd: usize = i;
  if (i < len && load<u8>(s + i) == 0x2e) {
    i++;
    fracStart = i;
    while (i < len && isDigit(<u32>load<u8>(s + i))) i++;
    if (i == fracStart) return 0;
    fracEnd = i;
  }
  let hasExp = false;
  let expVal: i64 = 0;
  if (i < len && (load<u8>(s + i) | 0x20) == 0x65) {
    hasExp = true;
    i++;
    let expNeg = false;
    if (i < len && (load<u8>(s + i) == 0x2b || load<u8>(s + i) == 0x2d)) {
      expNeg = load<u8>(s + i) == 0x2d;
      i++;
    }
    const expStart = i;
    while (i < len && isDigit(<u32>load<u8>(s + i))) {
      if (expVal < 100000000000) expVal = expVal * 10 + <i64>(load<u8>(s + i) - 0x30);
      i++;
    }
    if (i == expStart) return 0;
    if (expNeg) expVal = -expVal;
  }
  if (i != len) return 0;
  const intDigits = intEnd - intStart;
  const fracDigits = fracEnd - fracStart;
  if (!hasExp && fracDigits == 0 && intDigits <= 18) {
    let x: i64 = 0;
    for (let k = intStart; k < intEnd; k++) x = x * 10 + <i64>(load<u8>(s + k) - 0x30);
    numberParseError = 0;
    return numberFromI64(neg ? -x : x);
  }
  const total = intDigits + fracDigits;
  const n = <u32>((total + 8) / 9);
  const p = malloc(<usize>n << 2);
  // Fill limbs from the least significant digit.
  let li: u32 = 0;
  let acc: u32 = 0;
  let mul: u32 = 1;
  let k = total;
  while (k > 0) {
    k--;
    const c = k < intDigits ? load<u8>(s + intStart + k) : load<u8>(s + fracStart + (k - intDigits));
    acc += <u32>(c - 0x30) * mul;
    mul *= 10;
    if (mul == BASE) {
      setLimb(p, li++, acc);
      acc = 0;
      mul = 1;
    }
  }
  if (mul != 1) setLimb(p, li++, acc);
  const exp = expVal - <i64>fracDigits;
  if (exp > 2 * MAX_EXP || exp < -2 * MAX_EXP) {
    // Zero with a huge exponent is still zero.
    if (trim(p, li) == 0) {
      numberParseError = 0;
      return numberFromI64(0);
    }
    numberParseError = 2;
    return 0;
  }
  const v = makeNumber(neg, exp, p, li);
  if (v == 0) {
    numberParseError = 2;
    return 0;
  }
  numberParseError = 0;
  return v;
}

function signOf(d: usize): i32 {
  if (decLen(d) == 0) return 0;
  return decNeg(d) ? -1 : 1;
}

/** Compares |a| and |b| (both DEC views, non-zero). */
function magCompareScaled(da: usize, db: usize): i32 {
  const ea = <i64>decExp(da);
  const eb = <i64>decExp(db);
  const pa = decLimbs(da);
  const na = decLen(da);
  const pb = decLimbs(db);
  const nb = decLen(db);
  const adjA = <i64>magDigits(pa, na) + ea;
  const adjB = <i64>magDigits(pb, nb) + eb;
  if (adjA != adjB) return adjA < adjB ? -1 : 1;
  if (ea == eb) return magCmp(pa, na, pb, nb);
  if (ea > eb) {
    magScale10(pa, na, ea - eb);
    return magCmp(rPtr, rLen, pb, nb);
  }
  magScale10(pb, nb, eb - ea);
  return magCmp(pa, na, rPtr, rLen);
}

/** Exact numeric comparison: -1, 0 or 1. Allocates nothing (temporaries are released). */
export function numberCompare(a: usize, b: usize): i32 {
  if (numberIsInt(a) && numberIsInt(b)) {
    const x = numberInt(a);
    const y = numberInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const mark = heapPtrGet();
  const da = toDec(a);
  const db = toDec(b);
  const sa = signOf(da);
  const sb = signOf(db);
  let c: i32;
  if (sa != sb) {
    c = sa < sb ? -1 : 1;
  } else if (sa == 0) {
    c = 0;
  } else {
    c = magCompareScaled(da, db);
    if (sa < 0) c = -c;
  }
  heapPtrSet(mark);
  return c;
}

/** Canonical forms make numeric equality structural. */
export function numberEqual(a: usize, b: usize): bool {
  const ka = load<u8>(a, 1);
  if (ka != load<u8>(b, 1)) return false;
  if (ka == NUM_INT) return numberInt(a) == numberInt(b);
  if (decNeg(a) != decNeg(b) || decExp(a) != decExp(b)) return false;
  return magCmp(decLimbs(a), decLen(a), decLimbs(b), decLen(b)) == 0;
}

function decAdd(da: usize, db: usize, negateB: bool): usize {
  const na = decNeg(da);
  const nb = decNeg(db) != negateB;
  if (decLen(da) == 0) return makeSigned(nb, db);
  if (decLen(db) == 0) return makeSigned(na, da);
  const ea = <i64>decExp(da);
  const eb = <i64>decExp(db);
  const e = ea < eb ? ea : eb;
  if (ea - e > MAX_ALIGN_DIGITS || eb - e > MAX_ALIGN_DIGITS) {
    abortWith("opa: number precision exceeded (exponents too far apart for exact arithmetic)");
  }
  magScale10(decLimbs(da), decLen(da), ea - e);
  const ap = rPtr;
  const an = rLen;
  magScale10(decLimbs(db), decLen(db), eb - e);
  const bp = rPtr;
  const bn = rLen;
  if (na == nb) {
    magAdd(ap, an, bp, bn);
    return finish(makeNumber(na, e, rPtr, rLen));
  }
  const c = magCmp(ap, an, bp, bn);
  if (c == 0) return numberFromI64(0);
  if (c > 0) {
    magSub(ap, an, bp, bn);
    return finish(makeNumber(na, e, rPtr, rLen));
  }
  magSub(bp, bn, ap, an);
  return finish(makeNumber(nb, e, rPtr, rLen));
}

function makeSigned(neg: bool, d: usize): usize {
  const n = decLen(d);
  const slots: usize = n > 0 ? <usize>n : 1;
  const p = malloc(slots << 2);
  memory.copy(p, decLimbs(d), <usize>n << 2);
  return finish(makeNumber(neg, <i64>decExp(d), p, n));
}

function finish(v: usize): usize {
  if (v == 0) abortWith("opa: number exponent out of range");
  return v;
}

export function numberAdd(a: usize, b: usize): usize {
  if (numberIsInt(a) && numberIsInt(b)) {
    const x = numberInt(a);
    const y = numberInt(b);
    const r = x + y;
    if (((x ^ r) & (y ^ r)) >= 0) return numberFromI64(r);
  }
  return decAdd(toDec(a), toDec(b), false);
}

export function numberSub(a: usize, b: usize): usize {
  if (numberIsInt(a) && numberIsInt(b)) {
    const x = numberInt(a);
    const y = numberInt(b);
    const r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return numberFromI64(r);
  }
  return decAdd(toDec(a), toDec(b), true);
}

export function numberMul(a: usize, b: usize): usize {
  if (numberIsInt(a) && numberIsInt(b)) {
    const x = numberInt(a);
    const y = numberInt(b);
    if (x == 0 || y == 0) return numberFromI64(0);
    const r = x * y;
    const overflow = (x == -1 && y == i64.MIN_VALUE) || (y == -1 && x == i64.MIN_VALUE) || r / y != x;
    if (!overflow) return numberFromI64(r);
  }
  const da = toDec(a);
  const db = toDec(b);
  magMul(decLimbs(da), decLen(da), decLimbs(db), decLen(db));
  if (rLen == 0) return numberFromI64(0);
  return finish(makeNumber(decNeg(da) != decNeg(db), <i64>decExp(da) + <i64>decExp(db), rPtr, rLen));
}

/** The number as an i32 array index, or -1 if it is not an integer in [0, 2^31). */
export function numberToIndex(v: usize): i32 {
  if (!numberIsInt(v)) return -1;
  const x = numberInt(v);
  if (x < 0 || x > 0x7fffffff) return -1;
  return <i32>x;
}

/** Writes the digits of the magnitude to `out` (no leading zeros); returns the digit count. */
function writeMagDigits(p: usize, n: u32, out: usize): i32 {
  let o: i32 = 0;
  const top = limb(p, n - 1);
  const td = digitsOfLimb(top);
  let x = top;
  for (let k = td - 1; k >= 0; k--) {
    store<u8>(out + k, <u8>(0x30 + x % 10));
    x /= 10;
  }
  o = td;
  for (let i = <i32>n - 2; i >= 0; i--) {
    let y = limb(p, <u32>i);
    for (let k: i32 = 8; k >= 0; k--) {
      store<u8>(out + o + k, <u8>(0x30 + y % 10));
      y /= 10;
    }
    o += 9;
  }
  return o;
}

function writeI32(x: i32, out: usize): i32 {
  let o: i32 = 0;
  let u: u32;
  if (x < 0) {
    store<u8>(out, 0x2d);
    o = 1;
    u = <u32>(0 - x);
  } else {
    u = <u32>x;
  }
  const d = digitsOfLimb(u);
  for (let k = d - 1; k >= 0; k--) {
    store<u8>(out + o + k, <u8>(0x30 + u % 10));
    u /= 10;
  }
  return o + d;
}

/** Text length written by numberDecText (via rLen). */
export let textLen: i32 = 0;

/**
 * JSON text of a DEC number in a fresh buffer (returned; length in textLen).
 * Integers are written in full when the exponent is at most 21, fractions
 * in positional form when at most 5 zeros follow the point (as JavaScript does); otherwise
 * `<digits>e<exp>`.
 */
export function numberDecText(v: usize): usize {
  const p = decLimbs(v);
  const n = decLen(v);
  const exp = decExp(v);
  const nd = magDigits(p, n);
  const digits = malloc(<usize>nd);
  writeMagDigits(p, n, digits);
  const out = malloc(<usize>(nd + 40));
  let o: i32 = 0;
  if (decNeg(v)) store<u8>(out + o++, 0x2d);
  if (exp >= 0 && exp <= 21) {
    const buf = malloc(<usize>(nd + exp + 2));
    if (decNeg(v)) store<u8>(buf, 0x2d);
    const start: i32 = decNeg(v) ? 1 : 0;
    memory.copy(buf + start, digits, <usize>nd);
    memory.fill(buf + start + nd, 0x30, <usize>exp);
    textLen = start + nd + exp;
    return buf;
  }
  if (exp < 0) {
    const point = nd + exp;
    if (point > 0) {
      memory.copy(out + o, digits, <usize>point);
      o += point;
      store<u8>(out + o++, 0x2e);
      memory.copy(out + o, digits + point, <usize>(nd - point));
      o += nd - point;
      textLen = o;
      return out;
    }
    if (point > -6) {
      const zeros = -point;
      const buf = malloc(<usize>(nd + zeros + 4));
      let q: i32 = 0;
      if (decNeg(v)) store<u8>(buf + q++, 0x2d);
      store<u8>(buf + q++, 0x30);
      store<u8>(buf + q++, 0x2e);
      memory.fill(buf + q, 0x30, <usize>zeros);
      q += zeros;
      memory.copy(buf + q, digits, <usize>nd);
      textLen = q + nd;
      return buf;
    }
  }
  const buf = malloc(<usize>(nd + 16));
  let q: i32 = 0;
  if (decNeg(v)) store<u8>(buf + q++, 0x2d);
  memory.copy(buf + q, digits, <usize>nd);
  q += nd;
  store<u8>(buf + q++, 0x65);
  q += writeI32(exp, buf + q);
  textLen = q;
  return buf;
}
