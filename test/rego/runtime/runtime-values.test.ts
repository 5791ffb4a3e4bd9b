import { PathErrorCode, ValueType } from "../../../src/rego/runtime/runtime-abi.js";
import { RuntimeInstance } from "../../../src/rego/runtime/runtime-instance.js";
import { ensureRuntimeBuilt } from "./ensure-runtime-built.js";
import { decimalKey, prng, randomDigits } from "./decimal.js";

ensureRuntimeBuilt();

/** Values in OPA's total order (written in Rego value syntax). */
const ORDERED = [
  "null",
  "false",
  "true",
  "-1e400",
  "-123456789012345678901234567890",
  "-5",
  "-0.5",
  "0",
  "1e-400",
  "0.5",
  "1",
  "1.5",
  "9007199254740992",
  "9007199254740993",
  "123456789012345678901234567890",
  "1e400",
  '""',
  '"A"',
  '"a"',
  '"ab"',
  '"b"',
  '"é"',
  "[]",
  "[null]",
  "[1]",
  "[1,2]",
  "[1,3]",
  "[2]",
  '["a"]',
  "{}",
  "{1:0}",
  '{"a":1}',
  '{"a":1,"b":1}',
  '{"a":2}',
  '{"b":0}',
  "set()",
  "{1}",
  "{1,2}",
  "{1,3}",
  "{2}",
];

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

