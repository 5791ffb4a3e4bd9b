// sprintf with Go fmt semantics as OPA applies them: integers that fit i64
// are formatted as Go ints, larger integers as *big.Int, other numbers as
// float64 (numbers beyond float64's range as their text), strings as Go
// strings and every other value as its Rego term text (a Go string).
//
// float64 values are emulated exactly (bigfloat.ts): %v/%g print the shortest
// decimal that rounds back to the nearest float64, %f/%e/%.Ng round the exact
// binary value half to even, as Go does.

import { malloc } from "../allocator";
import { TYPE_NUMBER, TYPE_STRING, TYPE_ARRAY, TYPE_OBJECT, TYPE_SET, TYPE_NULL, TYPE_BOOLEAN } from "../layout";
import { numberIsInt, numberInt, decExp, decLen, decLimbs, decNeg } from "../number";
import { stringLen, stringPtr, arrayLen, arrayAt, tableCount } from "../values";
import { sortedEntries } from "../compare";
import { dumpValue } from "../dump";
import {
  typeErr, bStart, bByte, bBytes, bLit, bDone, bLength, bData, bTruncate, bU64, decodeRune, runeSize,
} from "./util";
import { quoteGo } from "./strings";
import { float64Digits } from "./bigfloat";
import { isIntegral, numberDigits, digBuf, digN, digDp, setDigits } from "./numbers";

const HEXL: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const HEXU: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 65, 66, 67, 68, 69, 70]);

// ---------------------------------------------------------------- number digits

function isNeg(v: usize): bool {
  return numberIsInt(v) ? numberInt(v) < 0 : decNeg(v);
}

/** Integral number in full decimal. */
function putInteger(v: usize): void {
  numberDigits(v);
  if (isNeg(v)) bByte(0x2d);
  bBytes(digBuf, <u32>digN);
  for (let i = digN; i < digDp; i++) bByte(0x30);
}

function putExp(e: i32): void {
  bByte(e < 0 ? 0x2d : 0x2b);
  const u: u32 = e < 0 ? <u32>(0 - e) : <u32>e;
  if (u < 10) bByte(0x30);
  bU64(<u64>u);
}

/** %e with `prec` fractional digits (digits already rounded to prec+1 significant). */
function putE(prec: i32, upper: bool): void {
  bByte(<u32>load<u8>(digBuf));
  if (prec > 0) {
    bByte(0x2e);
    for (let i: i32 = 1; i <= prec; i++) bByte(i < digN ? <u32>load<u8>(digBuf + <usize>i) : 0x30);
  }
  bByte(upper ? 0x45 : 0x65);
  putExp(digDp - 1);
}

/** Rounds the digit buffer to `keep` significant digits, half to even (keep >= 0). */
function roundDigits(keep: i32): void {
  if (keep >= digN) return;
  if (keep < 0) {
    setDigits(0, digDp);
    return;
  }
  const d = <u32>load<u8>(digBuf + <usize>keep);
  let up = false;
  if (d > 0x35) up = true;
  else if (d == 0x35) {
    let more = false;
    for (let i = keep + 1; i < digN; i++) if (load<u8>(digBuf + <usize>i) != 0x30) more = true;
    up = more || (keep > 0 && (load<u8>(digBuf + <usize>(keep - 1)) & 1) == 1);
  }
  if (!up) {
    let n = keep;
    while (n > 0 && load<u8>(digBuf + <usize>(n - 1)) == 0x30) n--;
    setDigits(n, digDp);
    return;
  }
  let i = keep - 1;
  while (i >= 0 && load<u8>(digBuf + <usize>i) == 0x39) {
    i--;
  }
  if (i < 0) {
    store<u8>(digBuf, 0x31);
    setDigits(1, digDp + 1);
    return;
  }
  store<u8>(digBuf + <usize>i, load<u8>(digBuf + <usize>i) + 1);
  setDigits(i + 1, digDp);
}

/** %f with `prec` fractional digits. */
function putF(prec: i32): void {
  roundDigits(digDp + prec);
  if (digDp <= 0) {
    bByte(0x30);
  } else {
    for (let i: i32 = 0; i < digDp; i++) bByte(i < digN ? <u32>load<u8>(digBuf + <usize>i) : 0x30);
  }
  if (prec > 0) {
    bByte(0x2e);
    for (let i: i32 = 0; i < prec; i++) {
      const k = digDp + i;
      bByte(k >= 0 && k < digN ? <u32>load<u8>(digBuf + <usize>k) : 0x30);
    }
  }
}

