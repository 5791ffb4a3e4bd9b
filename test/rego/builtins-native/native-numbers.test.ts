import { NativeHarness } from "./native-harness.js";

const h = new NativeHarness();
const typeError = (message: string) => ({ ok: false, code: "eval_type_error", message });
const builtinError = (message: string) => ({ ok: false, code: "eval_builtin_error", message });

describe("div", () => {
  it.each([
    ["6", "3", "2"],
    ["-6", "3", "-2"],
    ["1", "4", "0.25"],
    ["7", "2", "3.5"],
    ["0", "5", "0"],
    ["10", "0.1", "100"],
    ["1.5", "0.5", "3"],
    ["18446744073709551618", "2", "9223372036854775809"],
    ["-9223372036854775808", "-1", "9223372036854775808"],
  ])("%s / %s = %s", (a, b, want) => {
    expect(h.value("div", a, b)).toBe(want);
  });

  it("rounds non-terminating quotients like OPA's 64-bit big.Float (see native-division.test.ts)", () => {
    expect(h.value("div", "1", "3")).toBe("0.33333333333333333334");
    expect(h.value("div", "-2", "3")).toBe("-0.6666666666666666667");
  });

  it("reports division by zero as a builtin error, also for 0.0", () => {
    expect(h.call("div", "1", "0")).toEqual(builtinError("divide by zero"));
    expect(h.call("div", "1", "0.0")).toEqual(builtinError("divide by zero"));
  });

  it("type-checks both operands", () => {
    expect(h.call("div", '"a"', "1")).toEqual(typeError("operand 1 must be number but got string"));
    expect(h.call("div", "1", "null")).toEqual(typeError("operand 2 must be number but got null"));
  });
});

describe("rem", () => {
  it.each([
    ["7", "4", "3"],
    ["-17", "5", "-2"],
    ["17", "-5", "2"],
    ["4.0", "3", "1"],
    ["10", "18446744073709551616", "10"],
    ["18446744073709551617", "18446744073709551616", "1"],
    ["-9223372036854775808", "-1", "0"],
  ])("%s %% %s = %s", (a, b, want) => {
    expect(h.value("rem", a, b)).toBe(want);
  });

  it("refuses operands whose long division would take too long", () => {
    const started = Date.now();
    expect(h.call("rem", "1e100000", "7")).toEqual(builtinError("modulo operand too large for exact arithmetic"));
    expect(h.value("rem", "1e400", "7")).toBe("4");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("rejects fractions and zero divisors", () => {
    expect(h.call("rem", "1.1", "1")).toEqual(builtinError("modulo on floating-point number"));
    expect(h.call("rem", "7", "0")).toEqual(builtinError("modulo by zero"));
    expect(h.call("rem", "7", '"x"')).toEqual(typeError("operand 2 must be number but got string"));
  });
});

describe("abs, round, ceil, floor", () => {
  it.each([
    ["abs", "-5", "5"],
    ["abs", "-9223372036854775808", "9223372036854775808"],
    ["abs", "-2.5", "2.5"],
    ["round", "2.5", "3"],
    ["round", "-2.5", "-3"],
    ["round", "2.4", "2"],
    ["round", "-5", "-5"],
    ["round", "10.00", "10"],
    ["ceil", "1.2", "2"],
    ["ceil", "-1.5", "-1"],
    ["floor", "-1.5", "-2"],
    ["floor", "1.999", "1"],
    ["floor", "123456789012345678901234567890.5", "123456789012345678901234567890"],
    ["floor", "-1e-400", "-1"],
    ["ceil", "1e-400", "1"],
    ["round", "0.0005", "0"],
    ["round", "-0.5", "-1"],
    ["ceil", "-0.5", "0"],
    ["round", "1e400", "1e400"],
  ])("%s(%s) = %s", (fn, a, want) => {
    expect(h.value(fn, a)).toBe(want);
  });

  it("type-checks the operand", () => {
    for (const fn of ["abs", "round", "ceil", "floor"]) {
      expect(h.call(fn, '"1"')).toEqual(typeError("operand 1 must be number but got string"));
    }
  });
});

describe("minus, and, or", () => {
  it("subtracts numbers exactly and sets by difference", () => {
    expect(h.value("minus", "0.3", "0.1")).toBe("0.2");
    expect(h.value("minus", "{1,2,3}", "{2,4}")).toBe("{1,3}");
  });

  it("reports OPA's operand errors", () => {
    expect(h.call("minus", "{1}", "1")).toEqual(typeError("operand 2 must be set but got number"));
    expect(h.call("minus", "1", "{1}")).toEqual(typeError("operand 2 must be number but got set"));
    expect(h.call("minus", '"a"', "1")).toEqual(typeError("operand 1 must be one of {number, set} but got string"));
  });

  it("intersects and unions sets", () => {
    expect(h.value("and", "{1,2,3}", "{2,3,4}")).toBe("{2,3}");
    expect(h.value("or", "{1,2}", "{2,3}")).toBe("{1,2,3}");
    expect(h.value("and", "set()", "{1}")).toBe("set()");
    expect(h.call("and", "[1]", "{1}")).toEqual(typeError("operand 1 must be set but got array"));
    expect(h.call("or", "{1}", "1")).toEqual(typeError("operand 2 must be set but got number"));
  });
});

describe("numbers.range and numbers.range_step", () => {
  it("builds inclusive ranges in either direction", () => {
    expect(h.value("numbers.range", "1", "4")).toBe("[1,2,3,4]");
    expect(h.value("numbers.range", "2", "-1")).toBe("[2,1,0,-1]");
    expect(h.value("numbers.range", "3", "3")).toBe("[3]");
    expect(h.value("numbers.range_step", "0", "10", "3")).toBe("[0,3,6,9]");
    expect(h.value("numbers.range_step", "10", "0", "5")).toBe("[10,5,0]");
  });

  it("requires integers and a positive step", () => {
    expect(h.call("numbers.range", "1.5", "3")).toEqual(typeError("operand 1 must be integer number but got floating-point number"));
    expect(h.call("numbers.range", "1", "3.5")).toEqual(typeError("operand 2 must be integer number but got floating-point number"));
    expect(h.call("numbers.range", '"1"', "3")).toEqual(typeError("operand 1 must be integer but got string"));
    expect(h.call("numbers.range_step", "0", "10", "0")).toEqual(builtinError("step must be a positive integer"));
    expect(h.call("numbers.range_step", "0", "10", "-2")).toEqual(builtinError("step must be a positive integer"));
  });
});
