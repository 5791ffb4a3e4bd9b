/**
 * `units.parse` ("10k", "5m" = milli, "1Mi") and `units.parse_bytes` ("10KB", "1.5Gi"), computed exactly
 * on decimal digits (results beyond 2^53 keep every digit); parse_bytes rounds to whole bytes.
 */
import { builtinError, jsonText, str, type HostBuiltinFamily } from "./operands.js";

const DECIMAL: Record<string, number> = { "": 0, k: 3, m: 6, g: 9, t: 12, p: 15, e: 18 };
const BINARY: Record<string, number> = { ki: 10, mi: 20, gi: 30, ti: 40, pi: 50, ei: 60 };

interface Decimal {
  digits: bigint;
  exp: number;
}

/** Decimal text (`1.5`, `.5`, `3.2E2`) as digits × 10^exp, or undefined if it is not a number. */
function parseDecimal(text: string): Decimal | undefined {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || ((m[1] ?? "") === "" && (m[2] ?? "") === "")) return undefined;
  const frac = m[2] ?? "";
  return { digits: BigInt(`${m[1] ?? ""}${frac}` || "0"), exp: Number(m[3] ?? "0") - frac.length };
}

/** digits × 10^exp rounded half up to an integer. */
function roundToInteger(d: Decimal): bigint {
  if (d.exp >= 0) return d.digits * 10n ** BigInt(d.exp);
  const div = 10n ** BigInt(-d.exp);
  return (d.digits * 2n + div) / (2n * div);
}

function parseUnits(name: string, input: string, bytes: boolean): ArrayBuffer {
  const text = input.replace(/^"|"$/g, "");
  if (/\s/.test(text)) throw builtinError(`${name}: spaces not allowed in resource strings`);
  const what = bytes ? "byte amount" : "amount";
  const m = /^([0-9.]*(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(text);
  const numText = m?.[1] ?? "";
  if (!m || numText === "") throw builtinError(`${name}: no ${what} provided`);
  const amount = parseDecimal(numText);
  if (!amount) throw builtinError(`${name}: could not parse ${what} to a number`);
  let unit = m[2] ?? "";
  let value: Decimal;
  if (!bytes && unit === "m") value = { digits: amount.digits, exp: amount.exp - 3 };
  else {
    unit = unit.toLowerCase();
    if (bytes && unit.endsWith("b")) unit = unit.slice(0, -1);
    const ten = DECIMAL[unit];
    const two = BINARY[unit];
    if (ten !== undefined) value = { digits: amount.digits, exp: amount.exp + ten };
    else if (two !== undefined) value = { digits: amount.digits * 2n ** BigInt(two), exp: amount.exp };
    else throw builtinError(`${name}: unit not recognized`);
  }
  if (bytes) return jsonText(roundToInteger(value).toString());
  return jsonText(value.exp === 0 ? value.digits.toString() : `${value.digits}e${value.exp}`);
}

export const unitBuiltins: HostBuiltinFamily = {
  "units.parse_bytes": (x) => parseUnits("units.parse_bytes", str("units.parse_bytes", 0, x), true),
  "units.parse": (x) => parseUnits("units.parse", str("units.parse", 0, x), false),
};
