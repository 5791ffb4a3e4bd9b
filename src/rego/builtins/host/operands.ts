/**
 * Shared helpers of the host builtins: their argument and result values (JSON as the SDK hands them over:
 * sets as arrays, numbers as JS numbers), OPA's type names, operand checks with OPA's messages, and OPA's
 * order on JSON values.
 */
import { HostBuiltinError } from "./host-builtin-error.js";
import { RegoSet } from "./rego-set.js";

export type Json = unknown;
export type HostFn = (...args: Json[]) => Json;
/** One family of host builtins: Rego name → implementation. */
export type HostBuiltinFamily = Readonly<Record<string, HostFn>>;

export function typeName(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v instanceof RegoSet) return "set";
  switch (typeof v) {
    case "boolean": return "boolean";
    case "number":
    case "bigint": return "number";
    case "string": return "string";
    case "object": return "object";
    default: return "undefined";
  }
}

export function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof RegoSet);
}

export function typeError(message: string): HostBuiltinError {
  return new HostBuiltinError("eval_type_error", message);
}

export function builtinError(message: string): HostBuiltinError {
  return new HostBuiltinError("eval_builtin_error", message);
}

export function need(name: string, i: number, v: Json, type: string): void {
  const t = typeName(v);
  const ok = type === "collection" ? t === "array" || t === "object" || t === "string" : t === type;
  if (!ok) throw typeError(`${name}: operand ${i + 1} must be ${type} but got ${t}`);
}

export function num(name: string, i: number, v: Json): number {
  need(name, i, v, "number");
  return v as number;
}

export function str(name: string, i: number, v: Json): string {
  need(name, i, v, "string");
  return v as string;
}

export function obj(name: string, i: number, v: Json): Record<string, Json> {
  need(name, i, v, "object");
  return v as Record<string, Json>;
}

/** An array or set operand (sets arrive as arrays). */
export function arr(name: string, i: number, v: Json): Json[] {
  if (!Array.isArray(v)) throw typeError(`${name}: operand ${i + 1} must be one of {array, set} but got ${typeName(v)}`);
  return v;
}

export function int(name: string, i: number, v: Json): number {
  const n = num(name, i, v);
  if (!Number.isInteger(n)) throw typeError(`${name}: operand ${i + 1} must be integer number but got floating-point number`);
  return n;
}

const TYPE_ORDER = ["null", "boolean", "number", "string", "array", "object", "set"];

/** OPA's total order on values (sets arrive as arrays and sort as arrays, unless they are `RegoSet`s). */
export function compareJson(a: Json, b: Json): number {
  const ta = TYPE_ORDER.indexOf(typeName(a));
  const tb = TYPE_ORDER.indexOf(typeName(b));
  if (ta !== tb) return ta - tb;
  if (a instanceof RegoSet && b instanceof RegoSet) return compareJson(sortedUnique(a.items), sortedUnique(b.items));
  if (typeof a === "number" || typeof a === "bigint" || typeof a === "boolean") return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (typeof a === "string") return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareJson(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const c = compareJson(ka[i], kb[i]) || compareJson(a[ka[i] as string], b[kb[i] as string]);
      if (c !== 0) return c;
    }
    return ka.length - kb.length;
  }
  return 0;
}

/** Sorted and without duplicates: how a set result leaves a host builtin. */
export function sortedUnique(xs: readonly Json[]): Json[] {
  const sorted = [...xs].sort(compareJson);
  return sorted.filter((x, i) => i === 0 || compareJson(sorted[i - 1], x) !== 0);
}

/**
 * A result given as JSON text: the SDK parses an ArrayBuffer result as is, so numbers beyond 2^53 and
 * exact decimals keep every digit.
 */
export function jsonText(text: string): ArrayBuffer {
  const bytes = new TextEncoder().encode(text);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
