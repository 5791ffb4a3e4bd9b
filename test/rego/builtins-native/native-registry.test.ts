import { BUILTINS, builtinArity } from "../../../src/rego/builtins/builtin-table.js";
import { NATIVE_BUILTINS, nativeExportName } from "../../../src/rego/builtins/native-builtins.js";
import { NativeHarness } from "./native-harness.js";

const h = new NativeHarness();
const exports = h.rt.exports as unknown as Record<string, unknown>;

describe("NATIVE_BUILTINS registry", () => {
  it("names only declared builtins, with the declared arity", () => {
    for (const [name, entry] of NATIVE_BUILTINS) {
      const decl = BUILTINS.get(name);
      expect(decl).toBeDefined();
      expect({ name, arity: builtinArity(decl!).args }).toEqual({ name, arity: entry.arity });
    }
  });

  it("maps every entry to a runtime export of that arity", () => {
    for (const [name, entry] of NATIVE_BUILTINS) {
      expect(entry.export).toBe(nativeExportName(name));
      const fn = exports[entry.export];
      expect({ name, type: typeof fn }).toEqual({ name, type: "function" });
      expect({ name, length: (fn as (...a: number[]) => number).length }).toEqual({ name, length: entry.arity });
    }
  });

  it("lists every fwb_ export of the runtime", () => {
    const listed = new Set([...NATIVE_BUILTINS.values()].map((e) => e.export));
    const unlisted = Object.keys(exports).filter((k) => k.startsWith("fwb_") && !listed.has(k));
    expect(unlisted).toEqual([]);
  });

  it("exports the builtin error API", () => {
    const msg = h.rt.writeString("boom");
    h.fn("fw_builtin_error")(2, msg.addr, msg.len);
    expect(h.fn("fw_builtin_error_kind")()).toBe(2);
    expect(h.stringOf(h.fn("fw_builtin_error_message")())).toBe("boom");
    h.fn("fw_builtin_error_clear")();
    expect(h.fn("fw_builtin_error_kind")()).toBe(0);
    expect(h.fn("fw_builtin_error_message")()).toBe(0);
  });

  it("derives export names by replacing dots", () => {
    expect(nativeExportName("strings.replace_n")).toBe("fwb_strings_replace_n");
    expect(nativeExportName("count")).toBe("fwb_count");
  });
});
