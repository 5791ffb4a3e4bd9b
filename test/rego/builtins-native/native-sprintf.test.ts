import { NativeHarness, str } from "./native-harness.js";

const h = new NativeHarness();
const fmt = (format: string, args: string): string => JSON.parse(h.value("sprintf", str(format), args)) as string;

describe("sprintf", () => {
  it("formats integers as Go ints, beyond int64 as big.Int values", () => {
    expect(fmt("%d", "[12]")).toBe("12");
    expect(fmt("%v and %d", "[-3, 4]")).toBe("-3 and 4");
    expect(fmt("%v", "[18446744073709551617]")).toBe("18446744073709551617");
    expect(fmt("%x|%X|%o|%b", "[255, 255, 8, 5]")).toBe("ff|FF|10|101");
    expect(fmt("%5d|%-5d|%05d|%+d", "[1, 2, -3, 5]")).toBe("    1|2    |-0003|+5");
    expect(fmt("%f", "[5]")).toBe("%!f(int=5)");
    expect(fmt("%s", "[5]")).toBe("%!s(int=5)");
    expect(fmt("%s", "[123456789123456789123]")).toBe("123456789123456789123");
    expect(fmt("%f", "[123456789123456789123]")).toBe("%!f(big.Int=123456789123456789123)");
    expect(fmt("hi %02X.%02X", "[127, 1]")).toBe("hi 7F.01");
  });

  it("formats other numbers as Go float64 values", () => {
    expect(fmt("%v", "[2.5]")).toBe("2.5");
    expect(fmt("%v", "[-0.125]")).toBe("-0.125");
    expect(fmt("%v", "[1234567.5]")).toBe("1.2345675e+06");
    expect(fmt("%v", "[0.0001]")).toBe("0.0001");
    expect(fmt("%v", "[0.00001]")).toBe("1e-05");
    expect(fmt("%f", "[2.5]")).toBe("2.500000");
    expect(fmt("%.2f", "[3.14159]")).toBe("3.14");
    expect(fmt("%.2f", "[0.125]")).toBe("0.12");
    expect(fmt("%.0f", "[2.5]")).toBe("2");
    expect(fmt("%8.3f", "[-3.14159]")).toBe("  -3.142");
    expect(fmt("%e", "[1234.5678]")).toBe("1.234568e+03");
    expect(fmt("%d", "[2.5]")).toBe("%!d(float64=2.5)");
    // the float64 nearest 2.675 is below it, so Go rounds down; 0.1's float64 is slightly above 0.1
    expect(fmt("%.2f", "[2.675]")).toBe("2.67");
    expect(fmt("%.20f", "[0.1]")).toBe("0.10000000000000000555");
    expect(fmt("%v", "[0.1]")).toBe("0.1");
    expect(fmt("%g|%.3g", "[100000000.5, 3.14159]")).toBe("1.000000005e+08|3.14");
    expect(fmt("%e", "[1e-7]")).toBe("1.000000e-07");
    expect(fmt("%v", "[0.12345678901234567890123]")).toBe("0.12345678901234568");
    expect(fmt("%v", "[1e30]")).toBe("1e+30");
    expect(fmt("hi %v", "[2e308]")).toBe("hi 2e308");
  });

  it("formats strings and quotes them with %q", () => {
    expect(fmt("hello %s!", '["world"]')).toBe("hello world!");
    expect(fmt("%q", '["a\\"b\\n"]')).toBe('"a\\"b\\n"');
    expect(fmt("%.3s|%5s|%-4s|", '["héllo", "ab", "x"]')).toBe("hél|   ab|x   |");
    expect(fmt("%x", '["hi"]')).toBe("6869");
    expect(fmt("%d", '["a"]')).toBe("%!d(string=a)");
  });

  it("prints composite values, booleans and null as Rego terms (Go strings)", () => {
    expect(fmt("%v", '[[1, "a", {"b": true}]]')).toBe('[1, "a", {"b": true}]');
    expect(fmt("hi %v", '[["there", 5, 3.14]]')).toBe('hi ["there", 5, 3.14]');
    expect(fmt("%v", "[{2, 1}]")).toBe("{1, 2}");
    expect(fmt("%v", "[set()]")).toBe("set()");
    expect(fmt("%v", '[{"b": 1, "a": [null]}]')).toBe('{"a": [null], "b": 1}');
    expect(fmt("%s|%v", "[true, null]")).toBe("true|null");
    expect(fmt("%t", "[true]")).toBe("%!t(string=true)");
  });

  it("handles %%, missing and extra arguments", () => {
    expect(fmt("100%%", "[]")).toBe("100%");
    expect(fmt("%d %d", "[1]")).toBe("1 %!d(MISSING)");
    expect(fmt("%d", '[1, 2, "x", 2.5]')).toBe("1%!(EXTRA int=2, string=x, float64=2.5)");
    expect(fmt("abc%", "[]")).toBe("abc%!(NOVERB)");
  });

  it("type-checks its operands", () => {
    expect(h.call("sprintf", "1", "[]")).toEqual({ ok: false, code: "eval_type_error", message: "operand 1 must be string but got number" });
    expect(h.call("sprintf", str("%v"), "{1}")).toEqual({ ok: false, code: "eval_type_error", message: "operand 2 must be array but got set" });
  });
});
