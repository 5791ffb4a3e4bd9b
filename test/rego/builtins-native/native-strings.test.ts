import { NativeHarness, str } from "./native-harness.js";

const h = new NativeHarness();
const typeError = (message: string) => ({ ok: false, code: "eval_type_error", message });
const builtinError = (message: string) => ({ ok: false, code: "eval_builtin_error", message });
const s = (name: string, ...args: string[]) => JSON.parse(h.value(name, ...args.map(str))) as unknown;

describe("string predicates and case", () => {
  it("contains / startswith / endswith", () => {
    expect(s("contains", "abcdef", "cde")).toBe(true);
    expect(s("contains", "abc", "")).toBe(true);
    expect(s("contains", "abc", "x")).toBe(false);
    expect(s("startswith", "abc", "ab")).toBe(true);
    expect(s("endswith", "abc", "ab")).toBe(false);
    expect(h.call("contains", "1", str("a"))).toEqual(typeError("operand 1 must be string but got number"));
    expect(h.call("endswith", str("a"), "[]")).toEqual(typeError("operand 2 must be string but got array"));
  });

  it("lower / upper map ASCII and common letters", () => {
    expect(s("lower", "AbC ÀÉÎ ΣΑ ДЖ")).toBe("abc àéî σα дж");
    expect(s("upper", "abc àéî straße")).toBe("ABC ÀÉÎ STRAßE");
  });
});

describe("split / concat / replace", () => {
  it("splits like Go's strings.Split", () => {
    expect(s("split", "a,b,,c", ",")).toEqual(["a", "b", "", "c"]);
    expect(s("split", "héllo", "")).toEqual(["h", "é", "l", "l", "o"]);
    expect(s("split", "", ",")).toEqual([""]);
    expect(s("split", "abc", "abc")).toEqual(["", ""]);
  });

  it("concatenates arrays and (sorted) sets of strings", () => {
    expect(JSON.parse(h.value("concat", str(", "), '["a","b"]'))).toBe("a, b");
    expect(JSON.parse(h.value("concat", str("-"), '{"b","a","c"}'))).toBe("a-b-c");
    expect(JSON.parse(h.value("concat", str("-"), "[]"))).toBe("");
    expect(h.call("concat", str(","), "[1]")).toEqual(typeError("operand 2 must be array of strings but got array containing number"));
    expect(h.call("concat", str(","), '"a"')).toEqual(typeError("operand 2 must be one of {set, array} but got string"));
  });

  it("replaces all occurrences, including the empty pattern", () => {
    expect(s("replace", "aaa", "a", "bb")).toBe("bbbbbb");
    expect(s("replace", "héllo", "", "-")).toBe("-h-é-l-l-o-");
    expect(s("replace", "abc", "x", "y")).toBe("abc");
  });

  it("strings.replace_n applies patterns left to right, sorted keys first", () => {
    expect(JSON.parse(h.value("strings.replace_n", '{"a":"1","ab":"2"}', str("abab")))).toBe("1b1b");
    expect(JSON.parse(h.value("strings.replace_n", '{"cat":"dog","dog":"cat"}', str("cat dog")))).toBe("dog cat");
    expect(h.call("strings.replace_n", '{"a":1}', str("a"))).toEqual(typeError("operand 1 non-string value found in pattern object"));
    expect(h.call("strings.replace_n", '{1:"a"}', str("a"))).toEqual(typeError("operand 1 non-string key found in pattern object"));
    expect(h.call("strings.replace_n", '{"a":"b"}', "1")).toEqual(typeError("operand 2 must be string but got number"));
  });
});

describe("trimming", () => {
  it("trims cutsets, prefixes, suffixes and whitespace", () => {
    expect(s("trim", "xyhixyx", "xy")).toBe("hi");
    expect(s("trim_left", "ééaé", "é")).toBe("aé");
    expect(s("trim_right", "aé!!", "!")).toBe("aé");
    expect(s("trim", "xxx", "x")).toBe("");
    expect(s("trim_prefix", "foobar", "foo")).toBe("bar");
    expect(s("trim_prefix", "foobar", "bar")).toBe("foobar");
    expect(s("trim_suffix", "foobar", "bar")).toBe("foo");
    expect(s("trim_space", " \t\n hi there \u00a0\u3000")).toBe("hi there");
    expect(h.call("trim", str("a"), "1")).toEqual(typeError("operand 2 must be string but got number"));
  });
});

