// Emulation of OPA's non-integer division: both operands are rounded to Go
// big.Float values with a 64-bit mantissa (round half to even), divided with
// the same rounding, and the quotient is written as the shortest decimal that
// rounds back to it (big.Float.Text('g', -1)). Exact numbers are used for all
// intermediate steps.

import { malloc } from "../allocator";
import { numberFromI64, parseNumberText, numberAdd, numberMul, numberCompare, numberIsInt, numberInt, decLen, decLimbs } from "../number";
import {
  intDivMod, divQ, divR, pow10, intDigits, numberDigits, digBuf, digN, digDp, sign, absNumber, isIntegral, setDigitView,
} from "./numbers";
import { decExp } from "../number";

/** Results whose binary exponent exceeds this are computed by the decimal fallback (cost grows quadratically). */
export const MAX_BINARY_EXP: i64 = 4000;

function two(): usize {
  return numberFromI64(2);
}

/** 2^k or 5^k (k >= 0) by repeated squaring. */
function powOf(base: i64, k: i64): usize {
  let result = numberFromI64(1);
  let b = numberFromI64(base);
  let e = k;
  while (e > 0) {
    if ((e & 1) == 1) result = numberMul(result, b);
    e >>= 1;
    if (e > 0) b = numberMul(b, b);
  }
  return result;
}

function fromU64(u: u64): usize {
  if (u <= <u64>i64.MAX_VALUE) return numberFromI64(<i64>u);
  return numberAdd(numberMul(numberFromI64(<i64>(u >> 1)), two()), numberFromI64(<i64>(u & 1)));
}

/** The value of a non-negative integral number below 2^64. */
function toU64(v: usize): u64 {
  if (numberIsInt(v)) return <u64>numberInt(v);
  let m: u64 = 0;
  const n = decLen(v);
  const p = decLimbs(v);
  for (let i = <i32>n - 1; i >= 0; i--) m = m * 1000000000 + <u64>load<u32>(p + (<usize>i << 2));
  for (let e: i32 = 0; e < decExp(v); e++) m *= 10;
  return m;
}

function isOdd(v: usize): bool {
  if (numberIsInt(v)) return (numberInt(v) & 1) == 1;
  if (decExp(v) > 0) return false;
  return (load<u32>(decLimbs(v)) & 1) == 1;
}

let TWO63: usize = 0; // 2^(bits-1)
let TWO64: usize = 0; // 2^bits
let BITS: i64 = 64;

/** Recomputed per call: heap values must never be cached across calls (the heap is rewound between evaluations). */
function initBounds(bits: i64): void {
  BITS = bits;
  TWO63 = powOf(2, bits - 1);
  TWO64 = powOf(2, bits);
}

/** Rounded 64-bit mantissa and binary exponent: value ~= bm * 2^be. */
let bm: u64 = 0;
let be: i64 = 0;

/** Rounds N/D (positive integers) to a 64-bit mantissa; `s` is the first guess of the scaling shift. */
function roundRatio(n0: usize, d0: usize, s0: i64): void {
  let s = s0;
  let q: usize = 0;
  let r: usize = 0;
  let d: usize = 0;
  for (let guard = 0; guard < 400; guard++) {
    const n = s >= 0 ? numberMul(n0, powOf(2, s)) : n0;
    d = s < 0 ? numberMul(d0, powOf(2, -s)) : d0;
    intDivMod(n, d);
    q = divQ;
    r = divR;
    if (numberCompare(q, TWO64) >= 0) {
      s -= numberCompare(q, numberMul(TWO64, numberFromI64(16))) >= 0 ? 4 : 1;
      continue;
    }
    if (numberCompare(q, TWO63) < 0) {
      s += numberCompare(numberMul(q, numberFromI64(16)), TWO63) < 0 ? 4 : 1;
      continue;
    }
    break;
  }
  const c = numberCompare(numberAdd(r, r), d);
  if (c > 0 || (c == 0 && isOdd(q))) q = numberAdd(q, numberFromI64(1));
  if (numberCompare(q, TWO64) >= 0) {
    q = TWO63;
    s -= 1;
  }
  bm = toU64(q);
  be = -s;
}

/** Decimal magnitude (digits before the point, may be negative) beyond which the decimal fallback is used. */
const MAX_DECIMAL_MAGNITUDE: i32 = 1000;

/** Rough decimal magnitude of a non-zero number: digits before the decimal point. */
function magnitude(v: usize): i32 {
  if (numberIsInt(v)) return intDigits(v);
  numberDigits(v);
  return digDp;
}

