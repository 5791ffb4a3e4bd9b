import { RuntimeInstance, RuntimeParseError } from "../../../src/rego/runtime/runtime-instance.js";
import { ensureRuntimeBuilt } from "./ensure-runtime-built.js";
import { decimalKey, prng, randomDigits } from "./decimal.js";

ensureRuntimeBuilt();

/** JSON text with object keys sorted by UTF-8 bytes (OPA's string order), for expectations. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

describe("opa_json_parse / opa_json_dump round trips", () => {
  const rt = RuntimeInstance.create();

  it("round-trips nested documents with keys in OPA's sorted order", () => {
    const doc = {
      zeta: [1, -2, 3.25, true, false, null, "s"],
      alpha: { nested: { deeper: [[], {}, [[1]], { k: "v" }] }, "": "empty key" },
      "é": "unicode key",
      B: "upper sorts before lower",
      a: { c: 1, b: 2, a: 3 },
    };
    const text = JSON.stringify(doc);
    const dumped = rt.dumpJson(rt.parseJson(text));
    expect(dumped).toBe(canonicalJson(doc));
    expect(JSON.parse(dumped)).toEqual(doc);
  });

  it("decodes unicode escapes, surrogate pairs and raw UTF-8, and escapes control characters on output", () => {
    const src = '"\\u00e9\\u4e2d\\ud83d\\ude00 raw: é中😀 \\n\\t\\r\\b\\f \\"q\\" \\\\ \\/ \\u0001"';
    const dumped = rt.dumpJson(rt.parseJson(src));
    expect(JSON.parse(dumped)).toBe(JSON.parse(src));
    expect(dumped).toContain("\\u0001");
    expect(dumped).toContain("é中😀");
    // A lone surrogate becomes U+FFFD, as in Go's encoding/json (OPA).
    expect(JSON.parse(rt.dumpJson(rt.parseJson('"a\\ud800b\\udc00"')))).toBe("a\ufffdb\ufffd");
  });

  it("keeps integers beyond 2^53 and beyond 64 bits exact", () => {
    for (const text of [
      "123456789012345678901234567890",
      "-123456789012345678901234567890",
      "9007199254740993",
      "9223372036854775807",
      "9223372036854775808",
      "-9223372036854775808",
      "-9223372036854775809",
      "18446744073709551616",
    ]) {
      expect(rt.dumpJson(rt.parseJson(text))).toBe(text);
    }
  });

  it("keeps decimals and huge/tiny exponents exact and prints a canonical form", () => {
    const cases: [string, string][] = [
      ["1e400", "1e400"],
      ["-1e400", "-1e400"],
      ["1e-400", "1e-400"],
      ["-0", "0"],
      ["-0.0e10", "0"],
      ["0.1", "0.1"],
      ["1.50", "1.5"],
      ["1E+2", "100"],
      ["-12.345e-3", "-0.012345"],
      ["0.000001", "0.000001"],
      ["0.0000001", "1e-7"],
      ["1e21", "1000000000000000000000"],
      ["1e22", "1e22"],
      ["3.14159265358979323846264338327950288", "3.14159265358979323846264338327950288"],
    ];
    for (const [input, expected] of cases) expect(rt.dumpJson(rt.parseJson(input))).toBe(expected);
  });

  it("prints every parsed number as the same exact value (property test)", () => {
    const next = prng(7);
    for (let i = 0; i < 300; i++) {
      const int = randomDigits(next, 1, 40);
      const frac = next() < 0.5 ? "" : `.${randomDigits(next, 1, 30)}`;
      const exp = next() < 0.5 ? "" : `e${Math.floor(next() * 800) - 400}`;
      const text = `${next() < 0.3 ? "-" : ""}${int}${frac}${exp}`;
      const dumped = rt.dumpJson(rt.parseJson(text));
      expect(() => JSON.parse(dumped)).not.toThrow();
      expect(decimalKey(dumped)).toBe(decimalKey(text));
    }
  });

  it("accepts surrounding whitespace and duplicate keys (last one wins)", () => {
    expect(rt.dumpJson(rt.parseJson(' \n\t{"a": 1, "a": 2}\r\n '))).toBe('{"a":2}');
  });
});

describe("strings scanned 8 bytes at a time", () => {
  const rt = RuntimeInstance.create();

  it("finds an escape, a non-ASCII character, a control character or the closing quote at every position", () => {
    for (let len = 0; len <= 26; len++) {
      const plain = "abcdefghijklmnopqrstuvwxyz".slice(0, len);
      expect(JSON.parse(rt.dumpJson(rt.parseJson(JSON.stringify(plain))))).toBe(plain);
      // The unterminated string must not be read past its end.
      expect(() => rt.parseJson(`"${plain}`)).toThrow(expect.objectContaining({ code: 1, offset: 0 }) as Error);
      for (let at = 0; at < len; at++) {
        // JSON escapes (as text), raw non-ASCII, an escaped non-ASCII character.
        for (const special of ['\\"', "\\\\", "\\n", "é", "\\u00e9"]) {
          const text = `"${plain.slice(0, at)}${special}${plain.slice(at)}"`;
          const expected = JSON.parse(text) as string;
          expect([text, JSON.parse(rt.dumpJson(rt.parseJson(text)))]).toEqual([text, expected]);
        }
        const raw = new Uint8Array([0x22, ...new TextEncoder().encode(plain.slice(0, at)), 0x01, 0x22]);
        expect(() => rt.parseJson(raw)).toThrow(expect.objectContaining({ code: 6, offset: at + 1 }) as Error);
      }
    }
  });

  it("parses arrays and objects of every size up to and past their initial capacity, and parsed arrays can grow", () => {
    for (let n = 0; n <= 20; n++) {
      const items = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? [i, { k: i }] : `s${i}`));
      const doc = { items, obj: Object.fromEntries(items.map((_, i) => [`k${i}`, i])) };
      const v = rt.parseJson(JSON.stringify(doc));
      expect(JSON.parse(rt.dumpJson(v))).toEqual(doc);
      const arr = rt.exports.fw_value_get(v, rt.string("items"));
      rt.exports.fw_array_append(arr, rt.string("appended"));
      expect(JSON.parse(rt.dumpJson(arr))).toEqual([...items, "appended"]);
    }
  });

  it("reads keys repeated within a document (more keys than the key cache has slots, escaped, empty, non-ASCII) exactly", () => {
    const keys = [...Array.from({ length: 80 }, (_, i) => `key-${i}`), "", "é", 'q"uote', "back\\slash", "key-1 ", "key-10"];
    const row = Object.fromEntries(keys.map((k, i) => [k, i]));
    const doc = { rows: [row, { ...row, "key-3": "changed" }, Object.fromEntries(keys.reverse().map((k) => [k, k]))] };
    const first = rt.parseJson(JSON.stringify(doc));
    expect(JSON.parse(rt.dumpJson(first))).toEqual(doc);
    // A second document over the same heap sees none of the first one's keys.
    const mark = rt.exports.opa_heap_ptr_get();
    rt.parseJson(JSON.stringify({ "key-1": 1, "key-2": 2 }));
    rt.exports.opa_heap_ptr_set(mark);
    new Uint8Array(rt.memory.buffer, mark, 4096).fill(0x5a);
    const second = rt.parseJson('{"key-2":{"key-1":true,"key-2":false},"key-1":"key-2"}');
    expect(rt.dumpJson(second)).toBe('{"key-1":"key-2","key-2":{"key-1":true,"key-2":false}}');
    expect(rt.dumpValue(rt.parseValue('{{"a", "b", "a"}, {"a": "b"}}'))).toBe('{{"a":"b"},{"a","b"}}');
  });

  it("hashes every byte of strings of every length", () => {
    const hashes = new Set<number>();
    let count = 0;
    for (let len = 1; len <= 40; len++) {
      const base = "x".repeat(len);
      hashes.add(rt.exports.fw_value_hash(rt.string(base)));
      count++;
      for (let at = 0; at < len; at++) {
        hashes.add(rt.exports.fw_value_hash(rt.string(`${base.slice(0, at)}y${base.slice(at + 1)}`)));
        count++;
      }
    }
    expect(hashes.size).toBe(count);
  });
});

describe("parse errors", () => {
  const rt = RuntimeInstance.create();
  const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

  it.each([
    ["", 1, 0],
    ["[1,2", 1, 4],
    ['{"a":1,}', 10, 7],
    ["[1,]", 2, 3],
    ["01", 3, 0],
    ["1.", 3, 0],
    ["-", 3, 0],
    ["+1", 2, 0],
    [".5", 2, 0],
    ["1e999999999999", 4, 0],
    ['"abc', 1, 0],
    ['"a\\x"', 5, 2],
    ['"\\u12"', 5, 1],
    ['"a\u0001"', 6, 2],
    ["tru", 2, 0],
    ["NaN", 2, 0],
    ["'a'", 2, 0],
    ['{"a" 1}', 2, 5],
    ["{a:1}", 10, 1],
    ["[1] x", 8, 4],
    ["set()", 2, 0],
    ["{1,2}", 10, 1],
  ])("rejects %j with code %i at byte %i", (text, code, offset) => {
    expect.assertions(3);
    try {
      rt.parseJson(text);
    } catch (err) {
      expect(err).toBeInstanceOf(RuntimeParseError);
      expect((err as RuntimeParseError).code).toBe(code);
      expect((err as RuntimeParseError).offset).toBe(offset);
    }
  });

  it("rejects invalid UTF-8 (bad lead byte, overlong, surrogate, truncated)", () => {
    for (const b of [bytes(0x22, 0xff, 0x22), bytes(0x22, 0xc0, 0x80, 0x22), bytes(0x22, 0xed, 0xa0, 0x80, 0x22), bytes(0x22, 0xe4, 0xb8, 0x22)]) {
      expect(() => rt.parseJson(b)).toThrow(expect.objectContaining({ code: 7, offset: 1 }) as Error);
    }
  });

  it("limits nesting depth instead of overflowing the stack", () => {
    const ok = "[".repeat(1000) + "]".repeat(1000);
    expect(rt.dumpJson(rt.parseJson(ok))).toBe(ok);
    const deep = "[".repeat(100000) + "]".repeat(100000);
    expect(() => rt.parseJson(deep)).toThrow(expect.objectContaining({ code: 9, offset: 1000 }) as Error);
  });

  it("returns 0 from opa_json_parse so the SDK can report the failure", () => {
    const { addr, len } = rt.writeString("{");
    expect(rt.exports.opa_json_parse(addr, len)).toBe(0);
  });
});

describe("opa_value_parse / opa_value_dump (Rego values)", () => {
  const rt = RuntimeInstance.create();

  it("parses sets and non-string keys and dumps them as Rego text and as JSON", () => {
    const v = rt.parseValue('{"s": {3, 1, 2, 1}, "e": set(), "o": {2: "two", "k": {1}}, "a": [set()]}');
    expect(rt.dumpValue(v)).toBe('{"a":[set()],"e":set(),"o":{2:"two","k":{1}},"s":{1,2,3}}');
    expect(rt.dumpJson(v)).toBe('{"a":[[]],"e":[],"o":{"2":"two","k":[1]},"s":[1,2,3]}');
  });

  it("treats {} as an empty object and {x} as a set", () => {
    expect(rt.dumpValue(rt.parseValue("{}"))).toBe("{}");
    expect(rt.exports.fw_value_type(rt.parseValue('{"x"}'))).toBe(7);
  });

  it("rejects malformed Rego values", () => {
    expect(() => rt.parseValue("{1, 2: 3}")).toThrow(RuntimeParseError);
    expect(() => rt.parseValue("set(")).toThrow(RuntimeParseError);
    expect(() => rt.parseValue("[1,,]")).toThrow(RuntimeParseError);
    expect(() => rt.parseValue("{,}")).toThrow(RuntimeParseError);
  });

  it("accepts a trailing comma in arrays, objects and sets (Rego syntax, not JSON)", () => {
    expect(rt.dumpValue(rt.parseValue('{ "g": {"a": {"b",}, }, "i": [1, 2 , ], }'))).toBe('{"g":{"a":{"b"}},"i":[1,2]}');
  });
});