/** Go's %g / %v of the float64 nearest to v (shortest form when prec < 0). */
function putG(v: usize, prec: i32, upper: bool): void {
  const shortest = prec < 0;
  if (!float64Digits(v, shortest)) {
    numberDigits(v);
    if (shortest) roundDigits(17);
  }
  if (isNeg(v)) bByte(0x2d);
  if (!shortest) {
    if (prec == 0) prec = 1;
    roundDigits(prec);
  } else {
    prec = digN;
  }
  let eprec = prec;
  if (eprec > digN && digN >= digDp) eprec = digN;
  if (shortest) eprec = 6;
  const exp = digDp - 1;
  if (exp < -4 || exp >= eprec) {
    putE((prec > digN ? digN : prec) - 1, upper);
    return;
  }
  let p = prec;
  if (p > digDp) p = digN;
  putF(p - digDp > 0 ? p - digDp : 0);
}

// ---------------------------------------------------------------- term text

export function putTerm(v: usize): void {
  const t = load<u8>(v);
  switch (t) {
    case TYPE_NULL:
      bLit("null");
      return;
    case TYPE_BOOLEAN:
      bLit(load<u32>(v, 4) != 0 ? "true" : "false");
      return;
    case TYPE_NUMBER:
      putNumberText(v);
      return;
    case TYPE_STRING:
      quoteGo(stringPtr(v), stringLen(v));
      return;
    case TYPE_ARRAY: {
      bByte(0x5b);
      const n = arrayLen(v);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) bLit(", ");
        putTerm(arrayAt(v, i));
      }
      bByte(0x5d);
      return;
    }
    case TYPE_OBJECT:
    case TYPE_SET: {
      const n = tableCount(v);
      if (t == TYPE_SET && n == 0) {
        bLit("set()");
        return;
      }
      const ents = sortedEntries(v);
      bByte(0x7b);
      for (let i: u32 = 0; i < n; i++) {
        if (i > 0) bLit(", ");
        const e = <usize>load<u32>(ents + (<usize>i << 2));
        putTerm(<usize>load<u32>(e));
        if (t == TYPE_OBJECT) {
          bLit(": ");
          putTerm(<usize>load<u32>(e, 4));
        }
      }
      bByte(0x7d);
      return;
    }
  }
}

/** Positional decimal text of a non-integral number (exponent form for tiny values). */
function putNumberText(v: usize): void {
  const c = dumpValue(v, false);
  let n: u32 = 0;
  while (load<u8>(c + <usize>n) != 0) n++;
  bBytes(c, n);
}

// ---------------------------------------------------------------- formatting

const K_INT: i32 = 1;
const K_FLOAT: i32 = 2;
const K_STRING: i32 = 3;
const K_BIGINT: i32 = 4;
const K_TEXT: i32 = 5;

/** |v| > max float64 (1.7976931348623157e308): OPA passes such numbers as their text. */
function beyondFloat64(v: usize): bool {
  if (numberIsInt(v)) return false;
  numberDigits(v);
  if (digDp != 309) return digDp > 309;
  const max = "17976931348623157";
  for (let i: i32 = 0; i < 17; i++) {
    const d = i < digN ? <u32>load<u8>(digBuf + <usize>i) : 0x30;
    const m = <u32>max.charCodeAt(i);
    if (d != m) return d > m;
  }
  return digN > 17;
}

function kindOf(v: usize): i32 {
  const t = load<u8>(v);
  if (t != TYPE_NUMBER) return K_STRING;
  if (numberIsInt(v)) return K_INT;
  if (beyondFloat64(v)) return K_TEXT;
  // integral values written with a large exponent were not integer literals in OPA
  if (isIntegral(v)) return decExp(v) > 21 ? K_FLOAT : K_BIGINT;
  return K_FLOAT;
}

/** Appends the Go-string form of a non-number argument. */
function putStringArg(v: usize): void {
  if (load<u8>(v) == TYPE_STRING) bBytes(stringPtr(v), stringLen(v));
  else if (load<u8>(v) == TYPE_NUMBER) putNumberText(v);
  else putTerm(v);
}

function putBadVerb(verb: u32, v: usize): void {
  bLit("%!");
  bByte(verb);
  bByte(0x28);
  // big.Int names itself without the pointer star here (math/big's Format)
  if (kindOf(v) == K_BIGINT) {
    bLit("big.Int=");
    putInteger(v);
    bByte(0x29);
    return;
  }
  putTypeAndValue(v);
  bByte(0x29);
}

