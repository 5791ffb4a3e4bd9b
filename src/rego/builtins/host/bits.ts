/**
 * Host builtins of the bits family, on arbitrary-precision integers (BigInt), as OPA's (`bits.lsh` of
 * 2^63-1 is exact). Called with the value-text convention, so integers beyond 2^53 arrive and leave exact.
 */
import { builtinError, int, typeError, type HostBuiltinFamily, type Json } from "./operands.js";

/** Left shifts beyond this many bits are refused (the result would need megabytes). */
const MAX_SHIFT = 1n << 16n;

function bigint(name: string, i: number, v: Json): bigint {
  return typeof v === "bigint" ? v : BigInt(int(name, i, v));
}

/** A JS number when it is exact, else the bigint. */
function exact(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function shift(name: string, a: Json, b: Json, left: boolean): number | bigint {
  const x = bigint(name, 0, a);
  const n = bigint(name, 1, b);
  if (n < 0n) throw typeError(`${name}: operand 2 must be an unsigned integer number but got a negative integer`);
  if (left && n > MAX_SHIFT) throw builtinError(`${name}: shift count ${n} is larger than ${MAX_SHIFT}`);
  return exact(left ? x << n : x >> (n > MAX_SHIFT ? MAX_SHIFT : n));
}

export const bitsBuiltins: HostBuiltinFamily = {
  "bits.and": (a, b) => exact(bigint("bits.and", 0, a) & bigint("bits.and", 1, b)),
  "bits.or": (a, b) => exact(bigint("bits.or", 0, a) | bigint("bits.or", 1, b)),
  "bits.xor": (a, b) => exact(bigint("bits.xor", 0, a) ^ bigint("bits.xor", 1, b)),
  "bits.negate": (a) => exact(~bigint("bits.negate", 0, a)),
  "bits.lsh": (a, b) => shift("bits.lsh", a, b, true),
  "bits.rsh": (a, b) => shift("bits.rsh", a, b, false),
};