/** Rounds |v| (non-zero) to a 64-bit mantissa. */
function toBinary(v: usize): void {
  const a = absNumber(v);
  let n0: usize;
  let d0: usize;
  if (isIntegral(a)) {
    n0 = a;
    d0 = numberFromI64(1);
  } else {
    const e = <i64>decExp(a);
    d0 = pow10(-e);
    n0 = numberMul(a, d0);
  }
  const est = <i64>(<f64>(intDigits(n0) - intDigits(d0)) * 3.321928);
  roundRatio(n0, d0, BITS - 1 - est);
}

/** Digits of X * 2^k (X > 0 integral) into (buf, n, dp). */
let xBuf: usize = 0;
let xN: i32 = 0;
let xDp: i32 = 0;
function digitsTimesPow2(x: usize, k: i64): void {
  if (k >= 0) {
    numberDigits(numberMul(x, powOf(2, k)));
    xBuf = digBuf;
    xN = digN;
    xDp = digDp;
    return;
  }
  numberDigits(numberMul(x, powOf(5, -k)));
  xBuf = digBuf;
  xN = digN;
  xDp = digDp + <i32>k;
}

// @ts-ignore: decorator
@inline function at(buf: usize, n: i32, i: i32): u32 {
  return i < n ? <u32>load<u8>(buf + <usize>i) : 0x30;
}

/** Shortest digits (sBuf, sN digits, point at sDp; sUp: increment the last kept digit) of m * 2^e. */
let sBuf: usize = 0;
let sN: i32 = 0;
let sDp: i32 = 0;
let sUp = false;

/**
 * Go's shortest decimal for m * 2^e within its rounding interval. `asymmetric`: strconv's float64 rule
 * that a mantissa of exactly 2^(bits-1) has a lower neighbour half as far away.
 */
function shortestDigits(mq: u64, eq: i64, asymmetric: bool): void {
  const m2 = numberMul(fromU64(mq), two());
  digitsTimesPow2(fromU64(mq), eq);
  const dBuf = xBuf;
  let dN = xN;
  const dDp = xDp;
  if (asymmetric && mq == (<u64>1 << <u64>(BITS - 1))) {
    digitsTimesPow2(numberAdd(numberMul(m2, two()), numberFromI64(-1)), eq - 2);
  } else {
    digitsTimesPow2(numberAdd(m2, numberFromI64(-1)), eq - 1);
  }
  const lBuf = xBuf;
  const lN = xN;
  digitsTimesPow2(numberAdd(m2, numberFromI64(1)), eq - 1);
  const uBuf = xBuf;
  const uN = xN;
  // trailing zeros are not part of Go's decimal mantissas
  while (dN > 0 && load<u8>(dBuf + <usize>(dN - 1)) == 0x30) dN--;
  let lLen = lN;
  while (lLen > 0 && load<u8>(lBuf + <usize>(lLen - 1)) == 0x30) lLen--;
  let uLen = uN;
  while (uLen > 0 && load<u8>(uBuf + <usize>(uLen - 1)) == 0x30) uLen--;
  const inclusive = (mq & 1) == 0;
  let outN = dN;
  let roundUp = false;
  for (let i: i32 = 0; i < dN; i++) {
    const l = at(lBuf, lLen, i);
    const m = at(dBuf, dN, i);
    const u = at(uBuf, uLen, i);
    const okdown = l != m || (inclusive && i + 1 == lLen);
    const okup = m != u && (inclusive || m + 1 < u || i + 1 < uLen);
    if (okdown && okup) {
      outN = i + 1;
      // round half to even at position i + 1
      if (i + 1 < dN) {
        const next = at(dBuf, dN, i + 1);
        if (next == 0x35 && i + 2 == dN) roundUp = (m & 1) == 1;
        else roundUp = next >= 0x35;
      }
      break;
    }
    if (okdown) {
      outN = i + 1;
      break;
    }
    if (okup) {
      outN = i + 1;
      roundUp = true;
      break;
    }
  }
  sBuf = dBuf;
  sN = outN;
  sDp = dDp;
  sUp = roundUp;
}

/**
 * OPA's quotient a / b for non-zero numbers whose integer division is not exact,
 * or 0 when the binary exponent is out of the emulated range (caller falls back).
 */
