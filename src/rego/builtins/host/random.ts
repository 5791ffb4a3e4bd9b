/**
 * Randomness with OPA's per-query consistency: `rand.intn(key, n)` and `uuid.rfc4122(key)` give one value per
 * query for equal arguments (a new one in the next query), from `node:crypto`.
 */
import { randomInt, randomUUID } from "node:crypto";
import { builtinError, str, typeError, typeName, type HostBuiltinFamily } from "./operands.js";
import { queryCached } from "./query-scope.js";

export const randomBuiltins: HostBuiltinFamily = {
  /** A number in [0, |n|) (0 for n = 0), as OPA's Go `rand.Intn` on the absolute value. */
  "rand.intn": (key, n) => {
    const k = str("rand.intn", 0, key);
    if (typeof n !== "number") throw typeError(`rand.intn: operand 2 must be number but got ${typeName(n)}`);
    if (!Number.isInteger(n)) throw typeError("rand.intn: operand 2 must be integer number but got floating-point number");
    const bound = Math.abs(n);
    if (bound > Number.MAX_SAFE_INTEGER) throw builtinError("rand.intn: operand 2 out of range");
    return queryCached(`rand.intn\u0000${k}\u0000${bound}`, () => (bound === 0 ? 0 : randomInt(bound)));
  },
  /** A version 4 (random) UUID. */
  "uuid.rfc4122": (key) => queryCached(`uuid.rfc4122\u0000${str("uuid.rfc4122", 0, key)}`, () => randomUUID()),
};
