/**
 * Writes a JS value in the runtime's binary value format (decoded in the module by `fleetward_value_decode` /
 * `fleetward_eval`, src/rego/runtime/assembly/value-decode.ts; the format is described in src/rego/runtime/README.md)
 * instead of JSON text: no text to format in JS nor to scan in Wasm, strings copied byte for byte.
 *
 * What is written is exactly what `JSON.stringify` would write, pruned like `serializeInput` (only the keys the
 * policy looks up under paths not used whole, see `inputAccess`): own enumerable string keys, `toJSON` called with
 * the member's key, boxed primitives unwrapped, `undefined`, functions and symbols left out of objects and `null` in
 * arrays, non-finite numbers `null`, a BigInt throws JSON.stringify's TypeError. Integers that fit i64 exactly are
 * written as integers, other numbers as their JS text (JSON.stringify's), which the runtime's exact decimal parser
 * reads as the JSON path does. Nesting deeper than the JSON parser's limit (`JSON_MAX_DEPTH`) writes an invalid
 * value, so the module refuses it as it refuses such JSON (this is also what a cycle gives, where JSON.stringify
 * throws).
 *
 * The pruned part is written by JS functions generated once per access tree (input-encoder-codegen.ts), or, where
 * code generation from strings is disallowed, by `interpretedWriter` here (same bytes). Objects are written with the
 * distinct-keys tag (their keys come from one JS object or one access node), which the runtime adds without a lookup,
 * unless a key holds a surrogate: distinct JS keys with lone surrogates can have the same UTF-8 ("\uD800" and
 * "\uDC00" are both U+FFFD), so such objects get the tag that inserts (repeated keys keep the last value, as the JSON
 * path does). Whole values are written by the encoder's own methods (`whole`, `object`, `array`, `string`, …),
 * which the generated code calls.
 */
import type { InputAccess } from "../planner/input-access.js";
import { JSON_MAX_DEPTH } from "../runtime/runtime-abi.js";
import { generatedWriter, type PrunedWriter } from "./input-encoder-codegen.js";
import {
  encodedString,
  isSkipped,
  jsonValue,
  SURROGATE,
  TAG_ARRAY,
  TAG_FALSE,
  TAG_INT32,
  TAG_INT64,
  TAG_INVALID,
  TAG_NULL,
  TAG_NUMBER_TEXT,
  TAG_OBJECT,
  TAG_OBJECT_DISTINCT,
  TAG_STRING,
  TAG_TRUE,
  TOO_DEEP,
} from "./input-encoder-format.js";

/** The format's tags (and JSON.stringify's view of a value), for the runtime's tests and other writers. */
export * from "./input-encoder-format.js";

/** Returns a buffer of at least `minLength` bytes holding `buffer`'s bytes (e.g. after growing the module memory). */
export type GrowBuffer = (buffer: Uint8Array, minLength: number) => Uint8Array;

/** Strings longer than this go through TextEncoder.encodeInto (its call costs about what a 48-char loop does). */
const LONG_STRING = 48;
const utf8 = new TextEncoder();
const hasOwn = Object.prototype.hasOwnProperty;
const isEnumerable = Object.prototype.propertyIsEnumerable;
/** The writer of each access tree given to `encode` (its root node), made on first use. */
const writers = new WeakMap<InputAccess, PrunedWriter>();

/** The whole value: no pruning. */
export const WHOLE_VALUE: InputAccess = { whole: true, keys: new Map() };

function writerOf(access: InputAccess): PrunedWriter {
  let w = writers.get(access);
  if (w === undefined) {
    w = generatedWriter(access) ?? interpretedWriter(access);
    writers.set(access, w);
  }
  return w;
}

/**
 * The writers' semantics without code generation (what the generated functions do, see input-encoder-codegen.ts):
 * a node without `each` writes the own enumerable members it names, in its order; with `each`, every element or own
 * member, a named member pruned by its key's node.
 */
