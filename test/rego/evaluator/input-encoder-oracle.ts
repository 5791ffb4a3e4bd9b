/**
 * THE ORACLE of test/rego/evaluator/input-encoder.test.ts: src/rego/evaluator/input-encoder.ts as it was at commit
 * c7c0f97 (before the encoder read objects with one for…in and wrote plain values without `jsonValue`), kept
 * unchanged so that the new encoder is proved to write the same bytes. Not used by the app.
 *
 * Writes a JS value in the runtime's binary value format (decoded in the module by `fleetward_value_decode` /
 * `fleetward_eval`, src/rego/runtime/assembly/value-decode.ts; the format is described in src/rego/runtime/README.md)
 * instead of JSON text: no text to format in JS nor to scan in Wasm, strings copied byte for byte.
 *
 * What is written is exactly what `JSON.stringify` would write, pruned like `serializeInput` (only the keys the
 * policy looks up under paths not used whole, see `inputAccess`): `toJSON` is called with the member's key, boxed
 * primitives are unwrapped, `undefined`, functions and symbols are left out of objects and are `null` in arrays,
 * non-finite numbers are `null`, a BigInt throws JSON.stringify's TypeError. Integers that fit i64 exactly are
 * written as integers, other numbers as their JS text (JSON.stringify's), which the runtime's exact decimal parser
 * reads as the JSON path does. Nesting deeper than the JSON parser's limit (`JSON_MAX_DEPTH`) writes an invalid
 * value, so the module refuses it as it refuses such JSON (this is also what a cycle gives, where JSON.stringify
 * throws).
 *
 * The pruned part is written by a JS function generated once per node of the access tree, its keys constants (see
 * `generatedWriter`); objects are written with the distinct-keys tag (their keys come from one JS object or one
 * access node), which the runtime adds without a lookup, unless a key holds a surrogate: distinct JS keys with
 * lone surrogates can have the same UTF-8 ("\uD800" and "\uDC00" are both U+FFFD), so such objects get the tag
 * that inserts (repeated keys keep the last value, as the JSON path does).
 */
import type { InputAccess } from "../../../src/rego/planner/input-access.js";
import { JSON_MAX_DEPTH } from "../../../src/rego/runtime/runtime-abi.js";

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
/** TAG_OBJECT whose keys are distinct (the runtime adds them without a lookup): what this encoder writes. */
export const TAG_OBJECT_DISTINCT = 10;

/** Returns a buffer of at least `minLength` bytes holding `buffer`'s bytes (e.g. after growing the module memory). */
export type GrowBuffer = (buffer: Uint8Array, minLength: number) => Uint8Array;

/**
 * Writes an object or array (`toJSON` applied, not skipped) under a node of the access tree that is not used whole:
 * of an object, the members the tree looks up, each pruned by its child, or every member when the node has `each`;
 * an array whole, or every element pruned by `each`.
 */
type PrunedWriter = (e: InputEncoder, o: object, depth: number) => void;

const TOO_DEEP = Symbol("too deep");
/** Strings longer than this go through TextEncoder.encodeInto (its call costs about what a 48-char loop does). */
const LONG_STRING = 48;
/** Keys whose encoding (tag, length, UTF-8) is at most this long are written by constant stores in generated code. */
const INLINE_KEY_BYTES = 32;
const utf8 = new TextEncoder();
const hasOwn = Object.prototype.hasOwnProperty;
const isEnumerable = Object.prototype.propertyIsEnumerable;
const writers = new WeakMap<InputAccess, PrunedWriter>();
/** A UTF-16 surrogate: a key holding one may encode to the same UTF-8 as another (lone surrogates become U+FFFD). */
const SURROGATE = /[\uD800-\uDFFF]/;

/** The whole value: no pruning. */
export const WHOLE_VALUE: InputAccess = { whole: true, keys: new Map() };

function encodedKey(key: string): Uint8Array {
  const text = utf8.encode(key);
  const out = new Uint8Array(5 + text.length);
  out[0] = TAG_STRING;
  new DataView(out.buffer).setUint32(1, text.length, true);
  out.set(text, 5);
  return out;
}