describe("OPA's total order", () => {
  const rt = RuntimeInstance.create();
  const values = ORDERED.map((t) => rt.parseValue(t));

  it("compares every pair consistently with the order", () => {
    const wrong: string[] = [];
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values.length; j++) {
        const c = Math.sign(rt.exports.fw_value_compare(values[i] ?? 0, values[j] ?? 0));
        if (c !== Math.sign(i - j)) wrong.push(`${ORDERED[i]} vs ${ORDERED[j]}: ${c}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("sorts a shuffled array into the order", () => {
    const arr = rt.exports.fw_array_new(0);
    for (const t of shuffled(ORDERED, 42)) rt.exports.fw_array_append(arr, rt.parseValue(t));
    rt.exports.fw_array_sort(arr);
    const sorted: string[] = [];
    for (let i = 0; i < ORDERED.length; i++) sorted.push(rt.dumpValue(rt.exports.fw_array_get(arr, i)));
    expect(sorted).toEqual(ORDERED.map((t) => rt.dumpValue(rt.parseValue(t))));
  });

  it("orders numbers exactly where float64 cannot (property test)", () => {
    const next = prng(99);
    for (let i = 0; i < 200; i++) {
      const base = BigInt(randomDigits(next, 17, 40));
      const a = rt.parseJson(String(base));
      const b = rt.parseJson(String(base + 1n));
      expect(rt.exports.fw_value_compare(a, b)).toBe(-1);
      expect(rt.exports.fw_value_compare(b, a)).toBe(1);
      const scaled = rt.parseJson(`${base}0e-1`);
      expect(rt.exports.fw_value_compare(a, scaled)).toBe(0);
    }
  });
});

describe("equality and hashing", () => {
  const rt = RuntimeInstance.create();
  const groups = [
    ["1", "1.0", "10e-1", "0.1e1", "100e-2"],
    ["0", "-0", "0.0", "0e10"],
    ["123456789012345678901234567890", "1.2345678901234567890123456789e29", "12345678901234567890123456789e1"],
    ["0.5", "5e-1", "50e-2"],
    ['{"a":1,"b":[1,2]}', '{"b":[1,2.0],"a":1}'],
    ["{1,2,3}", "{3,2,1}", "{1,1,2,3,3}"],
    ['{"s":{"x",{"y":1}}}', '{"s":{{"y":1.0},"x"}}'],
  ];

  it.each(groups.map((g) => [g[0], g]))("equal values hash equal: %s", (_first, group) => {
    const vs = (group as string[]).map((t) => rt.parseValue(t));
    const h0 = rt.exports.fw_value_hash(vs[0] ?? 0);
    for (const v of vs) {
      expect(rt.exports.fw_value_equal(vs[0] ?? 0, v)).toBe(1);
      expect(rt.exports.fw_value_compare(vs[0] ?? 0, v)).toBe(0);
      expect(rt.exports.fw_value_hash(v)).toBe(h0);
    }
  });

  it("distinguishes values of different types and values", () => {
    const texts = ['"1"', "1", "[1]", "{1}", '{"1":1}', "true", "null", '""', "[]", "{}", "set()", "1.5", "2"];
    const vs = texts.map((t) => rt.parseValue(t));
    for (let i = 0; i < vs.length; i++) {
      for (let j = 0; j < vs.length; j++) {
        expect([texts[i], texts[j], rt.exports.fw_value_equal(vs[i] ?? 0, vs[j] ?? 0)]).toEqual([texts[i], texts[j], i === j ? 1 : 0]);
      }
    }
  });

  it("spreads hashes of distinct values", () => {
    const hashes = new Set<number>();
    for (let i = 0; i < 2000; i++) hashes.add(rt.exports.fw_value_hash(rt.string(`key-${i}`)));
    for (let i = 0; i < 2000; i++) hashes.add(rt.exports.fw_value_hash(rt.exports.fw_number_i64(BigInt(i))));
    expect(hashes.size).toBeGreaterThan(3990);
  });
});

describe("string hash cache", () => {
  it("computes a string's hash once, and a string made on reused heap memory never sees an old cache", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    const fresh = x.fw_value_hash(rt.string("reused"));
    const mark = x.opa_heap_ptr_get();
    // Dirty the heap (as an earlier evaluation would), then build a string over it.
    const junk = x.opa_malloc(256);
    new Uint8Array(rt.memory.buffer, junk, 256).fill(0xa5);
    x.opa_heap_ptr_set(mark);
    const s = rt.string("reused");
    expect(x.fw_value_hash(s)).toBe(fresh);
    expect(new DataView(rt.memory.buffer).getUint32(s + 12, true)).toBe(fresh);
    expect(x.fw_value_hash(s)).toBe(fresh);
  });

  it("equal strings with and without a cached hash are equal; strings whose caches differ are not", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    const a = rt.string("same text");
    const b = rt.string("same text");
    const c = rt.string("same texu");
    expect(x.fw_value_equal(a, b)).toBe(1);
    x.fw_value_hash(a);
    expect(x.fw_value_equal(a, b)).toBe(1);
    expect(x.fw_value_equal(b, a)).toBe(1);
    x.fw_value_hash(b);
    x.fw_value_hash(c);
    expect(x.fw_value_equal(a, b)).toBe(1);
    expect(x.fw_value_equal(a, c)).toBe(0);
    expect(x.fw_value_compare(a, c)).toBeLessThan(0);
  });
});

describe("small tables (no index up to 8 entries)", () => {
  it("look up, replace and remove at every size across the switch to an index, keeping insertion order", () => {
    for (let n = 0; n <= 20; n++) {
      const rt = RuntimeInstance.create();
      const x = rt.exports;
      const obj = x.fw_object_new();
      // Mixed key types; 1 and 1.0 are the same key.
      const keyText = (i: number) => (i % 3 === 0 ? `${i}` : `"k${i}"`);
      for (let i = 0; i < n; i++) x.fw_object_insert(obj, rt.parseValue(keyText(i)), x.fw_number_i64(BigInt(i)));
      for (let i = 0; i < n; i++) expect(x.fw_number_get_i64(x.fw_object_get(obj, rt.parseValue(keyText(i))))).toBe(BigInt(i));
      expect(x.fw_object_get(obj, rt.string(`k${n}`))).toBe(0);
      if (n > 3) {
        x.fw_object_insert(obj, rt.parseValue("3.0"), rt.string("three"));
        expect(x.fw_value_length(obj)).toBe(n);
        expect(rt.dumpJson(x.fw_object_get(obj, rt.parseValue("3")))).toBe('"three"');
        expect(x.fw_object_remove(obj, rt.string("k1"))).toBe(1);
        expect(x.fw_object_get(obj, rt.string("k1"))).toBe(0);
        x.fw_object_insert(obj, rt.string("k1"), x.fw_null());
        expect(x.fw_value_length(obj)).toBe(n);
      }
      const keys: string[] = [];
      for (let it = x.fw_iter_next(obj, -1); it >= 0; it = x.fw_iter_next(obj, it)) keys.push(rt.dumpValue(x.fw_iter_key(obj, it)));
      const expected = Array.from({ length: n }, (_, i) => keyText(i));
      if (n > 3) expected.push(...expected.splice(1, 1));
      expect(keys).toEqual(expected);
    }
  });

  it("parses JSON objects of every size with duplicate keys (last wins) and compares them", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    for (let n = 1; n <= 12; n++) {
      const members = Array.from({ length: n }, (_, i) => `"k${i}":${i}`);
      const text = `{${members.join(",")},"k0":"last"}`;
      const v = rt.parseJson(text);
      expect(x.fw_value_length(v)).toBe(n);
      expect(rt.dumpJson(x.fw_value_get(v, rt.string("k0")))).toBe('"last"');
      const reversed = rt.parseJson(`{${['"k0":"last"', ...members.slice(1).reverse()].join(",")}}`);
      expect(x.fw_value_equal(v, reversed)).toBe(1);
      expect(x.fw_value_hash(v)).toBe(x.fw_value_hash(reversed));
    }
  });
});

describe("objects and sets", () => {
  it("inserts, replaces, looks up, removes and iterates many keys", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    const obj = x.fw_object_new();
    const n = 5000;
    for (let i = 0; i < n; i++) x.fw_object_insert(obj, rt.string(`k${i}`), x.fw_number_i64(BigInt(i)));
    expect(x.fw_value_length(obj)).toBe(n);
    for (let i = 0; i < n; i += 7) {
      expect(x.fw_number_get_i64(x.fw_object_get(obj, rt.string(`k${i}`)))).toBe(BigInt(i));
    }
    expect(x.fw_object_get(obj, rt.string("missing"))).toBe(0);
    expect(x.fw_object_get(obj, x.fw_number_i64(1n))).toBe(0);
    x.fw_object_insert(obj, rt.string("k10"), rt.string("replaced"));
    expect(x.fw_value_length(obj)).toBe(n);
    expect(rt.dumpJson(x.fw_object_get(obj, rt.string("k10")))).toBe('"replaced"');
    for (let i = 0; i < n; i += 2) expect(x.fw_object_remove(obj, rt.string(`k${i}`))).toBe(1);
    expect(x.fw_object_remove(obj, rt.string("k0"))).toBe(0);
    expect(x.fw_value_length(obj)).toBe(n / 2);
    const seen = new Set<string>();
    for (let it = x.fw_iter_next(obj, -1); it >= 0; it = x.fw_iter_next(obj, it)) {
      seen.add(JSON.parse(rt.dumpJson(x.fw_iter_key(obj, it))) as string);
    }
    expect(seen.size).toBe(n / 2);
    for (let i = 1; i < n; i += 2) expect(seen.has(`k${i}`)).toBe(true);
    // Removed slots are reused correctly after more growth.
    for (let i = 0; i < n; i += 2) x.fw_object_insert(obj, rt.string(`k${i}`), x.fw_null());
    expect(x.fw_value_length(obj)).toBe(n);
    expect(rt.dumpJson(x.fw_object_get(obj, rt.string("k0")))).toBe("null");
  });

  it("deduplicates set members by value, not by spelling", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    const set = x.fw_set_new();
    for (let i = 0; i < 3000; i++) {
      x.fw_set_add(set, rt.parseJson(String(i)));
      x.fw_set_add(set, rt.parseJson(`${i}.0`));
      x.fw_set_add(set, rt.parseJson(`${i * 10}e-1`));
    }
    x.fw_set_add(set, rt.string("1"));
    expect(x.fw_value_length(set)).toBe(3001);
    expect(x.fw_set_contains(set, rt.parseJson("2999"))).toBe(1);
    expect(x.fw_set_contains(set, rt.parseJson("3000"))).toBe(0);
    expect(x.fw_set_contains(set, rt.string("1"))).toBe(1);
    expect(x.fw_value_get(set, rt.parseJson("7.0"))).not.toBe(0);
    expect(x.fw_set_remove(set, rt.parseJson("7"))).toBe(1);
    expect(x.fw_set_contains(set, rt.parseJson("7"))).toBe(0);
  });

  it("gets from arrays by exact integer index only", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    const arr = rt.parseJson('["a","b","c"]');
    expect(rt.dumpJson(x.fw_value_get(arr, rt.parseJson("1")))).toBe('"b"');
    expect(rt.dumpJson(x.fw_value_get(arr, rt.parseJson("1.0")))).toBe('"b"');
    expect(x.fw_value_get(arr, rt.parseJson("1.5"))).toBe(0);
    expect(x.fw_value_get(arr, rt.parseJson("3"))).toBe(0);
    expect(x.fw_value_get(arr, rt.parseJson("-1"))).toBe(0);
    expect(x.fw_value_get(arr, rt.string("1"))).toBe(0);
    expect(x.fw_value_get(rt.string("abc"), rt.parseJson("0"))).toBe(0);
    expect(x.fw_value_type(arr)).toBe(ValueType.Array);
  });
});

describe("exact arithmetic", () => {
  const rt = RuntimeInstance.create();
  const x = rt.exports;

  it("adds, subtracts and multiplies big integers exactly (checked with BigInt)", () => {
    const next = prng(3);
    for (let i = 0; i < 200; i++) {
      const a = BigInt((next() < 0.5 ? "-" : "") + randomDigits(next, 1, 45));
      const b = BigInt((next() < 0.5 ? "-" : "") + randomDigits(next, 1, 45));
      const va = rt.parseJson(String(a));
      const vb = rt.parseJson(String(b));
      expect(rt.dumpJson(x.fw_number_add(va, vb))).toBe(String(a + b));
      expect(rt.dumpJson(x.fw_number_sub(va, vb))).toBe(String(a - b));
      expect(rt.dumpJson(x.fw_number_mul(va, vb))).toBe(String(a * b));
    }
  });

  it("handles i64 overflow boundaries by promoting to big numbers", () => {
    const max = 9223372036854775807n;
    const vmax = rt.parseJson(String(max));
    const one = rt.parseJson("1");
    expect(rt.dumpJson(x.fw_number_add(vmax, one))).toBe(String(max + 1n));
    expect(rt.dumpJson(x.fw_number_sub(rt.parseJson(String(-max - 1n)), one))).toBe(String(-max - 2n));
    expect(rt.dumpJson(x.fw_number_mul(vmax, vmax))).toBe(String(max * max));
    expect(rt.dumpJson(x.fw_number_mul(rt.parseJson(String(-max - 1n)), rt.parseJson("-1")))).toBe(String(max + 1n));
    // Results that fit i64 again come back as plain integers.
    expect(x.fw_number_is_i64(x.fw_number_sub(x.fw_number_add(vmax, one), one))).toBe(1);
  });

  it("adds and multiplies decimals exactly (checked with scaled BigInt)", () => {
    const next = prng(11);
    for (let i = 0; i < 200; i++) {
      const ai = BigInt((next() < 0.5 ? "-" : "") + randomDigits(next, 1, 25));
      const bi = BigInt((next() < 0.5 ? "-" : "") + randomDigits(next, 1, 25));
      const ae = Math.floor(next() * 40) - 20;
      const be = Math.floor(next() * 40) - 20;
      const va = rt.parseJson(`${ai}e${ae}`);
      const vb = rt.parseJson(`${bi}e${be}`);
      const e = Math.min(ae, be);
      const sum = ai * 10n ** BigInt(ae - e) + bi * 10n ** BigInt(be - e);
      expect(decimalKey(rt.dumpJson(x.fw_number_add(va, vb)))).toBe(decimalKey(`${sum}e${e}`));
      expect(decimalKey(rt.dumpJson(x.fw_number_mul(va, vb)))).toBe(decimalKey(`${ai * bi}e${ae + be}`));
    }
    expect(rt.dumpJson(x.fw_number_add(rt.parseJson("0.1"), rt.parseJson("0.2")))).toBe("0.3");
  });

  it("returns 0 (undefined) for non-numbers and aborts instead of rounding when exponents are too far apart", () => {
    expect(x.fw_number_add(rt.string("1"), rt.parseJson("1"))).toBe(0);
    expect(() => x.fw_number_add(rt.parseJson("1e200000"), rt.parseJson("1"))).toThrow(/number precision exceeded/);
  });

  it("parses number literals for generated code", () => {
    const { addr, len } = rt.writeString("1.25e3");
    expect(rt.dumpJson(x.fw_number_parse(addr, len))).toBe("1250");
    const bad = rt.writeString("1.2.3");
    expect(x.fw_number_parse(bad.addr, bad.len)).toBe(0);
  });
});

describe("opa_value_add_path / opa_value_remove_path", () => {
  const rt = RuntimeInstance.create();
  const x = rt.exports;

  it("creates intermediate objects and replaces leaves", () => {
    const base = rt.parseJson('{"keep":1}');
    expect(x.opa_value_add_path(base, rt.parseJson('["a","b","c"]'), rt.parseJson("[1]"))).toBe(PathErrorCode.Ok);
    expect(x.opa_value_add_path(base, rt.parseJson('["a","x"]'), rt.parseJson("2"))).toBe(PathErrorCode.Ok);
    expect(x.opa_value_add_path(base, rt.parseJson('["keep"]'), rt.parseJson('"new"'))).toBe(PathErrorCode.Ok);
    expect(rt.dumpJson(base)).toBe('{"a":{"b":{"c":[1]},"x":2},"keep":"new"}');
    expect(x.opa_value_remove_path(base, rt.parseJson('["a","b"]'))).toBe(PathErrorCode.Ok);
    expect(x.opa_value_remove_path(base, rt.parseJson('["nope","b"]'))).toBe(PathErrorCode.Ok);
    expect(rt.dumpJson(base)).toBe('{"a":{"x":2},"keep":"new"}');
  });

  it("reports invalid types and paths", () => {
    const base = rt.parseJson('{"a":1}');
    expect(x.opa_value_add_path(rt.parseJson("[]"), rt.parseJson('["a"]'), rt.parseJson("1"))).toBe(PathErrorCode.InvalidType);
    expect(x.opa_value_add_path(base, rt.parseJson('"a"'), rt.parseJson("1"))).toBe(PathErrorCode.InvalidType);
    expect(x.opa_value_add_path(base, rt.parseJson("[]"), rt.parseJson("1"))).toBe(PathErrorCode.InvalidPath);
    expect(x.opa_value_add_path(base, rt.parseJson('["a","b"]'), rt.parseJson("1"))).toBe(PathErrorCode.InvalidPath);
    expect(x.opa_value_remove_path(base, rt.parseJson('["a","b"]'))).toBe(PathErrorCode.InvalidPath);
    expect(rt.dumpJson(base)).toBe('{"a":1}');
  });
});

describe("bump allocator", () => {
  it("allocates 8-byte aligned blocks from the heap pointer the host sets", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    const start = x.opa_heap_ptr_get();
    const a = x.opa_malloc(3);
    expect(a % 8).toBe(0);
    expect(a).toBeGreaterThanOrEqual(start);
    expect(x.opa_heap_ptr_get()).toBe(a + 3);
    const b = x.opa_malloc(5);
    expect(b).toBe(a + 8);
    x.opa_heap_ptr_set(start);
    expect(x.opa_heap_ptr_get()).toBe(start);
    expect(x.opa_malloc(1)).toBe(a);
    x.opa_heap_ptr_set(100003);
    expect(x.opa_malloc(16)).toBe(100008);
  });

  it("frees only the most recent block", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    const a = x.opa_malloc(16);
    const b = x.opa_malloc(16);
    x.opa_free(a);
    expect(x.opa_heap_ptr_get()).toBe(b + 16);
    x.opa_free(b);
    expect(x.opa_heap_ptr_get()).toBe(b);
  });

  it("grows memory on demand", () => {
    const rt = RuntimeInstance.create({ initialPages: 1 });
    const before = rt.memory.buffer.byteLength;
    const big = rt.exports.opa_malloc(3 * 65536 + 5);
    expect(rt.memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 3 * 65536 + 5);
    expect(rt.memory.buffer.byteLength).toBeGreaterThan(before);
    // The grown region is usable.
    const v = rt.parseJson(JSON.stringify({ s: "x".repeat(200000) }));
    expect(rt.dumpJson(v).length).toBe(200008);
  });

  it("aborts on a size that would wrap around the address space, and uses memory the host grew without growing again", () => {
    const rt = RuntimeInstance.create({ initialPages: 2 });
    const x = rt.exports;
    x.opa_malloc(16);
    expect(() => x.opa_malloc(-16)).toThrow(/opa_malloc: allocation too large/);
    const pages = rt.memory.buffer.byteLength / 65536;
    rt.memory.grow(3);
    const at = x.opa_malloc(2 * 65536);
    expect(at + 2 * 65536).toBeGreaterThan(pages * 65536);
    expect(rt.memory.buffer.byteLength).toBe((pages + 3) * 65536);
  });

  it("aborts cleanly when an allocation cannot be satisfied", () => {
    const rt = RuntimeInstance.create();
    expect(() => rt.exports.opa_malloc(0x7ffffff0)).toThrow(/opa_malloc/);
  });
});

describe("evaluation context and opa_eval without a linked policy", () => {
  it("stores context fields and yields an empty result set", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    const ctx = x.opa_eval_ctx_new();
    const input = rt.parseJson('{"x":1}');
    const data = rt.parseJson("{}");
    x.opa_eval_ctx_set_input(ctx, input);
    x.opa_eval_ctx_set_data(ctx, data);
    x.opa_eval_ctx_set_entrypoint(ctx, 3);
    expect([x.fw_eval_ctx_get_input(ctx), x.fw_eval_ctx_get_data(ctx), x.fw_eval_ctx_get_entrypoint(ctx)]).toEqual([input, data, 3]);
    expect(rt.dumpJson(x.opa_eval_ctx_get_result(ctx))).toBe("[]");
    x.fw_eval_ctx_set_result(ctx, x.fw_result_set(rt.parseJson("[1]")));
    expect(rt.dumpJson(x.opa_eval_ctx_get_result(ctx))).toBe('[{"result":[1]}]');
    expect(rt.dumpJson(x.fw_result_set(0))).toBe("[]");
  });

  it("opa_eval resets the heap to heap_ptr, parses the input and aborts on malformed input", () => {
    const rt = RuntimeInstance.create();
    const x = rt.exports;
    const good = rt.writeString('{"x": [1, 2]}');
    const heap = good.addr + good.len;
    expect(rt.readCString(x.opa_eval(0, 0, 0, good.addr, good.len, heap, 0))).toBe("[]");
    expect(x.opa_heap_ptr_get()).toBeGreaterThan(heap);
    const bad = rt.writeString('{"x": }');
    expect(() => x.opa_eval(0, 0, 0, bad.addr, bad.len, bad.addr + bad.len, 0)).toThrow("opa_eval: failed to parse input");
  });
});
