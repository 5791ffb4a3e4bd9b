/** Host builtins of the bits family, on 64-bit integers (BigInt). */
import { int, typeError, type HostBuiltinFamily } from "./operands.js";

function shift(name: string, a: unknown, b: unknown, left: boolean): number {
  const x = BigInt(int(name, 0, a));
  const n = int(name, 1, b);
  if (n < 0) throw typeError(`${name}: operand 2 must be an unsigned integer number but got a negative integer`);
  return Number(left ? x << BigInt(n) : x >> BigInt(n));
}

export const bitsBuiltins: HostBuiltinFamily = {
  "bits.and": (a, b) => Number(BigInt(int("bits.and", 0, a)) & BigInt(int("bits.and", 1, b))),
  "bits.or": (a, b) => Number(BigInt(int("bits.or", 0, a)) | BigInt(int("bits.or", 1, b))),
  "bits.xor": (a, b) => Number(BigInt(int("bits.xor", 0, a)) ^ BigInt(int("bits.xor", 1, b))),
  "bits.negate": (a) => Number(~BigInt(int("bits.negate", 0, a))),
  "bits.lsh": (a, b) => shift("bits.lsh", a, b, true),
  "bits.rsh": (a, b) => shift("bits.rsh", a, b, false),
};