/** The writer of objects under `access` (not whole), made once per node. */
function prunedWriter(access: InputAccess): PrunedWriter {
  let w = writers.get(access);
  if (w === undefined) {
    const keys = [...access.keys.keys()];
    const children = [...access.keys.values()].map(valueWriter);
    if (access.each !== undefined) {
      const each = valueWriter(access.each);
      const byKey = new Map(keys.map((k, i) => [k, children[i]]));
      w = (e, o, depth) => (Array.isArray(o) ? e.arrayEach(o, depth, each) : e.objectEach(o as Record<string, unknown>, depth, byKey, each));
    } else {
      const tag = keys.some((k) => SURROGATE.test(k)) ? TAG_OBJECT : TAG_OBJECT_DISTINCT;
      w = generatedWriter(keys, children, tag) ?? interpretedWriter(keys, children, tag);
    }
    writers.set(access, w);
  }
  return w;
}

/** The writer of values under `access`: undefined when they are written whole. */
function valueWriter(access: InputAccess): PrunedWriter | undefined {
  return access.whole ? undefined : prunedWriter(access);
}

/**
 * The writer compiled to a JS function with each key a constant, so that V8 gets a monomorphic load per member
 * (keys are written as `JSON.stringify`'d string literals: never spliced raw, they are user input). A member is
 * read first and its own-enumerability (what JSON.stringify writes: `propertyIsEnumerable`) checked only when it is
 * not undefined (so an inherited getter under a looked-up key runs, its value dropped, and what it throws is
 * ignored). Undefined where code generation from strings is disallowed.
 */
function generatedWriter(keys: string[], children: (PrunedWriter | undefined)[], tag: number): PrunedWriter | undefined {
  const keyBytes = keys.map(encodedKey);
  let body = `"use strict";
return function prunedObject(e, o, depth) {
  if (Array.isArray(o)) return e.whole(o, depth);
  if (depth >= MAX_DEPTH) throw TOO_DEEP;
  e.ensure(5);
  const at = e.pos;
  e.buffer[at] = ${tag};
  e.pos = at + 5;
  let n = 0;
  let v, b, p;
`;
  for (let i = 0; i < keys.length; i++) {
    const key = JSON.stringify(keys[i]);
    const bytes = keyBytes[i] as Uint8Array;
    let writeKey: string;
    if (bytes.length <= INLINE_KEY_BYTES) {
      writeKey = `e.ensure(${bytes.length}); b = e.buffer; p = e.pos;`;
      bytes.forEach((x, j) => (writeKey += ` b[p${j === 0 ? "" : ` + ${j}`}] = ${x};`));
      writeKey += ` e.pos = p + ${bytes.length};`;
    } else {
      writeKey = `e.bytes(keyBytes[${i}]);`;
    }
    const writeValue = children[i] === undefined
      ? "e.whole(v, depth + 1);"
      : `if (typeof v === "object" && v !== null) children[${i}](e, v, depth + 1); else e.whole(v, depth + 1);`;
    body += `  try {
    v = o[${key}];
  } catch (error) {
    if (isEnumerable.call(o, ${key})) throw error;
    v = undefined;
  }
  if (v !== undefined && isEnumerable.call(o, ${key})) {
    if (typeof v === "object" || typeof v === "function" || typeof v === "bigint") v = jsonValue(v, ${key});
    if (v !== undefined && typeof v !== "function" && typeof v !== "symbol") {
      ${writeKey}
      ${writeValue}
      n++;
    }
  }
`;
  }
  body += `  e.u32At(at + 1, n);
};`;
  let make: (...args: unknown[]) => PrunedWriter;
  try {
    make = new Function("MAX_DEPTH", "TOO_DEEP", "isEnumerable", "jsonValue", "keyBytes", "children", body) as typeof make;
  } catch (error) {
    // EvalError: code generation from strings is disallowed (e.g. node --disallow-code-generation-from-strings).
    if (error instanceof EvalError) return undefined;
    throw error;
  }
  return make(JSON_MAX_DEPTH, TOO_DEEP, isEnumerable, jsonValue, keyBytes, children);
}

