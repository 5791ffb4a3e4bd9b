/**
 * What the input encoder (input-encoder.ts) and the writers it generates (input-encoder-codegen.ts) share: the tags of
 * the runtime's binary value format (src/rego/runtime/README.md, "Binary input format") and JSON.stringify's view of a
 * value.
 */

/** Tags of the binary value format (must match assembly/value-decode.ts). */
export const TAG_INVALID = 0;
export const TAG_NULL = 1;
export const TAG_FALSE = 2;
export const TAG_TRUE = 3;
export const TAG_INT32 = 4;
export const TAG_INT64 = 5;
export const TAG_NUMBER_TEXT = 6;
export const TAG_STRING = 7;
export const TAG_ARRAY = 8;
export const TAG_OBJECT = 9;
/** TAG_OBJECT whose keys are distinct (the runtime adds them without a lookup): what the encoder writes. */
export const TAG_OBJECT_DISTINCT = 10;

/** Thrown inside the encoder when values nest deeper than the JSON parser's limit (the input becomes invalid). */
export const TOO_DEEP = Symbol("too deep");

/** A UTF-16 surrogate: a key holding one may encode to the same UTF-8 as another (lone surrogates become U+FFFD). */
export const SURROGATE = /[\uD800-\uDFFF]/;

const utf8 = new TextEncoder();

/** A constant string item (tag, length, UTF-8), e.g. an access tree's key. */
export function encodedString(s: string): Uint8Array {
  const text = utf8.encode(s);
  const out = new Uint8Array(5 + text.length);
  out[0] = TAG_STRING;
  new DataView(out.buffer).setUint32(1, text.length, true);
  out.set(text, 5);
  return out;
}

/** JSON.stringify's view of a member value: `toJSON(key)` applied (once), boxed primitives unwrapped. */
export function jsonValue(v: unknown, key: string | number): unknown {
  if ((typeof v === "object" && v !== null) || typeof v === "function" || typeof v === "bigint") {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") v = (toJSON as (k: string) => unknown).call(v, typeof key === "string" ? key : String(key));
  }
  if (typeof v === "object" && v !== null && !Array.isArray(v)) {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      if (v instanceof Number) return Number(v);
      if (v instanceof String) return String(v);
      if (v instanceof Boolean || v instanceof BigInt) return v.valueOf();
    }
  }
  return v;
}

/** Left out of objects (and null in arrays) by JSON.stringify. */
export function isSkipped(v: unknown): boolean {
  return v === undefined || typeof v === "function" || typeof v === "symbol";
}
