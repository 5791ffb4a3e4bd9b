import { InputEncoder, TAG_ARRAY, TAG_INT32, TAG_NUMBER_TEXT, TAG_OBJECT, TAG_OBJECT_DISTINCT, TAG_STRING, WHOLE_VALUE } from "../../../src/rego/evaluator/input-encoder.js";
import { serializeInput } from "../../../src/rego/evaluator/serialize-input.js";
import type { InputAccess } from "../../../src/rego/planner/input-access.js";
import { BINARY_DECODE_EXPORT, JSON_MAX_DEPTH } from "../../../src/rego/runtime/runtime-abi.js";
import { RuntimeInstance, RuntimeParseError } from "../../../src/rego/runtime/runtime-instance.js";
import { ensureRuntimeBuilt } from "./ensure-runtime-built.js";

ensureRuntimeBuilt();

const rt = RuntimeInstance.create();
const decode = (rt.exports as unknown as Record<string, (ptr: number, len: number) => number>)[BINARY_DECODE_EXPORT] as (ptr: number, len: number) => number;

/** Encodes in a JS buffer (growing it from a tiny one, so growth is exercised too). */
function encode(value: unknown, access: InputAccess = WHOLE_VALUE): Uint8Array {
  const encoder = new InputEncoder(new Uint8Array(8), (buffer, min) => {
    const grown = new Uint8Array(Math.max(min, buffer.length * 2));
    grown.set(buffer);
    return grown;
  });
  const end = encoder.encode(value, access, 0);
  return encoder.buffer.slice(0, end);
}

/** The runtime value decoded from `bytes` (0 if refused). The bytes stay in the heap: decoded strings use them. */
function decoded(bytes: Uint8Array): number {
  const addr = rt.writeBytes(bytes.length > 0 ? bytes : new Uint8Array(1));
  return decode(addr, bytes.length);
}

/** The same value parsed from JSON text, or 0 when the JSON parser refuses it. */
function parsed(json: string): number {
  try {
    return rt.parseJson(json);
  } catch (e) {
    if (e instanceof RuntimeParseError) return 0;
    throw e;
  }
}

/** Object keys in the runtime's iteration (insertion) order, all the way down: [key, subtree] pairs. */
function iterationOrder(v: number): unknown {
  const x = rt.exports;
  const type = x.fw_value_type(v);
  if (type !== 5 && type !== 6) return null;
  const out: unknown[] = [];
  for (let i = x.fw_iter_next(v, -1); i >= 0; i = x.fw_iter_next(v, i)) {
    out.push([type === 6 ? rt.dumpJson(x.fw_iter_key(v, i)) : i, iterationOrder(x.fw_iter_value(v, i))]);
  }
  return out;
}

/** Decoding the binary encoding gives the value the JSON parser makes of JSON.stringify's text (same key order). */
function expectSameAsJson(value: unknown, access: InputAccess = WHOLE_VALUE): void {
  const json = serializeInput(value, access);
  const fromJson = parsed(json);
  const fromBinary = decoded(encode(value, access));
  expect(fromBinary !== 0).toBe(fromJson !== 0);
  if (fromJson === 0) return;
  expect(rt.exports.fw_value_equal(fromBinary, fromJson)).toBe(1);
  expect(rt.dumpJson(fromBinary)).toBe(rt.dumpJson(fromJson));
  expect(iterationOrder(fromBinary)).toEqual(iterationOrder(fromJson));
}

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}