function putTypeAndValue(v: usize): void {
  const k = kindOf(v);
  if (k == K_INT) {
    bLit("int=");
    putInteger(v);
  } else if (k == K_BIGINT) {
    bLit("*big.Int=");
    putInteger(v);
  } else if (k == K_FLOAT) {
    bLit("float64=");
    putG(v, -1, false);
  } else {
    bLit("string=");
    putStringArg(v);
  }
}

let fMinus = false;
let fPlus = false;
let fZero = false;
let fSpace = false;
let fSharp = false;
let width: i32 = -1;
let prec: i32 = -1;

/** Pads the text written since `start` to `width` (numbers pad zeros after the sign when fZero). */
function pad(start: u32, numeric: bool): void {
  const len = bLength() - start;
  if (width < 0 || <i32>len >= width) return;
  // count runes of the written text
  const p = bData() + <usize>start;
  let runes: i32 = 0;
  let i: u32 = 0;
  while (i < len) {
    decodeRune(p, i, len);
    i += runeSize;
    runes++;
  }
  const fill = width - runes;
  if (fill <= 0) return;
  if (fMinus) {
    for (let k: i32 = 0; k < fill; k++) bByte(0x20);
    return;
  }
  // insert fill at the front (after a sign for zero padding)
  const tmp = malloc(<usize>len);
  memory.copy(tmp, p, <usize>len);
  bTruncate(start);
  let off: u32 = 0;
  if (fZero && numeric && len > 0) {
    const c = load<u8>(tmp);
    if (c == 0x2d || c == 0x2b || c == 0x20) {
      bByte(<u32>c);
      off = 1;
    }
  }
  for (let k: i32 = 0; k < fill; k++) bByte(fZero ? 0x30 : 0x20);
  bBytes(tmp + <usize>off, len - off);
}

function putIntBase(v: usize, base: u32, upper: bool): void {
  // big integers beyond i64 are printed in decimal for every base
  if (!numberIsInt(v)) {
    putInteger(v);
    return;
  }
  const x = numberInt(v);
  let u: u64 = x < 0 ? <u64>(0 - x) : <u64>x;
  if (x < 0) bByte(0x2d);
  else if (fPlus) bByte(0x2b);
  else if (fSpace) bByte(0x20);
  if (fSharp) {
    if (base == 16) bLit(upper ? "0X" : "0x");
    else if (base == 8) bByte(0x30);
    else if (base == 2) bLit("0b");
  }
  let d: i32 = 0;
  let t = u;
  do {
    t /= <u64>base;
    d++;
  } while (t != 0);
  if (prec > d) {
    for (let k = d; k < prec; k++) bByte(0x30);
  }
  if (prec == 0 && u == 0) return;
  const startLen = bLength();
  for (let k: i32 = 0; k < d; k++) bByte(0x30);
  const q = bData() + <usize>startLen;
  const digits = upper ? HEXU : HEXL;
  for (let k = d - 1; k >= 0; k--) {
    store<u8>(q + <usize>k, load<u8>(digits + <usize>(u % <u64>base)));
    u /= <u64>base;
  }
}

