// Arithmetic and set operator builtins: div, rem, abs, round, ceil, floor,
// minus, and, or, numbers.range, numbers.range_step.

import { malloc } from "../allocator";
import { TYPE_NUMBER, TYPE_SET } from "../layout";
import {
  numberFromI64, parseNumberText, numberAdd, numberSub, numberMul, numberCompare, numberIsInt, numberInt,
  decNeg, decExp, decLen, decLimbs,
} from "../number";
import { makeArray, arrayAppend, makeSet, setAdd, setContains, iterNext, entryKey } from "../values";
import { typeErr, operandErr, builtinErr } from "./util";
import { divFloat } from "./bigfloat";

// ---------------------------------------------------------------- number helpers

export function isNumber(v: usize): bool {
  return load<u8>(v) == TYPE_NUMBER;
}

/** True if the number has no fractional part (INT, or DEC with exponent >= 0). */
export function isIntegral(v: usize): bool {
  return numberIsInt(v) || decExp(v) >= 0;
}

export function sign(v: usize): i32 {
  if (numberIsInt(v)) {
    const x = numberInt(v);
    return x < 0 ? -1 : x > 0 ? 1 : 0;
  }
  return decNeg(v) ? -1 : 1;
}

export function zero(): usize {
  return numberFromI64(0);
}

export function negate(v: usize): usize {
  return numberSub(zero(), v);
}

export function absNumber(v: usize): usize {
  return sign(v) < 0 ? negate(v) : v;
}

/** 10^k (k may be negative). */
export function pow10(k: i64): usize {
  if (k >= 0 && k <= 18) {
    let x: i64 = 1;
    for (let i: i64 = 0; i < k; i++) x *= 10;
    return numberFromI64(x);
  }
  const buf = malloc(24);
  store<u8>(buf, 0x31);
  store<u8>(buf, 0x65, 1);
  let o: usize = 2;
  let u: u64 = k < 0 ? <u64>(0 - k) : <u64>k;
  if (k < 0) store<u8>(buf + o++, 0x2d);
  let d: usize = 1;
  let t = u;
  while (t >= 10) {
    t /= 10;
    d++;
  }
  for (let i = <isize>d - 1; i >= 0; i--) {
    store<u8>(buf + o + <usize>i, <u8>(0x30 + <u32>(u % 10)));
    u /= 10;
  }
  return parseNumberText(buf, o + d);
}

function digitsU64(u: u64): i32 {
  let d: i32 = 1;
  while (u >= 10) {
    u /= 10;
    d++;
  }
  return d;
}

/** Decimal digits of a non-negative integral number (0 has 1 digit). */
export function intDigits(v: usize): i32 {
  if (numberIsInt(v)) {
    const x = numberInt(v);
    return digitsU64(x < 0 ? <u64>(0 - x) : <u64>x);
  }
  const n = decLen(v);
  const top = load<u32>(decLimbs(v) + (<usize>(n - 1) << 2));
  return 9 * <i32>(n - 1) + digitsU64(<u64>top) + decExp(v);
}

export let divQ: usize = 0;
export let divR: usize = 0;

/** Quotient and remainder (divQ, divR) of non-negative integral numbers a, b (b > 0). */
export function intDivMod(a: usize, b: usize): void {
  if (numberIsInt(a) && numberIsInt(b)) {
    const x = numberInt(a);
    const y = numberInt(b);
    if (x >= 0 && y > 0) {
      divQ = numberFromI64(x / y);
      divR = numberFromI64(x % y);
      return;
    }
  }
  let q = zero();
  let r = a;
  if (numberCompare(a, b) < 0) {
    divQ = q;
    divR = r;
    return;
  }
  const shift = intDigits(a) - intDigits(b);
  for (let p = shift; p >= 0; p--) {
    const scale = pow10(p);
    const t = numberMul(b, scale);
    let cnt: i64 = 0;
    while (numberCompare(r, t) >= 0) {
      r = numberSub(r, t);
      cnt++;
    }
    if (cnt > 0) q = numberAdd(q, numberMul(numberFromI64(cnt), scale));
  }
  divQ = q;
  divR = r;
}

/** Integral magnitude M and exponent E with |v| = M * 10^E (sets mantM, mantE). */
let mantM: usize = 0;
let mantE: i64 = 0;
function mantissa(v: usize): void {
  const a = absNumber(v);
  if (isIntegral(a)) {
    mantM = a;
    mantE = 0;
    return;
  }
  const e = <i64>decExp(a);
  mantM = numberMul(a, pow10(-e));
  mantE = e;
}

