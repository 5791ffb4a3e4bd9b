import { RuntimeInstance, RuntimeParseError } from "../../../src/rego/runtime/runtime-instance.js";
import { ensureRuntimeBuilt } from "./ensure-runtime-built.js";
import { prng } from "./decimal.js";

ensureRuntimeBuilt();

const ALPHABET = ["a", "Z", "0", " ", '"', "\\", "/", "\n", "\t", "\u0000", "\u001f", "\u007f", "é", "中", "😀", "\u2028", "\ufffd"];

function randomString(next: () => number): string {
  let s = "";
  const n = Math.floor(next() * 8);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)] ?? "";
  return s;
}

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 4 || r < 0.3) {
    const k = Math.floor(next() * 6);
    if (k === 0) return null;
    if (k === 1) return next() < 0.5;
    if (k === 2) return Math.floor((next() - 0.5) * 1e6);
    if (k === 3) return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
    return randomString(next);
  }
  if (r < 0.6) return Array.from({ length: Math.floor(next() * 5) }, () => randomValue(next, depth + 1));
  const obj: Record<string, unknown> = {};
  const n = Math.floor(next() * 5);
  for (let i = 0; i < n; i++) obj[randomString(next)] = randomValue(next, depth + 1);
  return obj;
}

describe("JSON fuzzing", () => {
  it("round-trips random documents to equal values", () => {
    const next = prng(1234);
    const rt = RuntimeInstance.create();
    const base = rt.exports.opa_heap_ptr_get();
    for (let i = 0; i < 200; i++) {
      rt.exports.opa_heap_ptr_set(base);
      const doc = randomValue(next, 0);
      const text = JSON.stringify(doc);
      expect([text, JSON.parse(rt.dumpJson(rt.parseJson(text)))]).toEqual([text, doc]);
    }
  });

  it("never traps on random or mutated input: every input parses or reports a parse error", () => {
    const next = prng(99);
    const rt = RuntimeInstance.create();
    const base = rt.exports.opa_heap_ptr_get();
    const seeds = ['{"a":[1,2.5e3,"x\\u00e9"],"b":{"c":null}}', '[true,false,"\\ud83d\\ude00"]', "-12.5E-3"];
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < 1500; i++) {
      rt.exports.opa_heap_ptr_set(base);
      const seed = new TextEncoder().encode(seeds[i % seeds.length]);
      const bytes = Uint8Array.from(seed);
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      const cut = next() < 0.2 ? bytes.subarray(0, Math.floor(next() * bytes.length)) : bytes;
      try {
        const v = rt.parseJson(cut);
        expect(() => JSON.parse(rt.dumpJson(v))).not.toThrow();
        parsed++;
      } catch (err) {
        if (!(err instanceof RuntimeParseError)) throw err;
        expect(err.offset).toBeGreaterThanOrEqual(0);
        expect(err.offset).toBeLessThanOrEqual(cut.length);
        rejected++;
      }
    }
    expect(parsed + rejected).toBe(1500);
    expect(rejected).toBeGreaterThan(0);
  });

  it("agrees with JSON.parse on which mutated inputs are valid JSON", () => {
    const next = prng(5);
    const rt = RuntimeInstance.create();
    const base = rt.exports.opa_heap_ptr_get();
    const seed = '{"k":[0,-1.5e2,"s\\n"],"t":true,"n":null}';
    const chars = '{}[]",:0123456789-+.eE \\ntrufalsn\u00e9';
    const disagreements: string[] = [];
    for (let i = 0; i < 3000; i++) {
      rt.exports.opa_heap_ptr_set(base);
      const arr = [...seed];
      const pos = Math.floor(next() * arr.length);
      const op = Math.floor(next() * 3);
      const ch = chars[Math.floor(next() * chars.length)] ?? "";
      if (op === 0) arr.splice(pos, 1);
      else if (op === 1) arr.splice(pos, 0, ch);
      else arr[pos] = ch;
      const text = arr.join("");
      let jsOk = true;
      try {
        JSON.parse(text);
      } catch {
        jsOk = false;
      }
      let ours = true;
      try {
        rt.parseJson(text);
      } catch (err) {
        if (!(err instanceof RuntimeParseError)) throw err;
        ours = false;
      }
      if (jsOk !== ours) disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
  });
});