/** The same writer without code generation. */
function interpretedWriter(keys: string[], children: (PrunedWriter | undefined)[], tag: number): PrunedWriter {
  const keyBytes = keys.map(encodedKey);
  return (e, obj, depth) => {
    if (Array.isArray(obj)) return e.whole(obj, depth);
    if (depth >= JSON_MAX_DEPTH) throw TOO_DEEP;
    const o = obj as Record<string, unknown>;
    e.ensure(5);
    const at = e.pos;
    e.buffer[at] = tag;
    e.pos = at + 5;
    let n = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      let v = memberOrUndefined(o, key);
      if (v === undefined || !isEnumerable.call(o, key)) continue;
      v = jsonValue(v, key);
      if (isSkipped(v)) continue;
      e.bytes(keyBytes[i] as Uint8Array);
      const child = children[i];
      if (child !== undefined && typeof v === "object" && v !== null) child(e, v, depth + 1);
      else e.whole(v, depth + 1);
      n++;
    }
    e.u32At(at + 1, n);
  };
}

/** `o[key]`, or undefined when reading it throws and it is not an own enumerable member (an inherited getter). */
function memberOrUndefined(o: Record<string, unknown>, key: string): unknown {
  try {
    return o[key];
  } catch (error) {
    if (isEnumerable.call(o, key)) throw error;
    return undefined;
  }
}