/** Truncation toward zero of any number. */
export function truncNumber(v: usize): usize {
  if (isIntegral(v)) return v;
  numberDigits(v);
  if (digDp <= 0) return zero();
  const neg = sign(v) < 0;
  const len = <usize>digDp + (neg ? 1 : 0);
  const text = malloc(len);
  if (neg) store<u8>(text, 0x2d);
  memory.copy(text + (neg ? 1 : 0), digBuf, <usize>digDp);
  return parseNumberText(text, len);
}

/** Digits of |v| (ASCII, no leading zeros; "0" for zero) in digBuf/digN; decimal point position in digDp. */
export let digBuf: usize = 0;
export let digN: i32 = 0;
export let digDp: i32 = 0;

export function numberDigits(v: usize): void {
  if (numberIsInt(v)) {
    const x = numberInt(v);
    let u: u64 = x < 0 ? <u64>(0 - x) : <u64>x;
    let d: i32 = 1;
    let t = u;
    while (t >= 10) {
      t /= 10;
      d++;
    }
    digBuf = malloc(<usize>d);
    for (let k = d - 1; k >= 0; k--) {
      store<u8>(digBuf + <usize>k, <u8>(0x30 + <u32>(u % 10)));
      u /= 10;
    }
    digN = d;
    digDp = d;
    return;
  }
  const n = decLen(v);
  const p = decLimbs(v);
  const top = load<u32>(p + (<usize>(n - 1) << 2));
  let td: i32 = 1;
  let t = top;
  while (t >= 10) {
    t /= 10;
    td++;
  }
  const nd = td + 9 * <i32>(n - 1);
  digBuf = malloc(<usize>nd);
  let x = top;
  for (let k = td - 1; k >= 0; k--) {
    store<u8>(digBuf + <usize>k, <u8>(0x30 + x % 10));
    x /= 10;
  }
  let o = td;
  for (let i = <i32>n - 2; i >= 0; i--) {
    let y = load<u32>(p + (<usize>i << 2));
    for (let k: i32 = 8; k >= 0; k--) {
      store<u8>(digBuf + <usize>(o + k), <u8>(0x30 + y % 10));
      y /= 10;
    }
    o += 9;
  }
  digN = nd;
  digDp = nd + decExp(v);
}

/** Replaces the digit view with `n` digits at `buf`, decimal point at `dp`. */
export function setDigitView(buf: usize, n: i32, dp: i32): void {
  digBuf = buf;
  digN = n;
  digDp = dp;
}

/** Updates the digit view (for rounding code in other modules). */
export function setDigits(n: i32, dp: i32): void {
  digN = n;
  digDp = dp;
}

/** Significant digits kept by `/` when the quotient does not terminate within them. */
const DIV_DIGITS: i32 = 20;

/** rem by long division: larger digit-count differences are refused instead of running for minutes. */
const MAX_REM_SHIFT: i32 = 4000;

// ---------------------------------------------------------------- operators

export function fwb_div(a: usize, b: usize): usize {
  if (!isNumber(a)) return typeErr(1, "number", a);
  if (!isNumber(b)) return typeErr(2, "number", b);
  const sb = sign(b);
  if (sb == 0) return builtinErr("divide by zero");
  const sa = sign(a);
  if (sa == 0) return zero();
  if (numberIsInt(a) && numberIsInt(b)) {
    const x = numberInt(a);
    const y = numberInt(b);
    if (!(x == i64.MIN_VALUE && y == -1) && x % y == 0) return numberFromI64(x / y);
  }
  const f = divFloat(a, b);
  if (f != 0) return f;
  return divDecimal(a, b, sa, sb);
}

/** Fallback for quotients far outside float range: exact to DIV_DIGITS significant digits. */
function divDecimal(a: usize, b: usize, sa: i32, sb: i32): usize {
  mantissa(a);
  const ma = mantM;
  const ea = mantE;
  mantissa(b);
  const mb = mantM;
  const eb = mantE;
  const s = <i64>(DIV_DIGITS + intDigits(mb) - intDigits(ma));
  const n = s > 0 ? numberMul(ma, pow10(s)) : ma;
  const d = s < 0 ? numberMul(mb, pow10(-s)) : mb;
  intDivMod(n, d);
  let q = divQ;
  if (sign(divR) != 0) {
    // round half to even on the dropped part
    const c = numberCompare(numberAdd(divR, divR), d);
    if (c > 0 || (c == 0 && numberIsInt(q) && (numberInt(q) & 1) == 1) || (c == 0 && !numberIsInt(q))) {
      q = numberAdd(q, numberFromI64(1));
    }
  }
  let r = numberMul(q, pow10(ea - eb - s));
  if ((sa < 0) != (sb < 0)) r = negate(r);
  return r;
}