describe("fleetward_value_decode: the binary format decodes to what opa_json_parse makes of the JSON", () => {
  test("scalars, empty and nested containers, key order", () => {
    for (const v of [null, true, false, 0, 1, -1, 2147483647, -2147483648, "", "a", [], {}, [[], {}, [[1]]], { b: 1, a: { d: [1, "x"], c: null } }]) {
      expectSameAsJson(v);
    }
  });

  test("strings: escapes, control characters, unicode, surrogate pairs and lone surrogates (U+FFFD)", () => {
    for (const s of ['q"uote \\ /', "\n\t\r\b\f\u0000\u0001\u001f", "é中😀", "\u2028\u2029", "\ud83d", "x\udc00y", "\ud83d\ude00\ud83d", "a".repeat(70_000), "é".repeat(30_000), `${"x".repeat(60)}\ud800é😀"\n`, "y".repeat(48), "y".repeat(49)]) {
      expectSameAsJson(s);
      expectSameAsJson({ [s]: s });
    }
    // Keys distinct in JS but the same in UTF-8 (lone surrogates are U+FFFD): one member, the last value.
    expectSameAsJson({ "\ud800": 1, "\udc00": 2, "\ufffd": 3, x: { "a\udc00": 4, "a\ud800": 5 } });
  });

  test("numbers: i32 and i64 integers, unsafe integers, fractions, exponents, -0, non-finite as null", () => {
    const numbers = [
      2147483648, -2147483649, 2 ** 40, -(2 ** 40) - 7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53, 2 ** 60, -(2 ** 63), 2 ** 64,
      1e21, 123456789012345680000, 0.1, -0.5, 1.5e-7, 5e-324, 1.7976931348623157e308, -0, 0.30000000000000004, NaN, Infinity, -Infinity,
    ];
    for (const n of numbers) expectSameAsJson(n);
    expectSameAsJson(numbers);
  });

  test("JSON.stringify's view: toJSON with the member's key, boxed primitives, undefined/functions/symbols", () => {
    const keys: string[] = [];
    const withKey = { toJSON: (k: string) => (keys.push(k), `key ${k}`) };
    expectSameAsJson({ a: withKey, list: [withKey, withKey], date: new Date(0) });
    expect(keys).toEqual(["a", "0", "1", "a", "0", "1"]);
    expectSameAsJson({ n: Object(3), s: Object("x"), b: Object(false), u: undefined, f: () => 1, y: Symbol("s"), arr: [undefined, () => 1, Symbol("t")] });
    expectSameAsJson({ toJSON: () => [1, { toJSON: () => "inner" }] });
    // Nothing at all: no input (as JSON.stringify gives undefined).
    expect(encode(undefined)).toHaveLength(0);
    expect(encode(() => 1)).toHaveLength(0);
    expect(encode({ toJSON: () => undefined })).toHaveLength(0);
  });

  test("BigInts and throwing toJSON throw what JSON.stringify throws", () => {
    let expected: unknown;
    try {
      JSON.stringify({ a: 1n });
    } catch (e) {
      expected = e;
    }
    expect(() => encode({ a: 1n })).toThrow((expected as Error).message);
    expect(() => encode({ a: { toJSON: () => { throw new Error("nope"); } } })).toThrow("nope");
  });

  test("nesting: as deep as the JSON parser accepts, one more is refused by both", () => {
    expectSameAsJson(nested(JSON_MAX_DEPTH));
    expectSameAsJson(nested(JSON_MAX_DEPTH + 1));
    expect(decoded(encode(nested(JSON_MAX_DEPTH + 1)))).toBe(0);
    // A cycle reaches the limit too (JSON.stringify throws instead): refused, not a stack overflow.
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(decoded(encode(cyclic))).toBe(0);
  });

  test("pruning by an access tree: as serializeInput (keys in access order, whole subtrees in full)", () => {
    const access: InputAccess = {
      whole: false,
      keys: new Map([
        ["b", { whole: false, keys: new Map([["y", { whole: true, keys: new Map() }], ["missing", { whole: true, keys: new Map() }]]) }],
        ["a", { whole: true, keys: new Map() }],
        ["list", { whole: false, keys: new Map([["x", { whole: true, keys: new Map() }]]) }],
        ["gone", { whole: true, keys: new Map() }],
      ]),
    };
    const value = { a: { p: 1, q: [2] }, b: { x: "drop", y: { z: true } }, c: "drop", list: [{ x: 1, w: 2 }], gone: undefined };
    expectSameAsJson(value, access);
    expect(rt.dumpJson(decoded(encode(value, access)))).toBe('{"a":{"p":1,"q":[2]},"b":{"y":{"z":true}},"list":[{"w":2,"x":1}]}');
    // A scalar or array where an object is looked up is written whole.
    expectSameAsJson({ b: "text", a: [1] }, access);
    expectSameAsJson([1, { b: 2 }], access);
  });

  test("pruning with hostile keys: constant keys in the generated writer are literals, never code", () => {
    const hostile = ['"];process.exit(1);//', "'];throw 1;//", "`${process.exit(1)}`", "__proto__", "constructor", "toString", "hasOwnProperty",
      'q"uote\\', "new\nline\r", "\u2028\u2029", "\ud800", "é中😀", "", "0", "length", "k".repeat(40), `${"é".repeat(20)}x`];
    const whole = (): InputAccess => ({ whole: true, keys: new Map() });
    const inner: InputAccess = { whole: false, keys: new Map(hostile.map((k) => [k, whole()])) };
    const access: InputAccess = { whole: false, keys: new Map<string, InputAccess>([...hostile.map((k): [string, InputAccess] => [k, whole()]), ["nested", inner]]) };
    // Own members under every hostile key (JSON.parse makes "__proto__" an own property)…
    const own = JSON.parse(JSON.stringify(Object.fromEntries(hostile.map((k, i) => [k, { i }])))) as Record<string, unknown>;
    expectSameAsJson({ ...own, nested: own }, access);
    expect(rt.exports.fw_value_length(decoded(encode(own, access)))).toBe(hostile.length);
    // …and none: nothing inherited is written (Object.prototype's __proto__ getter, constructor, toString).
    expect(rt.dumpJson(decoded(encode({ nested: {} }, access)))).toBe('{"nested":{}}');
    expect(rt.dumpJson(decoded(encode(Object.create(null), access)))).toBe("{}");
  });

  test("pruning writes own enumerable members only, as JSON.stringify (not inherited or non-enumerable ones)", () => {
    const whole: InputAccess = { whole: true, keys: new Map() };
    const access: InputAccess = { whole: false, keys: new Map(["own", "hidden", "inherited", "getter", "inheritedGetter"].map((k) => [k, whole])) };
    let ownGets = 0;
    const value = Object.create({ inherited: 1, get inheritedGetter() { return 2; } }) as Record<string, unknown>;
    value.own = 3;
    Object.defineProperty(value, "hidden", { value: 4, enumerable: false });
    Object.defineProperty(value, "getter", { get: () => ++ownGets, enumerable: true });
    expect(JSON.stringify(value)).toBe('{"own":3,"getter":1}');
    expect(rt.dumpJson(decoded(encode(value, access)))).toBe('{"getter":2,"own":3}');
    expect(ownGets).toBe(2);
    // An inherited getter that throws is not written and does not make the encoding fail.
    const throwing = Object.create({ get inheritedGetter(): never { throw new Error("not own"); } }) as object;
    expect(rt.dumpJson(decoded(encode(throwing, access)))).toBe("{}");
  });

  test("functions with toJSON are written as their toJSON gives (whole, pruned, in arrays)", () => {
    const fn = Object.assign(() => 1, { toJSON: (k: string) => `fn ${k}` });
    const value = { f: fn, list: [fn], plain: () => 1 };
    expect(rt.dumpJson(decoded(encode(value)))).toBe(JSON.stringify({ f: "fn f", list: ["fn 0"] }));
    const access: InputAccess = { whole: false, keys: new Map([["f", { whole: true, keys: new Map() }], ["plain", { whole: true, keys: new Map() }]]) };
    expect(rt.dumpJson(decoded(encode(value, access)))).toBe('{"f":"fn f"}');
    expect(rt.dumpJson(decoded(encode(fn)))).toBe('"fn "');
    // Arrays of another prototype (a subclass) are arrays; boxed primitives in them are unwrapped.
    class List extends Array<unknown> {}
    const list = List.from([Object(1), Object("s"), Object(true)]);
    expect(rt.dumpJson(decoded(encode({ list })))).toBe('{"list":[1,"s",true]}');
    expectSameAsJson({ list });
  });

  test("pruning nested deeper than the parser's limit is refused like its JSON", () => {
    let access: InputAccess = { whole: true, keys: new Map() };
    let value: unknown = 1;
    for (let i = 0; i < JSON_MAX_DEPTH + 1; i++) {
      access = { whole: false, keys: new Map([["k", access]]) };
      value = { k: value };
    }
    expectSameAsJson(value, access);
    expect(decoded(encode(value, access))).toBe(0);
    expectSameAsJson((value as { k: unknown }).k, access.keys.get("k"));
  });

  test("without code generation from strings the pruned writer gives the same bytes", () => {
    const access: InputAccess = {
      whole: false,
      keys: new Map<string, InputAccess>([
        ['"];process.exit(1);//', { whole: true, keys: new Map() }],
        ["b", { whole: false, keys: new Map([["y", { whole: true, keys: new Map() }], ["k".repeat(40), { whole: true, keys: new Map() }]]) }],
      ]),
    };
    const value = { '"];process.exit(1);//': [1, "x"], b: { y: { z: true }, ["k".repeat(40)]: null, other: 1 }, c: 2 };
    const generated = encode(value, access);
    const saved = globalThis.Function;
    let refused = 0;
    globalThis.Function = function refuse(): never {
      refused++;
      throw new EvalError("Code generation from strings disallowed for this context");
    } as unknown as FunctionConstructor;
    let interpreted: Uint8Array;
    try {
      // A copy of the tree: writers are made once per access node.
      interpreted = encode(value, structuredClone(access));
    } finally {
      globalThis.Function = saved;
    }
    expect(refused).toBeGreaterThan(0);
    expect(interpreted).toEqual(generated);
    expectSameAsJson(value, access);
  });

  test("objects are written with the distinct-keys tag; plain object items with repeated keys keep the last value", () => {
    const u32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
    const str = (s: string): number[] => [TAG_STRING, ...u32(s.length), ...[...s].map((c) => c.charCodeAt(0))];
    expect(encode({ a: 1 })[0]).toBe(TAG_OBJECT_DISTINCT);
    expect(encode({ a: 1 }, { whole: false, keys: new Map([["a", { whole: true, keys: new Map() }]]) })[0]).toBe(TAG_OBJECT_DISTINCT);
    const members = [...str("a"), TAG_INT32, ...u32(1), ...str("b"), TAG_INT32, ...u32(2)];
    const plain = decoded(Uint8Array.from([TAG_OBJECT, ...u32(2), ...members]));
    const distinct = decoded(Uint8Array.from([TAG_OBJECT_DISTINCT, ...u32(2), ...members]));
    expect(rt.exports.fw_value_equal(plain, distinct)).toBe(1);
    expect(rt.dumpJson(distinct)).toBe('{"a":1,"b":2}');
    // Repeated keys in a TAG_OBJECT item: inserted as the JSON parser does (one member, the last value).
    const repeated = decoded(Uint8Array.from([TAG_OBJECT, ...u32(3), ...str("a"), TAG_INT32, ...u32(1), ...str("a"), TAG_INT32, ...u32(2), ...str("b"), TAG_INT32, ...u32(3)]));
    expect(rt.exports.fw_value_length(repeated)).toBe(2);
    expect(rt.dumpJson(repeated)).toBe(rt.dumpJson(parsed('{"a":1,"a":2,"b":3}')));
    expect(rt.dumpJson(repeated)).toBe('{"a":2,"b":3}');
    // The distinct tag is refused like the plain one when malformed (non-string key, truncated).
    expect(decoded(Uint8Array.from([TAG_OBJECT_DISTINCT, ...u32(1), TAG_INT32, ...u32(1), TAG_INT32, ...u32(1)]))).toBe(0);
    expect(decoded(Uint8Array.from([TAG_OBJECT_DISTINCT, ...u32(2), ...str("a"), TAG_INT32, ...u32(1)]))).toBe(0);
  });

  test("malformed bytes are refused, not read past their end", () => {
    const u32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
    const bad = [
      [0], [99], [TAG_INT32, 1, 2], [TAG_STRING, ...u32(5), 0x61], [TAG_ARRAY, ...u32(2), TAG_INT32, ...u32(1)], [TAG_ARRAY, ...u32(0xffffffff)],
      [TAG_OBJECT, ...u32(1), TAG_INT32, ...u32(1), TAG_INT32, ...u32(1)], [TAG_NUMBER_TEXT, 3, 0x31, 0x2e], [TAG_NUMBER_TEXT, 2, 0x30, 0x31],
      [TAG_INT32, ...u32(1), TAG_INT32],
    ];
    for (const bytes of bad) expect(decoded(Uint8Array.from(bytes))).toBe(0);
    expect(rt.dumpJson(decoded(Uint8Array.from([TAG_NUMBER_TEXT, 4, ...[..."1e99"].map((c) => c.charCodeAt(0))])))).toBe("1e99");
  });

  test("fuzz: random JSON-like values decode as their JSON does", () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const strings = ["", "a", "key", "é", "😀", "\ud800", "\udc00", "\ufffd", "\"\\", "\u0007", "long ".repeat(20)];
    const numbers = [0, -0, 1, -7, 3.5, 1e-9, 2 ** 31, -(2 ** 35), 2 ** 70, 1e300, NaN];
    const gen = (depth: number): unknown => {
      const r = rand(depth > 4 ? 5 : 8);
      if (r === 0) return null;
      if (r === 1) return rand(2) === 0;
      if (r === 2) return numbers[rand(numbers.length)];
      if (r === 3 || r === 4) return strings[rand(strings.length)];
      if (r === 5) return Array.from({ length: rand(5) }, () => (rand(10) === 0 ? undefined : gen(depth + 1)));
      const o: Record<string, unknown> = {};
      for (let i = rand(6); i > 0; i--) o[`${strings[rand(strings.length)]}${rand(3)}`] = rand(12) === 0 ? undefined : gen(depth + 1);
      return o;
    };
    for (let i = 0; i < 300; i++) expectSameAsJson(gen(0));
  });
});