function formatOne(verb: u32, v: usize): void {
  const k = kindOf(v);
  const start = bLength();
  let numeric = false;
  if (k == K_INT || k == K_BIGINT) {
    numeric = true;
    if (verb == 0x64 || verb == 0x76 || (verb == 0x73 && k == K_BIGINT)) {
      putIntBase(v, 10, false);
    } else if (verb == 0x78) putIntBase(v, 16, false);
    else if (verb == 0x58) putIntBase(v, 16, true);
    else if (verb == 0x6f) putIntBase(v, 8, false);
    else if (verb == 0x62) putIntBase(v, 2, false);
    else {
      putBadVerb(verb, v);
      return;
    }
  } else if (k == K_FLOAT) {
    numeric = true;
    if (fPlus && !isNeg(v)) bByte(0x2b);
    if (verb == 0x76 || verb == 0x67 || verb == 0x47) {
      putG(v, prec, verb == 0x47);
    } else if (verb == 0x66 || verb == 0x46) {
      if (!float64Digits(v, false)) numberDigits(v);
      if (isNeg(v)) bByte(0x2d);
      putF(prec < 0 ? 6 : prec);
    } else if (verb == 0x65 || verb == 0x45) {
      if (!float64Digits(v, false)) numberDigits(v);
      if (isNeg(v)) bByte(0x2d);
      const p = prec < 0 ? 6 : prec;
      roundDigits(p + 1);
      putE(p, verb == 0x45);
    } else {
      bTruncate(start);
      putBadVerb(verb, v);
      return;
    }
  } else {
    if (verb == 0x73 || verb == 0x76) {
      const s0 = bLength();
      putStringArg(v);
      if (prec >= 0) {
        const p = bData() + <usize>s0;
        const n = bLength() - s0;
        let i: u32 = 0;
        let r: i32 = 0;
        while (i < n && r < prec) {
          decodeRune(p, i, n);
          i += runeSize;
          r++;
        }
        bTruncate(s0 + i);
      }
    } else if (verb == 0x71) {
      if (load<u8>(v) == TYPE_STRING) {
        quoteGo(stringPtr(v), stringLen(v));
      } else {
        const s0 = bLength();
        putTerm(v);
        const n = bLength() - s0;
        const tmp = malloc(<usize>n);
        memory.copy(tmp, bData() + <usize>s0, <usize>n);
        bTruncate(s0);
        quoteGo(tmp, n);
      }
    } else if (verb == 0x78 || verb == 0x58) {
      const s0 = bLength();
      putStringArg(v);
      const n = bLength() - s0;
      const tmp = malloc(<usize>n);
      memory.copy(tmp, bData() + <usize>s0, <usize>n);
      bTruncate(s0);
      const digits = verb == 0x58 ? HEXU : HEXL;
      for (let i: u32 = 0; i < n; i++) {
        const c = <u32>load<u8>(tmp + <usize>i);
        bByte(<u32>load<u8>(digits + <usize>(c >> 4)));
        bByte(<u32>load<u8>(digits + <usize>(c & 15)));
      }
    } else {
      putBadVerb(verb, v);
      return;
    }
  }
  pad(start, numeric);
}

export function fwb_sprintf(format: usize, args: usize): usize {
  if (load<u8>(format) != TYPE_STRING) return typeErr(1, "string", format);
  if (load<u8>(args) != TYPE_ARRAY) return typeErr(2, "array", args);
  const p = stringPtr(format);
  const n = stringLen(format);
  const nargs = arrayLen(args);
  let argi: u32 = 0;
  bStart(n + 16);
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + <usize>i);
    if (c != 0x25) {
      bByte(c);
      i++;
      continue;
    }
    i++;
    fMinus = false;
    fPlus = false;
    fZero = false;
    fSpace = false;
    fSharp = false;
    width = -1;
    prec = -1;
    while (i < n) {
      const f = <u32>load<u8>(p + <usize>i);
      if (f == 0x2d) fMinus = true;
      else if (f == 0x2b) fPlus = true;
      else if (f == 0x30) fZero = true;
      else if (f == 0x20) fSpace = true;
      else if (f == 0x23) fSharp = true;
      else break;
      i++;
    }
    if (fMinus) fZero = false;
    while (i < n && load<u8>(p + <usize>i) >= 0x30 && load<u8>(p + <usize>i) <= 0x39) {
      width = (width < 0 ? 0 : width) * 10 + <i32>(load<u8>(p + <usize>i) - 0x30);
      i++;
    }
    if (i < n && load<u8>(p + <usize>i) == 0x2e) {
      i++;
      prec = 0;
      while (i < n && load<u8>(p + <usize>i) >= 0x30 && load<u8>(p + <usize>i) <= 0x39) {
        prec = prec * 10 + <i32>(load<u8>(p + <usize>i) - 0x30);
        i++;
      }
    }
    if (i >= n) {
      bLit("%!(NOVERB)");
      break;
    }
    decodeRune(p, i, n);
    const verb = <u32>load<u8>(p + <usize>i);
    const vsize = runeSize;
    if (verb == 0x25) {
      bByte(0x25);
      i++;
      continue;
    }
    if (argi >= nargs) {
      bLit("%!");
      bBytes(p + <usize>i, vsize);
      bLit("(MISSING)");
      i += vsize;
      continue;
    }
    const v = arrayAt(args, argi++);
    if (vsize > 1) {
      bLit("%!");
      bBytes(p + <usize>i, vsize);
      bByte(0x28);
      putTypeAndValue(v);
      bByte(0x29);
    } else {
      formatOne(verb, v);
    }
    i += vsize;
  }
  if (argi < nargs) {
    bLit("%!(EXTRA ");
    for (let k = argi; k < nargs; k++) {
      if (k > argi) bLit(", ");
      putTypeAndValue(arrayAt(args, k));
    }
    bByte(0x29);
  }
  return bDone();
}