function interpretedWriter(access: InputAccess): PrunedWriter {
  const children = new Map([...access.keys].map(([k, c]) => [k, { item: encodedString(k), write: c.whole ? undefined : interpretedWriter(c) }]));
  const each = access.each === undefined || access.each.whole ? undefined : interpretedWriter(access.each);
  const tag = [...access.keys.keys()].some((k) => SURROGATE.test(k)) ? TAG_OBJECT : TAG_OBJECT_DISTINCT;
  return (e, o, depth) => {
    if (access.each === undefined) {
      if (Array.isArray(o)) return e.whole(o, depth);
      if (depth >= JSON_MAX_DEPTH) throw TOO_DEEP;
      const at = e.header(tag, 0);
      let n = 0;
      for (const [k, child] of children) {
        if (!isEnumerable.call(o, k)) continue;
        const v = jsonValue((o as Record<string, unknown>)[k], k);
        if (isSkipped(v)) continue;
        e.bytes(child.item);
        e.pruned(v, child.write, depth + 1);
        n++;
      }
      e.u32At(at + 1, n);
      return;
    }
    if (depth >= JSON_MAX_DEPTH) throw TOO_DEEP;
    if (Array.isArray(o)) {
      e.header(TAG_ARRAY, o.length);
      for (let i = 0; i < o.length; i++) {
        const v = jsonValue(o[i], i);
        if (isSkipped(v)) e.null();
        else e.pruned(v, each, depth + 1);
      }
      return;
    }
    const at = e.header(TAG_OBJECT_DISTINCT, 0);
    let n = 0;
    let distinct = true;
    for (const k in o) {
      if (!hasOwn.call(o, k)) continue;
      const v = jsonValue((o as Record<string, unknown>)[k], k);
      if (isSkipped(v)) continue;
      if (!e.key(k)) distinct = false;
      const child = children.get(k);
      e.pruned(v, child === undefined ? each : child.write, depth + 1);
      n++;
    }
    if (!distinct) e.buffer[at] = TAG_OBJECT;
    e.u32At(at + 1, n);
  };
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
      else writerOf(access)(this, v, 0);
    } catch (e) {
      if (e !== TOO_DEEP) throw e;
      this.pos = start;
      this.null();
      this.buffer[start] = TAG_INVALID;
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

  /** @internal Writes a tag and a u32 (a count, patched later by the caller when not known yet); returns where. */
  header(tag: number, n: number): number {
    this.ensure(5);
    const at = this.pos;
    this.buffer[at] = tag;
    this.u32At(at + 1, n);
    this.pos = at + 5;
    return at;
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

  /** @internal */
  null(): void {
    this.ensure(1);
    this.buffer[this.pos++] = TAG_NULL;
  }

  /** @internal */
  boolean(v: boolean): void {
    this.ensure(1);
    this.buffer[this.pos++] = v ? TAG_TRUE : TAG_FALSE;
  }

  /** @internal A value (not skipped, `toJSON` applied) pruned by `write` when it is an object, else whole. */
  pruned(v: unknown, write: PrunedWriter | undefined, depth: number): void {
    if (write !== undefined && typeof v === "object" && v !== null) write(this, v, depth);
    else this.whole(v, depth);
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
        this.boolean(v);
        return;
      case "object":
        if (v === null) this.null();
        else if (Array.isArray(v)) this.array(v, depth);
        else this.object(v as Record<string, unknown>, depth);
        return;
      default:
        // A BigInt without toJSON: JSON.stringify's own TypeError.
        JSON.stringify(v);
        throw new TypeError(`cannot write a ${typeof v} as JSON`);
    }
  }

  /** @internal A whole array (`toJSON` applied to it). */
  array(a: unknown[], depth: number): void {
    if (depth >= JSON_MAX_DEPTH) throw TOO_DEEP;
    const n = a.length;
    this.header(TAG_ARRAY, n);
    for (let i = 0; i < n; i++) {
      let v = a[i];
      if (typeof v === "string") this.string(v);
      else if (typeof v === "number") this.number(v);
      else {
        if (typeof v === "object" || typeof v === "function" || typeof v === "bigint") v = jsonValue(v, i);
        if (isSkipped(v)) this.null();
        else this.whole(v, depth + 1);
      }
    }
  }

  /** @internal A whole object that is not an array (`toJSON` applied to it): its own enumerable members. */
  object(o: Record<string, unknown>, depth: number): void {
    if (depth >= JSON_MAX_DEPTH) throw TOO_DEEP;
    const at = this.header(TAG_OBJECT_DISTINCT, 0);
    let n = 0;
    let distinct = true;
    for (const key in o) {
      if (!hasOwn.call(o, key)) continue;
      const v = o[key];
      if (typeof v === "string") {
        if (!this.key(key)) distinct = false;
        this.string(v);
      } else if (typeof v === "number") {
        if (!this.key(key)) distinct = false;
        this.number(v);
      } else {
        const j = typeof v === "object" || typeof v === "function" || typeof v === "bigint" ? jsonValue(v, key) : v;
        if (isSkipped(j)) continue;
        if (!this.key(key)) distinct = false;
        this.whole(j, depth + 1);
      }
      n++;
    }
    // Keys with surrogates may have come out as the same bytes: the runtime must look them up.
    if (!distinct) this.buffer[at] = TAG_OBJECT;
    this.u32At(at + 1, n);
  }

  /** @internal An object key: what `string` writes; false when it holds a surrogate (its bytes may be another key's). */
  key(s: string): boolean {
    return this.string(s) || !SURROGATE.test(s);
  }

  /** @internal Writes a string item; true when it was all ASCII (found by the short-string loop; long strings say false). */
  string(s: string): boolean {
    const n = s.length;
    this.ensure(5 + n * 3);
    const b = this.buffer;
    const at = this.pos;
    const start = at + 5;
    b[at] = TAG_STRING;
    let len: number;
    let ascii = false;
    if (n > LONG_STRING) {
      len = utf8.encodeInto(s, b.subarray(start)).written;
    } else {
      // Every character stored (a wide one truncated), no test in the loop (19% fewer instructions per input than
      // stopping at the first non-ASCII one); not ASCII: written again by the encoder (a lone surrogate becomes
      // U+FFFD, as the JSON parser makes of its escape).
      let bits = 0;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        bits |= c;
        b[start + i] = c;
      }
      ascii = bits < 0x80;
      len = ascii ? n : utf8.encodeInto(s, b.subarray(start)).written;
    }
    this.u32At(at + 1, len);
    this.pos = start + len;
    return ascii;
  }

  /** @internal */
  number(x: number): void {
    if ((x | 0) === x) {
      this.header(TAG_INT32, x);
      return;
    }
    if (Number.isSafeInteger(x)) {
      const hi = Math.floor(x / 4294967296);
      this.header(TAG_INT64, x >>> 0);
      this.ensure(4);
      this.u32At(this.pos, hi | 0);
      this.pos += 4;
      return;
    }
    if (!Number.isFinite(x)) {
      this.null();
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
