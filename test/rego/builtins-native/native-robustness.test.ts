/**
 * Every native builtin on random arguments of every type: each call must return a value, undefined, or a
 * recorded error (never both, never a trap), and must leave equal inputs unchanged.
 */
import { NATIVE_BUILTINS } from "../../../src/rego/builtins/native-builtins.js";
import { NativeHarness } from "./native-harness.js";

const h = new NativeHarness();

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

const STRINGS = ["", "a", "abc", "héllo", "✓x✓", " pad ", "1.5", "-3", "%v %d", "a,b", "Zm9v", "6869", "a+b%20c", "{}", '{"a":1}'];
const NUMBERS = ["0", "1", "-1", "2", "3", "0.5", "-2.5", "1e30", "123456789012345678901234567890", "1e-7", "16"];

function randomValue(rand: () => number, depth: number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const kind = Math.floor(rand() * (depth > 1 ? 4 : 7));
  switch (kind) {
    case 0:
      return pick(["null", "true", "false"]);
    case 1:
      return pick(NUMBERS);
    case 2:
    case 3:
      return JSON.stringify(pick(STRINGS));
    case 4: {
      const n = Math.floor(rand() * 4);
      return `[${Array.from({ length: n }, () => randomValue(rand, depth + 1)).join(",")}]`;
    }
    case 5: {
      const n = Math.floor(rand() * 4);
      return `{${Array.from({ length: n }, () => `${JSON.stringify(pick(STRINGS))}:${randomValue(rand, depth + 1)}`).join(",")}}`;
    }
    default: {
      const n = Math.floor(rand() * 4);
      return n === 0 ? "set()" : `{${Array.from({ length: n }, () => randomValue(rand, depth + 1)).join(",")}}`;
    }
  }
}

describe("native builtins on random arguments", () => {
  it("never trap and report either a value or an error", () => {
    const rand = prng(7);
    const problems: string[] = [];
    for (const [name, entry] of NATIVE_BUILTINS) {
      for (let i = 0; i < 40; i++) {
        const args = Array.from({ length: entry.arity }, () => randomValue(rand, 0));
        if (name === "numbers.range_step" || name === "numbers.range") {
          // keep ranges small: huge ranges are legitimately huge arrays
          if (args.some((a) => /e30|1234567890/.test(a))) continue;
        }
        const mark = h.rt.exports.opa_heap_ptr_get();
        try {
          const addrs = args.map((a) => h.rt.parseValue(a));
          const before = addrs.map((a) => h.rt.dumpValue(a));
          h.fn("fw_builtin_error_clear")();
          const result = h.fn(entry.export)(...addrs);
          const kind = h.fn("fw_builtin_error_kind")();
          if (kind !== 0 && result !== 0) problems.push(`${name}(${args.join(", ")}): error and value`);
          if (kind !== 0 && kind !== 1 && kind !== 2) problems.push(`${name}(${args.join(", ")}): kind ${kind}`);
          if (kind !== 0 && h.stringOf(h.fn("fw_builtin_error_message")()) === "") problems.push(`${name}: empty message`);
          if (result !== 0) h.rt.dumpValue(result);
          const after = addrs.map((a) => h.rt.dumpValue(a));
          if (JSON.stringify(before) !== JSON.stringify(after)) problems.push(`${name}(${args.join(", ")}): input changed`);
        } catch (err) {
          problems.push(`${name}(${args.join(", ")}): ${String(err)}`);
        } finally {
          h.rt.exports.opa_heap_ptr_set(mark);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