export function divFloat(a: usize, b: usize): usize {
  const ma0 = magnitude(a);
  const mb0 = magnitude(b);
  if (ma0 > MAX_DECIMAL_MAGNITUDE || ma0 < -MAX_DECIMAL_MAGNITUDE) return 0;
  if (mb0 > MAX_DECIMAL_MAGNITUDE || mb0 < -MAX_DECIMAL_MAGNITUDE) return 0;
  initBounds(64);
  toBinary(a);
  const ma = bm;
  const ea = be;
  toBinary(b);
  const mb = bm;
  const eb = be;
  // quotient of the mantissas, scaled by 2^64
  roundRatio(fromU64(ma), fromU64(mb), 64);
  const mq = bm;
  const eq = be + ea - eb;
  if (eq > MAX_BINARY_EXP || eq < -MAX_BINARY_EXP) return 0;
  shortestDigits(mq, eq, false);
  let outN = sN;
  const roundUp = sUp;
  const dBuf = sBuf;
  const dDp = sDp;
  // digits -> text "[-]D...De<exp>" -> exact number
  const neg = (sign(a) < 0) != (sign(b) < 0);
  return digitsToNumber(neg, dBuf, outN, dDp, roundUp);
}

/** Exact number (-1)^neg * 0.D[0..n) * 10^dp, after incrementing the last digit when `up`. */
function digitsToNumber(neg: bool, dBuf: usize, n: i32, dp0: i32, up: bool): usize {
  let outN = n;
  const text = malloc(<usize>outN + 32);
  let o: usize = 0;
  if (neg) store<u8>(text + o++, 0x2d);
  let dp = dp0;
  if (up) {
    let i = outN - 1;
    while (i >= 0 && load<u8>(dBuf + <usize>i) == 0x39) i--;
    if (i < 0) {
      store<u8>(text + o++, 0x31);
      dp++;
    } else {
      memory.copy(text + o, dBuf, <usize>i);
      o += <usize>i;
      store<u8>(text + o++, load<u8>(dBuf + <usize>i) + 1);
      // digits written: i + 1; exponent relative to them
      return finishText(text, o, dp - (i + 1));
    }
    return finishText(text, o, dp - 1);
  }
  memory.copy(text + o, dBuf, <usize>outN);
  o += <usize>outN;
  return finishText(text, o, dp - outN);
}

function finishText(text: usize, o: usize, exp: i32): usize {
  store<u8>(text + o++, 0x65);
  let e = exp;
  if (e < 0) {
    store<u8>(text + o++, 0x2d);
    e = -e;
  }
  let digits: i32 = 1;
  let t = e;
  while (t >= 10) {
    t /= 10;
    digits++;
  }
  for (let k = digits - 1; k >= 0; k--) {
    store<u8>(text + o + <usize>k, <u8>(0x30 + e % 10));
    e /= 10;
  }
  o += <usize>digits;
  return parseNumberText(text, o);
}

// ---------------------------------------------------------------- float64 (for sprintf)

const FLOAT64_MAX_MAGNITUDE: i32 = 309;

/**
 * Puts the digits of the float64 nearest to v (exact binary value when `shortest` is false, Go's shortest
 * form otherwise) into the shared digit view (numbers.ts). Returns false (view untouched) when v is out of
 * the emulated range (|v| >= 1e309 or < 1e-300); callers then use v's exact decimal digits.
 */
export function float64Digits(v: usize, shortest: bool): bool {
  const mag = magnitude(v);
  if (mag > FLOAT64_MAX_MAGNITUDE || mag < -300) return false;
  initBounds(53);
  toBinary(v);
  const m = bm;
  const e = be;
  if (!shortest) {
    digitsTimesPow2(fromU64(m), e);
    let n = xN;
    while (n > 0 && load<u8>(xBuf + <usize>(n - 1)) == 0x30) n--;
    setDigitView(xBuf, n, xDp);
    return true;
  }
  shortestDigits(m, e, true);
  // apply the pending increment into a fresh buffer
  const buf = malloc(<usize>sN + 1);
  memory.copy(buf, sBuf, <usize>sN);
  let n = sN;
  let dp = sDp;
  if (sUp) {
    let i = n - 1;
    while (i >= 0 && load<u8>(buf + <usize>i) == 0x39) i--;
    if (i < 0) {
      store<u8>(buf, 0x31);
      n = 1;
      dp++;
    } else {
      store<u8>(buf + <usize>i, load<u8>(buf + <usize>i) + 1);
      n = i + 1;
    }
  }
  while (n > 0 && load<u8>(buf + <usize>(n - 1)) == 0x30) n--;
  setDigitView(buf, n, dp);
  return true;
}
