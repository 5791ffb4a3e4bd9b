/**
 * Division against an independent BigInt model of OPA's rule: integer operands that divide exactly give the
 * exact quotient; otherwise both operands become Go big.Float values with a 64-bit mantissa, the quotient is
 * rounded to 64 bits (half to even), and the result is the shortest decimal inside the quotient's rounding
 * interval (the nearest such decimal when two qualify).
 */
import { NativeHarness } from "./native-harness.js";

const h = new NativeHarness();

interface Rat {
  n: bigint; // signed numerator
  d: bigint; // positive denominator
}

function parseRat(text: string): Rat {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([-+]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a number: ${text}`);
  const [, sign, int, frac = "", exp = "0"] = m;
  let n = BigInt(int! + frac);
  let d = 1n;
  const e = Number(exp) - frac.length;
  if (e >= 0) n *= 10n ** BigInt(e);
  else d = 10n ** BigInt(-e);
  return { n: sign === "-" ? -n : n, d };
}

const abs = (x: bigint) => (x < 0n ? -x : x);
const bitLen = (x: bigint) => x.toString(2).length;

/** n/d (positive) rounded to a 64-bit mantissa: value = m * 2^e. */
function round64(n: bigint, d: bigint): { m: bigint; e: number } {
  let e = bitLen(n) - bitLen(d) - 64;
  for (;;) {
    const num = e >= 0 ? n : n << BigInt(-e);
    const den = e >= 0 ? d << BigInt(e) : d;
    let q = num / den;
    const r = num % den;
    if (q >= 1n << 64n) {
      e++;
      continue;
    }
    if (q < 1n << 63n) {
      e--;
      continue;
    }
    if (2n * r > den || (2n * r === den && (q & 1n) === 1n)) q++;
    if (q === 1n << 64n) return { m: 1n << 63n, e: e + 1 };
    return { m: q, e };
  }
}

/** Exact rational of m * 2^e. */
function ratOf(m: bigint, e: number): Rat {
  return e >= 0 ? { n: m << BigInt(e), d: 1n } : { n: m, d: 1n << BigInt(-e) };
}

const cmp = (a: Rat, b: Rat) => {
  const x = a.n * b.d;
  const y = b.n * a.d;
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Shortest decimal in the rounding interval of m * 2^e (64-bit mantissa), as a rational. */
function shortest(m: bigint, e: number): Rat {
  const v = ratOf(m, e);
  const lower = ratOf(2n * m - 1n, e - 1);
  const upper = ratOf(2n * m + 1n, e - 1);
  const inclusive = (m & 1n) === 0n;
  const ok = (c: Rat) => {
    const lo = cmp(lower, c);
    const hi = cmp(c, upper);
    return inclusive ? lo <= 0 && hi <= 0 : lo < 0 && hi < 0;
  };
  // decimal exponent of v: 10^(p-1) <= v < 10^p
  let p = (v.n / v.d).toString().length;
  if (v.n < v.d) {
    p = 0;
    while (cmp({ n: 10n ** BigInt(-p + 1) * v.n, d: v.d }, { n: 1n, d: 1n }) < 0) p--;
  }
  for (let k = 1; k <= 40; k++) {
    const shift = k - p; // candidate = integer / 10^shift
    const scaled: Rat = shift >= 0 ? { n: v.n * 10n ** BigInt(shift), d: v.d } : { n: v.n, d: v.d * 10n ** BigInt(-shift) };
    const fl = scaled.n / scaled.d;
    const toRat = (i: bigint): Rat => (shift >= 0 ? { n: i, d: 10n ** BigInt(shift) } : { n: i * 10n ** BigInt(-shift), d: 1n });
    const down = toRat(fl);
    const up = toRat(fl + 1n);
    const okDown = ok(down);
    const okUp = ok(up);
    if (okDown && okUp) {
      const twice = 2n * (scaled.n - fl * scaled.d);
      if (twice < scaled.d) return down;
      if (twice > scaled.d) return up;
      return (fl & 1n) === 0n ? down : up;
    }
    if (okDown) return down;
    if (okUp) return up;
  }
  throw new Error("no shortest decimal");
}

function modelDiv(a: string, b: string): Rat {
  const x = parseRat(a);
  const y = parseRat(b);
  if (x.d === 1n && y.d === 1n && abs(x.n) < 1n << 63n && abs(y.n) < 1n << 63n && x.n % y.n === 0n) return { n: x.n / y.n, d: 1n };
  const rx = round64(abs(x.n), x.d);
  const ry = round64(abs(y.n), y.d);
  const q = round64(rx.m, ry.m);
  const s = shortest(q.m, q.e + rx.e - ry.e);
  return (x.n < 0n) !== (y.n < 0n) ? { n: -s.n, d: s.d } : s;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("div matches OPA's big.Float division", () => {
  it.each([
    ["1", "3", "0.33333333333333333334"],
    ["-1", "3", "-0.33333333333333333334"],
    ["1", "10", "0.1"],
    ["0.1", "0.2", "0.5"],
    ["7", "2", "3.5"],
    ["36893488147419103234", "2", "18446744073709551616"],
  ])("%s / %s = %s", (a, b, want) => {
    expect(h.value("div", a, b)).toBe(want);
  });

  it("agrees with the BigInt model on random operands", () => {
    const rand = prng(42);
    const pick = (): string => {
      const digits = String(Math.floor(rand() * 10 ** (1 + Math.floor(rand() * 12))) + 1);
      const kind = Math.floor(rand() * 4);
      const sign = rand() < 0.3 ? "-" : "";
      if (kind === 0) return sign + digits;
      if (kind === 1) return `${sign}${digits}e-${Math.floor(rand() * 30)}`;
      if (kind === 2) return `${sign}${digits}e${Math.floor(rand() * 30)}`;
      return `${sign}0.${digits}`;
    };
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const a = pick();
      const b = pick();
      const got = parseRat(h.value("div", a, b));
      const want = modelDiv(a, b);
      if (cmp(got, want) !== 0) failures.push(`${a} / ${b}: got ${h.value("div", a, b)}, want ${want.n}/${want.d}`);
    }
    expect(failures).toEqual([]);
  });

  it("falls back to 20 significant digits far outside float range, quickly", () => {
    const started = Date.now();
    expect(h.value("div", "1", "3e2000")).toBe("33333333333333333333e-2020");
    expect(h.value("div", "1", "1e100000")).toBe("1e-100000");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