describe("searching and slicing", () => {
  it("indexof / indexof_n count runes", () => {
    expect(s("indexof", "héllo", "l")).toBe(2);
    expect(s("indexof", "abc", "z")).toBe(-1);
    expect(s("indexof_n", "sssss", "ss")).toEqual([0, 1, 2, 3]);
    expect(s("indexof_n", "éaéa", "a")).toEqual([1, 3]);
    expect(s("indexof_n", "abc", "z")).toEqual([]);
  });

  it("substring is rune based with OPA's bounds", () => {
    expect(JSON.parse(h.value("substring", str("héllo"), "1", "3"))).toBe("éll");
    expect(JSON.parse(h.value("substring", str("abc"), "1", "-1"))).toBe("bc");
    expect(JSON.parse(h.value("substring", str("abc"), "1", "100"))).toBe("bc");
    expect(JSON.parse(h.value("substring", str("abc"), "5", "1"))).toBe("");
    expect(h.call("substring", str("abc"), "-1", "1")).toEqual(builtinError("negative offset"));
    expect(h.call("substring", str("abc"), "1.5", "1")).toEqual(typeError("operand 2 must be integer number but got floating-point number"));
  });

  it("strings.reverse / strings.count", () => {
    expect(s("strings.reverse", "héllo✓")).toBe("✓olléh");
    expect(s("strings.count", "cheese", "e")).toBe(3);
    expect(s("strings.count", "aaaa", "aa")).toBe(2);
    expect(s("strings.count", "héllo", "")).toBe(6);
    expect(h.call("strings.reverse", "1")).toEqual(typeError("operand 1 must be string but got number"));
  });

  it("strings.any_prefix_match / any_suffix_match", () => {
    expect(h.value("strings.any_prefix_match", str("foobar"), '["x","foo"]')).toBe("true");
    expect(h.value("strings.any_prefix_match", '{"a","b"}', str("c"))).toBe("false");
    expect(h.value("strings.any_suffix_match", '["foobar"]', '{"bar"}')).toBe("true");
    expect(h.call("strings.any_prefix_match", "1", str("a"))).toEqual(typeError("operand 1 must be one of {string, set, array} but got number"));
    expect(h.call("strings.any_suffix_match", str("a"), "[1]")).toEqual(typeError("operand 2 must be array of strings but got array containing number"));
  });
});

describe("conversions", () => {
  it("format_int truncates and prints in base 2, 8, 10, 16", () => {
    expect(JSON.parse(h.value("format_int", "255", "16"))).toBe("ff");
    expect(JSON.parse(h.value("format_int", "-255.7", "16"))).toBe("-ff");
    expect(JSON.parse(h.value("format_int", "5", "2"))).toBe("101");
    expect(JSON.parse(h.value("format_int", "8", "8"))).toBe("10");
    expect(JSON.parse(h.value("format_int", "0", "10"))).toBe("0");
    expect(h.call("format_int", "5", "3")).toEqual(typeError("operand 2 must be one of {2, 8, 10, 16}"));
  });

  it("to_number accepts numbers, null, booleans and numeric strings", () => {
    expect(h.value("to_number", str("-1.5e3"))).toBe("-1500");
    expect(h.value("to_number", str("+7"))).toBe("7");
    expect(h.value("to_number", "null")).toBe("0");
    expect(h.value("to_number", "true")).toBe("1");
    expect(h.value("to_number", "2.5")).toBe("2.5");
    expect(h.call("to_number", str("abc"))).toEqual(builtinError('strconv.ParseFloat: parsing "abc": invalid syntax'));
    expect(h.call("to_number", "[]")).toEqual(typeError("operand 1 must be one of {null, boolean, number, string} but got array"));
  });

  it("to_number rejects NaN and infinities (which Go would parse) with a type error", () => {
    for (const text of ["nan", "-NaN", "inf", "+Inf", "-infinity", "iNfInItY"]) {
      expect(h.call("to_number", str(text))).toEqual(typeError(`operand 1 must be a finite number but got ${JSON.stringify(text)}`));
    }
    expect(h.call("to_number", str("infinit"))).toEqual(builtinError('strconv.ParseFloat: parsing "infinit": invalid syntax'));
    expect(h.call("to_number", str("nana"))).toEqual(builtinError('strconv.ParseFloat: parsing "nana": invalid syntax'));
  });
});
