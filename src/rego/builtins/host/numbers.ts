/** Host builtins of the numbers and aggregates families (JS numbers; the exact versions are native). */
import { arr, builtinError, compareJson, num, str, typeError, typeName, type HostBuiltinFamily } from "./operands.js";

/** `to_number` strings: Go's ParseFloat syntax without NaN and infinities (OPA rejects those as type errors). */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NOT_A_NUMBER = /^[+-]?(nan|inf|infinity)$/i;

export const numberBuiltins: HostBuiltinFamily = {
  count: (x) => {
    if (typeof x === "string") return [...x].length;
    if (Array.isArray(x)) return x.length;
    if (x !== null && typeof x === "object") return Object.keys(x).length;
    throw typeError(`count: operand 1 must be one of {array, object, set, string} but got ${typeName(x)}`);
  },
  sum: (xs) => arr("sum", 0, xs).reduce((s: number, x, i) => s + num("sum", i, x), 0),
  product: (xs) => arr("product", 0, xs).reduce((s: number, x, i) => s * num("product", i, x), 1),
  max: (xs) => { const a = arr("max", 0, xs); return a.length === 0 ? undefined : [...a].sort(compareJson)[a.length - 1]; },
  min: (xs) => { const a = arr("min", 0, xs); return a.length === 0 ? undefined : [...a].sort(compareJson)[0]; },
  sort: (xs) => [...arr("sort", 0, xs)].sort(compareJson),
  abs: (x) => Math.abs(num("abs", 0, x)),
  round: (x) => Math.round(num("round", 0, x)),
  ceil: (x) => Math.ceil(num("ceil", 0, x)),
  floor: (x) => Math.floor(num("floor", 0, x)),
  plus: (a, b) => num("plus", 0, a) + num("plus", 1, b),
  minus: (a, b) => num("minus", 0, a) - num("minus", 1, b),
  mul: (a, b) => num("mul", 0, a) * num("mul", 1, b),
  div: (a, b) => {
    const x = num("div", 0, a);
    const y = num("div", 1, b);
    if (y === 0) throw builtinError("div: divide by zero");
    return x / y;
  },
  rem: (a, b) => {
    const x = num("rem", 0, a);
    const y = num("rem", 1, b);
    if (!Number.isInteger(x) || !Number.isInteger(y)) throw builtinError("rem: modulo on floating-point number");
    if (y === 0) throw builtinError("rem: modulo by zero");
    return x % y;
  },
  to_number: (x) => {
    if (x === null) return 0;
    if (typeof x === "boolean") return x ? 1 : 0;
    if (typeof x === "number") return x;
    const s = str("to_number", 0, x);
    if (NOT_A_NUMBER.test(s)) throw typeError(`to_number: operand 1 must be a finite number but got ${JSON.stringify(s)}`);
    if (!NUMBER_TEXT.test(s)) throw builtinError(`to_number: strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
    return Number(s);
  },
  "numbers.range": (a, b) => {
    const x = num("numbers.range", 0, a);
    const y = num("numbers.range", 1, b);
    const out: number[] = [];
    if (x <= y) for (let i = x; i <= y; i++) out.push(i);
    else for (let i = x; i >= y; i--) out.push(i);
    return out;
  },
};