/** JSON.stringify's view of a member value: `toJSON(key)` applied (once), boxed primitives unwrapped. */
function jsonValue(v: unknown, key: string | number): unknown {
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
function isSkipped(v: unknown): boolean {
  return v === undefined || typeof v === "function" || typeof v === "symbol";
}

export class InputEncoder {
  /** @internal The write offset (read and advanced by the generated writers too). */
  pos = 0;

  /** `buffer` is written from the offset given to `encode`; `grow` is asked for a bigger one when it is full. */
  constructor(
    public buffer: Uint8Array,
    private readonly grow: GrowBuffer,
  ) {}

  /**
   * Writes `value` pruned by `access` from offset `start` of `buffer` (which may be replaced by a grown one);
   * returns the end offset. Nothing is written (end = start) when JSON.stringify would give `undefined`, i.e.
   * there is no input. Throws what JSON.stringify would throw for BigInts and what `toJSON` or getters throw.
   */
  encode(value: unknown, access: InputAccess, start: number): number {
    this.pos = start;
    try {
      const v = jsonValue(value, "");
      if (isSkipped(v)) return start;
      if (access.whole || typeof v !== "object" || v === null) this.whole(v, 0);
      else prunedWriter(access)(this, v, 0);
    } catch (e) {
      if (e !== TOO_DEEP) throw e;
      this.pos = start;
      this.ensure(1);
      this.buffer[this.pos++] = TAG_INVALID;
    }
    return this.pos;
  }

  /** @internal Makes room for `n` more bytes at `pos`. */
  ensure(n: number): void {
    if (this.pos + n > this.buffer.length) this.buffer = this.grow(this.buffer, this.pos + n);
  }

  /** @internal */
  u32At(at: number, x: number): void {
    const b = this.buffer;
    b[at] = x;
    b[at + 1] = x >>> 8;
    b[at + 2] = x >>> 16;
    b[at + 3] = x >>> 24;
  }

  /** @internal */
  bytes(src: Uint8Array): void {
    const n = src.length;
    this.ensure(n);
    const b = this.buffer;
    const p = this.pos;
    for (let i = 0; i < n; i++) b[p + i] = src[i] as number;
    this.pos = p + n;
  }

  /** @internal A whole value (not skipped, `toJSON` applied). */
  whole(v: unknown, depth: number): void {
    switch (typeof v) {
      case "string":
        this.string(v);
        return;
      case "number":
        this.number(v);
        return;
      case "boolean":
        this.ensure(1);
        this.buffer[this.pos++] = v ? TAG_TRUE : TAG_FALSE;
        return;
      case "object":
        if (v === null) {
          this.ensure(1);
          this.buffer[this.pos++] = TAG_NULL;
        } else if (Array.isArray(v)) {
          this.array(v, depth);
        } else {
          this.object(v as Record<string, unknown>, depth);
        }
        return;
      default:
        // A BigInt without toJSON: JSON.stringify's own TypeError.
        JSON.stringify(v);
        throw new TypeError(`cannot write a ${typeof v} as JSON`);
    }
  }

  /** @internal An array of which every element is written by `each` (whole when undefined). */
  arrayEach(a: unknown[], depth: number, each: PrunedWriter | undefined): void {
    this.array(a, depth, each);
  }

  /** @internal An object of which every member is written by its key's writer, else by `each` (whole when undefined). */
  objectEach(o: Record<string, unknown>, depth: number, byKey: ReadonlyMap<string, PrunedWriter | undefined>, each: PrunedWriter | undefined): void {
    this.object(o, depth, (key) => (byKey.has(key) ? byKey.get(key) : each));
  }

  private array(a: unknown[], depth: number, each?: PrunedWriter): void {
    if (depth >= JSON_MAX_DEPTH) throw TOO_DEEP;
    const n = a.length;
    this.ensure(5);
    this.buffer[this.pos] = TAG_ARRAY;
    this.u32At(this.pos + 1, n);
    this.pos += 5;
    for (let i = 0; i < n; i++) {
      let e = a[i];
      if (typeof e === "object" || typeof e === "function" || typeof e === "bigint") e = jsonValue(e, i);
      if (isSkipped(e)) {
        this.ensure(1);
        this.buffer[this.pos++] = TAG_NULL;
      } else if (each !== undefined && typeof e === "object" && e !== null) {
        each(this, e, depth + 1);
      } else {
        this.whole(e, depth + 1);
      }
    }
  }

  private object(o: Record<string, unknown>, depth: number, writerOf?: (key: string) => PrunedWriter | undefined): void {
    if (depth >= JSON_MAX_DEPTH) throw TOO_DEEP;
    this.ensure(5);
    const tagAt = this.pos;
    this.buffer[tagAt] = TAG_OBJECT_DISTINCT;
    this.pos += 5;
    let n = 0;
    let distinct = true;
    for (const key in o) {
      if (!hasOwn.call(o, key)) continue;
      const child = o[key];
      if (typeof child === "string") {
        if (!this.key(key)) distinct = false;
        this.string(child);
      } else if (typeof child === "number") {
        if (!this.key(key)) distinct = false;
        this.number(child);
      } else {
        const v = typeof child === "object" || typeof child === "function" || typeof child === "bigint" ? jsonValue(child, key) : child;
        if (isSkipped(v)) continue;
        if (!this.key(key)) distinct = false;
        const w = writerOf?.(key);
        if (w !== undefined && typeof v === "object" && v !== null) w(this, v, depth + 1);
        else this.whole(v, depth + 1);
      }
      n++;
    }
    // Keys with surrogates may have come out as the same bytes: the runtime must look them up.
    if (!distinct) this.buffer[tagAt] = TAG_OBJECT;
    this.u32At(tagAt + 1, n);
  }

  /** An object key: what `string` writes; false when it holds a surrogate (its bytes may be another key's). */
  private key(s: string): boolean {
    return this.string(s) || !SURROGATE.test(s);
  }

  /** Writes a string item; true when it was all ASCII (found by the short-string loop; long strings say false). */
  private string(s: string): boolean {
    const n = s.length;
    this.ensure(5 + n * 3);
    const b = this.buffer;
    const start = this.pos + 5;
    b[this.pos] = TAG_STRING;
    let len: number;
    let ascii = false;
    if (n > LONG_STRING) {
      len = utf8.encodeInto(s, b.subarray(start)).written;
    } else {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
      ascii = i === n;
      // Not ASCII: the rest by the encoder (a lone surrogate becomes U+FFFD, as the JSON parser makes of its escape).
      len = ascii ? n : i + utf8.encodeInto(s.slice(i), b.subarray(start + i)).written;
    }
    this.u32At(this.pos + 1, len);
    this.pos = start + len;
    return ascii;
  }

  private number(x: number): void {
    if ((x | 0) === x) {
      this.ensure(5);
      this.buffer[this.pos] = TAG_INT32;
      this.u32At(this.pos + 1, x);
      this.pos += 5;
      return;
    }
    if (Number.isSafeInteger(x)) {
      const hi = Math.floor(x / 4294967296);
      this.ensure(9);
      this.buffer[this.pos] = TAG_INT64;
      this.u32At(this.pos + 1, x >>> 0);
      this.u32At(this.pos + 5, hi | 0);
      this.pos += 9;
      return;
    }
    if (!Number.isFinite(x)) {
      this.ensure(1);
      this.buffer[this.pos++] = TAG_NULL;
      return;
    }
    const text = String(x);
    this.ensure(2 + text.length);
    const out = this.buffer;
    out[this.pos] = TAG_NUMBER_TEXT;
    out[this.pos + 1] = text.length;
    for (let i = 0; i < text.length; i++) out[this.pos + 2 + i] = text.charCodeAt(i);
    this.pos += 2 + text.length;
  }
}
