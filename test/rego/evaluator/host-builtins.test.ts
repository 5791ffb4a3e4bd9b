import { HostBuiltinError, hostBuiltins } from "../../../src/rego/evaluator/host-builtins.js";

const lax = hostBuiltins(false);
const strict = hostBuiltins(true);
/** The JSON text of a result the builtin returned as text (an ArrayBuffer, for exact numbers). */
function json(result: unknown): string {
  if (!(result instanceof ArrayBuffer)) throw new Error(`expected JSON text, got ${String(result)}`);
  return new TextDecoder().decode(result);
}
function call(name: string, ...args: unknown[]): unknown {
  const fn = lax[name];
  if (!fn) throw new Error(`no host builtin ${name}`);
  return fn(...args);
}

describe("host builtins", () => {
  test("glob.match: delimiters, **, ?, classes and alternatives", () => {
    expect(call("glob.match", "*.github.com", [], "api.github.com")).toBe(true);
    expect(call("glob.match", "*.github.com", [], "api.cdn.github.com")).toBe(false);
    expect(call("glob.match", "*", null, "api.cdn.github.com")).toBe(true);
    expect(call("glob.match", "**.github.com", [], "api.cdn.github.com")).toBe(true);
    expect(call("glob.match", "*:github:com", [":"], "api:github:com")).toBe(true);
    expect(call("glob.match", "?at", null, "cat")).toBe(true);
    expect(call("glob.match", "[!c]at", null, "cat")).toBe(false);
    expect(call("glob.match", "{cat,bat}", null, "bat")).toBe(true);
  });

  test("json.filter and json.remove take string and array paths", () => {
    const doc = { a: { b: 1, c: 2 }, d: [1, 2, 3] };
    expect(call("json.filter", doc, ["a/b", ["d", "1"]])).toEqual({ a: { b: 1 }, d: [2] });
    expect(call("json.remove", doc, ["a/b", "d"])).toEqual({ a: { c: 2 } });
    expect(() => strict["json.remove"]?.([1], ["a"])).toThrow(/operand 1 must be object but got array/);
    expect(() => strict["json.filter"]?.(doc, "a")).toThrow(/operand 2 must be one of \{set, array\} but got string/);
  });

  test("units, semver and regex", () => {
    expect(json(call("units.parse_bytes", "2KiB"))).toBe("2048");
    expect(json(call("units.parse_bytes", "1kb"))).toBe("1000");
    expect(json(call("units.parse", "5m"))).toBe("5e-3");
    expect(call("semver.compare", "1.2.3", "1.10.0")).toBe(-1);
    expect(call("semver.compare", "1.0.0-alpha", "1.0.0")).toBe(-1);
    expect(call("semver.is_valid", "01.2.3")).toBe(false);
    expect(call("regex.match", "^a(?P<x>b)$", "ab")).toBe(true);
    expect(call("regex.replace", "abc", "b(c)", "[$1]")).toBe("a[c]");
  });

  test("CIDR containment and intersection", () => {
    expect(call("net.cidr_contains", "10.0.0.0/8", "10.1.2.3")).toBe(true);
    expect(call("net.cidr_contains", "10.0.0.0/8", "11.0.0.0/24")).toBe(false);
    expect(call("net.cidr_contains", "2001:db8::/32", "2001:db8:1::/48")).toBe(true);
    expect(call("net.cidr_intersects", "192.168.0.0/16", "192.168.1.0/24")).toBe(true);
    expect(call("net.cidr_is_valid", "300.0.0.0/8")).toBe(false);
  });

  test("builtin and type errors are undefined unless strict (as in OPA)", () => {
    expect(call("units.parse_bytes", "bogus")).toBeUndefined();
    expect(() => strict["units.parse_bytes"]?.("bogus")).toThrow(HostBuiltinError);
    expect(call("count", 5)).toBeUndefined();
    expect(() => strict.count?.(5)).toThrow(/eval_type_error: count/);
  });
});
