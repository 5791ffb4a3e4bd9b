/**
 * Exact decimal helpers for checking the runtime's numbers from the test side (independent of the
 * runtime): a number text becomes sign, significant digits and exponent.
 */
export interface Decimal {
  negative: boolean;
  digits: bigint;
  exponent: number;
}

const NUMBER = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Canonical exact value of a JSON number text (trailing zeros folded into the exponent). */
export function parseDecimal(text: string): Decimal {
  const m = NUMBER.exec(text);
  if (!m) throw new Error(`not a number: ${text}`);
  const frac = m[3] ?? "";
  let digits = BigInt((m[2] ?? "0") + frac);
  let exponent = Number(m[4] ?? "0") - frac.length;
  if (digits === 0n) return { negative: false, digits: 0n, exponent: 0 };
  while (digits % 10n === 0n) {
    digits /= 10n;
    exponent++;
  }
  return { negative: m[1] === "-", digits, exponent };
}

export function decimalKey(text: string): string {
  const d = parseDecimal(text);
  return `${d.negative ? "-" : "+"}${d.digits}e${d.exponent}`;
}

/** Deterministic PRNG (mulberry32) so property tests are reproducible. */
export { seededRandom as prng } from "../../../bench/seeded-random.js";

export function randomDigits(next: () => number, min: number, max: number): string {
  const n = min + Math.floor(next() * (max - min + 1));
  let s = String(1 + Math.floor(next() * 9));
  for (let i = 1; i < n; i++) s += String(Math.floor(next() * 10));
  return s;
}
