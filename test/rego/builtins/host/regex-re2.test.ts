/**
 * The regex and glob builtins have Go's regexp (RE2) semantics, as in OPA: its syntax accepted and refused,
 * `ReplaceAllString`'s `$` expansion, `Split`, `FindAll…(s, n)`, and linear-time matching.
 */
import { re2CacheSize } from "../../../../src/rego/builtins/host/re2.js";
import { call, failure } from "./call-host-builtin.js";

describe("regex builtins: Go's RE2 syntax", () => {
  test("RE2 syntax JavaScript lacks or reads differently is accepted", () => {
    expect(call("regex.match", "(?i)^abc$", "ABC")).toBe(true);
    expect(call("regex.match", "(?s)^a.b$", "a\nb")).toBe(true);
    expect(call("regex.match", "^a.b$", "a\nb")).toBe(false);
    expect(call("regex.match", "\\Aab\\z", "ab")).toBe(true);
    expect(call("regex.match", "\\Aab\\z", "ab\n")).toBe(false);
    expect(call("regex.match", "^[[:alpha:]]+$", "abcXYZ")).toBe(true);
    expect(call("regex.match", "^[[:alpha:]]+$", "abc1")).toBe(false);
    expect(call("regex.match", "^\\pL+$", "héllo")).toBe(true);
    expect(call("regex.match", "^\\p{Greek}+$", "αβγ")).toBe(true);
    expect(call("regex.match", "^(?P<year>\\d{4})-(?<month>\\d{2})$", "2026-12")).toBe(true);
    expect(call("regex.match", "(?U)a+", "aaa")).toBe(true);
    expect(call("regex.is_valid", "\\pL")).toBe(true);
  });

  test("what Go's regexp refuses is refused with its message, as OPA's builtin error", () => {
    expect(failure("regex.match", "(?=a)", "a")).toBe("eval_builtin_error: regex.match: error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
    expect(failure("regex.match", "(?!a)", "a")).toBe("eval_builtin_error: regex.match: error parsing regexp: invalid or unsupported Perl syntax: `(?!`");
    expect(failure("regex.match", "(a)\\1", "aa")).toBe("eval_builtin_error: regex.match: error parsing regexp: invalid escape sequence: `\\1`");
    expect(failure("regex.match", "a\\Z", "a")).toBe("eval_builtin_error: regex.match: error parsing regexp: invalid escape sequence: `\\Z`");
    expect(failure("regex.match", "$^[[[", "x")).toBe("eval_builtin_error: regex.match: error parsing regexp: missing closing ]: `[[[`");
    expect(failure("regex.match", "a{1001}", "a")).toBe("eval_builtin_error: regex.match: error parsing regexp: invalid repeat count: `{1001}`");
    expect(failure("regex.find_n", "a**", "a", -1)).toBe("eval_builtin_error: regex.find_n: error parsing regexp: invalid nested repetition operator: `**`");
    expect(failure("regex.replace", "a", "(?<=a)b", "")).toMatch(/^eval_builtin_error: regex\.replace: error parsing regexp: /);
    expect(call("regex.is_valid", "(?=a)")).toBe(false);
    expect(call("regex.is_valid", "(a)\\1")).toBe(false);
    expect(call("regex.is_valid", 1)).toBe(false);
  });
});

describe("regex builtins: Go's results", () => {
  test("regex.replace expands $n, ${n}, $name and ${name}, $$, and leaves a malformed $ as it is", () => {
    expect(call("regex.replace", "abc", "b(c)", "[$1]")).toBe("a[c]");
    expect(call("regex.replace", "abc", "(b)", "${1}x")).toBe("abxc");
    // `$1x` is the group named `1x`, which does not exist: nothing is inserted.
    expect(call("regex.replace", "abc", "(b)", "$1x")).toBe("ac");
    expect(call("regex.replace", "key=val", "(?P<k>\\w+)=(?P<v>\\w+)", "$v=${k}")).toBe("val=key");
    expect(call("regex.replace", "abc", "b", "$$")).toBe("a$c");
    expect(call("regex.replace", "abc", "b", "x$")).toBe("ax$c");
    expect(call("regex.replace", "abc", "b", "${1")).toBe("a${1c");
    expect(call("regex.replace", "abc", "(b)(x)?", "[$2]")).toBe("a[]c");
    expect(call("regex.replace", "abc", "b", "$0$0")).toBe("abbc");
  });

  test("regex.replace and regex.find_n: an empty match right after a match is skipped", () => {
    expect(call("regex.replace", "baaac", "a*", "-")).toBe("-b-c-");
    expect(call("regex.replace", "abc", "x*", "-")).toBe("-a-b-c-");
    expect(call("regex.find_n", "a*", "baaab", -1)).toEqual(["", "aaa", ""]);
  });

  test("regex.split is Go's Split(s, -1)", () => {
    expect(call("regex.split", ",", "a,b,,c")).toEqual(["a", "b", "", "c"]);
    expect(call("regex.split", "", "abc")).toEqual(["a", "b", "c"]);
    expect(call("regex.split", "x", "xax")).toEqual(["", "a", ""]);
    expect(call("regex.split", "a", "")).toEqual([""]);
    expect(call("regex.split", "\\s+", "a  b\tc")).toEqual(["a", "b", "c"]);
  });

  test("regex.find_n and regex.find_all_string_submatch_n take at most n (all when negative)", () => {
    expect(call("regex.find_n", "[0-9]+", "a1b22c333", 2)).toEqual(["1", "22"]);
    expect(call("regex.find_n", "[0-9]+", "a1b22c333", -1)).toEqual(["1", "22", "333"]);
    expect(call("regex.find_n", "[0-9]+", "a1b22c333", 0)).toEqual([]);
    expect(call("regex.find_n", "[0-9]+", "abc", -1)).toEqual([]);
    expect(call("regex.find_all_string_submatch_n", "a(x)?", "ax a", -1)).toEqual([["ax", "x"], ["a", ""]]);
    expect(call("regex.find_all_string_submatch_n", "a(x)?", "ax a", 1)).toEqual([["ax", "x"]]);
  });

  test("regex.template_match: literal parts are quoted, patterns are RE2", () => {
    expect(call("regex.template_match", "urn:foo.{[[:digit:]]+}:x", "urn:foo.42:x", "{", "}")).toBe(true);
    // The `.` of the literal part is not a wildcard.
    expect(call("regex.template_match", "urn:foo.{[0-9]+}:x", "urn:fooX42:x", "{", "}")).toBe(false);
    expect(failure("regex.template_match", "urn:{(?=a)}", "urn:a", "{", "}")).toMatch(/^eval_builtin_error: regex\.template_match: error parsing regexp: /);
  });

  test("compiled patterns are cached within a bound", () => {
    for (let i = 0; i < 700; i++) call("regex.match", `^x${i}$`, "x1");
    expect(re2CacheSize()).toBeLessThanOrEqual(512);
    expect(re2CacheSize()).toBeGreaterThan(0);
  });
});

describe("glob.match on RE2", () => {
  test("gobwas semantics are kept: delimiters, **, classes, alternatives, escapes", () => {
    expect(call("glob.match", "*.github.com", [], "api.github.com")).toBe(true);
    expect(call("glob.match", "*.github.com", [], "api.cdn.github.com")).toBe(false);
    expect(call("glob.match", "**.github.com", [], "api.cdn.github.com")).toBe(true);
    expect(call("glob.match", "[a-c]?t", null, "b\nt")).toBe(true);
    expect(call("glob.match", "[!a-c]at", null, "dat")).toBe(true);
    expect(call("glob.match", "[!a-c]at", null, "bat")).toBe(false);
    expect(call("glob.match", "{api,www}.*", ["."], "www.x")).toBe(true);
    expect(call("glob.match", "a\\*b", null, "a*b")).toBe(true);
    expect(call("glob.match", "a\\*b", null, "axb")).toBe(false);
    expect(call("glob.match", "(x)|[.]+$", null, "(x)|..+$")).toBe(false);
    expect(call("glob.match", "(x)|[.]$", null, "(x)|.$")).toBe(true);
    expect(call("glob.match", "a*", ["-", "]"], "ab]")).toBe(false);
    expect(failure("glob.match", "{a,b", null, "a")).toBe("eval_builtin_error: glob.match: unexpected end of input");
  });

  test("a hostile glob is matched in linear time", () => {
    const hostile = `${"*a".repeat(30)}*b`;
    const text = "a".repeat(20_000);
    const started = performance.now();
    expect(call("glob.match", hostile, null, text)).toBe(false);
    expect(call("glob.match", `${"{a,a}".repeat(30)}b`, null, "a".repeat(30))).toBe(false);
    expect(call("glob.match", hostile, ["."], text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("modules built by OPA", () => {
  test("call regex.split by its plain name: the SDK's own RegExp version no longer answers, the RE2 host builtin does", async () => {
    const { hostBuiltins } = await import("../../../../src/rego/evaluator/host-builtins.js");
    const { SDK_BUILTINS } = await import("../../../../src/rego/evaluator/sdk-builtins.js");
    expect(SDK_BUILTINS["regex.split"]).toBeUndefined();
    // The rest of the SDK's table is untouched.
    expect(typeof SDK_BUILTINS["json.is_valid"]).toBe("function");
    const split = hostBuiltins(false)["regex.split"];
    // RE2 reads `\z` as the end of the text (JavaScript has no such escape).
    expect(split?.("a\\z", "xaya")).toEqual(["xay", ""]);
  });
});