export function fwb_rem(a: usize, b: usize): usize {
  if (!isNumber(a)) return typeErr(1, "number", a);
  if (!isNumber(b)) return typeErr(2, "number", b);
  if (!isIntegral(a) || !isIntegral(b)) return builtinErr("modulo on floating-point number");
  if (sign(b) == 0) return builtinErr("modulo by zero");
  if (intDigits(absNumber(a)) - intDigits(absNumber(b)) > MAX_REM_SHIFT) {
    return builtinErr("modulo operand too large for exact arithmetic");
  }
  if (numberIsInt(a) && numberIsInt(b)) {
    const x = numberInt(a);
    const y = numberInt(b);
    if (y == -1) return zero();
    return numberFromI64(x % y);
  }
  intDivMod(absNumber(a), absNumber(b));
  return sign(a) < 0 ? negate(divR) : divR;
}

export function fwb_abs(a: usize): usize {
  if (!isNumber(a)) return typeErr(1, "number", a);
  return absNumber(a);
}

export function fwb_round(a: usize): usize {
  if (!isNumber(a)) return typeErr(1, "number", a);
  if (isIntegral(a)) return a;
  const half = pow10(-1);
  const five = numberMul(half, numberFromI64(5));
  if (sign(a) < 0) return negate(truncNumber(numberAdd(negate(a), five)));
  return truncNumber(numberAdd(a, five));
}

export function fwb_ceil(a: usize): usize {
  if (!isNumber(a)) return typeErr(1, "number", a);
  if (isIntegral(a)) return a;
  const t = truncNumber(a);
  return sign(a) > 0 ? numberAdd(t, numberFromI64(1)) : t;
}

export function fwb_floor(a: usize): usize {
  if (!isNumber(a)) return typeErr(1, "number", a);
  if (isIntegral(a)) return a;
  const t = truncNumber(a);
  return sign(a) < 0 ? numberSub(t, numberFromI64(1)) : t;
}

/** `-`: number difference or set difference. */
export function fwb_minus(a: usize, b: usize): usize {
  const ta = load<u8>(a);
  if (ta == TYPE_NUMBER) {
    if (!isNumber(b)) return typeErr(2, "number", b);
    return numberSub(a, b);
  }
  if (ta == TYPE_SET) {
    if (load<u8>(b) != TYPE_SET) return typeErr(2, "set", b);
    const r = makeSet();
    for (let i = iterNext(a, -1); i >= 0; i = iterNext(a, i)) {
      const k = entryKey(a, <u32>i);
      if (!setContains(b, k)) setAdd(r, k);
    }
    return r;
  }
  return typeErr(1, "one of {number, set}", a);
}

/** `&`: set intersection. */
export function fwb_and(a: usize, b: usize): usize {
  if (load<u8>(a) != TYPE_SET) return typeErr(1, "set", a);
  if (load<u8>(b) != TYPE_SET) return typeErr(2, "set", b);
  const r = makeSet();
  for (let i = iterNext(a, -1); i >= 0; i = iterNext(a, i)) {
    const k = entryKey(a, <u32>i);
    if (setContains(b, k)) setAdd(r, k);
  }
  return r;
}

/** `|`: set union. */
export function fwb_or(a: usize, b: usize): usize {
  if (load<u8>(a) != TYPE_SET) return typeErr(1, "set", a);
  if (load<u8>(b) != TYPE_SET) return typeErr(2, "set", b);
  const r = makeSet();
  for (let i = iterNext(a, -1); i >= 0; i = iterNext(a, i)) setAdd(r, entryKey(a, <u32>i));
  for (let i = iterNext(b, -1); i >= 0; i = iterNext(b, i)) setAdd(r, entryKey(b, <u32>i));
  return r;
}

/** Checks an integer operand (OPA's BigIntOperand messages); returns false after raising. */
export function checkInteger(v: usize, pos: i32): bool {
  if (!isNumber(v)) {
    typeErr(pos, "integer", v);
    return false;
  }
  if (!isIntegral(v)) {
    operandErr(pos, "must be integer number but got floating-point number");
    return false;
  }
  return true;
}

function rangeOf(a: usize, b: usize, step: usize): usize {
  const r = makeArray(0);
  if (numberCompare(a, b) <= 0) {
    for (let x = a; numberCompare(x, b) <= 0; x = numberAdd(x, step)) arrayAppend(r, x);
  } else {
    for (let x = a; numberCompare(x, b) >= 0; x = numberSub(x, step)) arrayAppend(r, x);
  }
  return r;
}

export function fwb_numbers_range(a: usize, b: usize): usize {
  if (!checkInteger(a, 1) || !checkInteger(b, 2)) return 0;
  return rangeOf(a, b, numberFromI64(1));
}

export function fwb_numbers_range_step(a: usize, b: usize, step: usize): usize {
  if (!checkInteger(a, 1) || !checkInteger(b, 2) || !checkInteger(step, 3)) return 0;
  if (sign(step) <= 0) return builtinErr("step must be a positive integer");
  return rangeOf(a, b, step);
}
