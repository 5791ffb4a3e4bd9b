/** Host builtins of the arrays family. */
import { arr, num, typeError, typeName, type HostBuiltinFamily } from "./operands.js";

export const arrayBuiltins: HostBuiltinFamily = {
  "array.concat": (a, b) => [...arr("array.concat", 0, a), ...arr("array.concat", 1, b)],
  "array.reverse": (a) => [...arr("array.reverse", 0, a)].reverse(),
  "array.slice": (a, s, e) => {
    const xs = arr("array.slice", 0, a);
    const st = Math.max(0, num("array.slice", 1, s));
    const en = Math.min(xs.length, num("array.slice", 2, e));
    return st >= en ? [] : xs.slice(st, en);
  },
  "array.flatten": (a) => {
    // One level: elements that are arrays are spliced in, deeper arrays stay.
    if (!Array.isArray(a)) throw typeError(`array.flatten: operand 1 must be array but got ${typeName(a)}`);
    return a.flatMap((x) => (Array.isArray(x) ? x : [x]));
  },
};
