import { LineIndex } from "../../../src/rego/lexer/line-index.js";
import { decodeEscapes, tokenize } from "../../../src/rego/lexer/tokenize.js";

const kinds = (src: string): string[] => tokenize(src).tokens.map((t) => t.kind);
const values = (src: string): string[] => tokenize(src).tokens.filter((t) => t.kind !== "eof").map((t) => t.value);

describe("tokenize", () => {
  it("splits operators greedily", () => {
    expect(kinds("a := b == c != d <= e >= f < g > h = i")).toEqual(["ident", ":=", "ident", "==", "ident", "!=", "ident", "<=", "ident", ">=", "ident", "<", "ident", ">", "ident", "=", "ident", "eof"]);
    expect(kinds("+-*/%&|;.,:()[]{}")).toEqual(["+", "-", "*", "/", "%", "&", "|", ";", ".", ",", ":", "(", ")", "[", "]", "{", "}", "eof"]);
  });

  it("keeps numbers exactly as written and never folds the sign", () => {
    expect(values("123456789012345678901234567890 1e400 1.5E-3 0 -7")).toEqual(["123456789012345678901234567890", "1e400", "1.5E-3", "0", "-", "7"]);
    expect(kinds("1.5e+10")).toEqual(["number", "eof"]);
  });

  it("reports malformed numbers", () => {
    for (const [src, msg] of [
      ["1.", "expected fraction"],
      ["1e", "expected exponent"],
      ["1e+", "expected exponent"],
      ["12ab", "illegal number format"],
    ] as const) {
      const r = tokenize(src);
      expect(r.tokens[0]).toMatchObject({ kind: "illegal", error: msg });
      expect(r.errors).toEqual([{ offset: 0, message: msg }]);
    }
  });

  it("decodes string escapes including surrogate pairs", () => {
    const [t] = tokenize(String.raw`"q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00"`).tokens;
    expect(t).toMatchObject({ kind: "string", value: 'q" b\\ s/ \b\f\n\r\t é 😀' });
    expect(t?.raw).toBeUndefined();
  });

  it("rejects bad escapes, control characters and unterminated strings", () => {
    expect(tokenize(String.raw`"\x"`).errors[0]?.message).toBe("illegal escape sequence");
    expect(tokenize(String.raw`"\u12"`).errors[0]?.message).toBe("illegal escape sequence");
    expect(tokenize('"a\tb"').errors[0]?.message).toBe("illegal control character in string");
    expect(tokenize('"abc\n"').errors[0]?.message).toBe("non-terminated string");
    expect(tokenize("`abc").errors[0]?.message).toBe("non-terminated string");
  });

  it("reads raw strings verbatim, across lines", () => {
    const [t] = tokenize("`a\\n\n\"b`").tokens;
    expect(t).toMatchObject({ kind: "string", value: 'a\\n\n"b', raw: true });
  });

  it("records comments (without #) and newline/whitespace flags", () => {
    const r = tokenize("a # one\r\n  b\tc");
    expect(r.comments).toEqual([{ start: 2, end: 7, text: " one" }]);
    expect(r.tokens.map((t) => [t.value, t.nl, t.ws])).toEqual([
      ["a", false, false],
      ["b", true, true],
      ["c", false, true],
      ["", false, false],
    ]);
  });

  it("splits template strings into parts around embedded expressions", () => {
    const r = tokenize('$"a {x + {1}} b \\{c} {"}"}"');
    expect(r.errors).toEqual([]);
    const t = r.tokens.map((x) => (x.kind === "template" ? `T(${x.value}${x.first ? ",first" : ""}${x.last ? ",last" : ""})` : x.kind === "eof" ? "eof" : x.value));
    expect(t).toEqual(["T(a ,first)", "x", "+", "{", "1", "}", "T( b {c} )", "}", "T(,last)", "eof"]);
  });

  it("handles raw template strings and their \\{ escape", () => {
    const r = tokenize("$`a\n\\{b} {x}`");
    expect(r.tokens.filter((t) => t.kind === "template").map((t) => [t.value, t.raw])).toEqual([
      ["a\n{b} ", true],
      ["", true],
    ]);
  });

  it("reports illegal characters without stopping", () => {
    const r = tokenize("a ! b $ c © d \u0000");
    expect(r.errors.map((e) => e.message)).toEqual([
      "illegal ! character",
      "illegal $ character",
      'illegal character "©"',
      "illegal null character",
    ]);
    expect(r.tokens.filter((t) => t.kind === "ident").map((t) => t.value)).toEqual(["a", "b", "c", "d"]);
  });

  it("skips a leading byte-order mark", () => {
    expect(tokenize("\ufeffpackage a").tokens[0]).toMatchObject({ kind: "ident", value: "package", start: 1 });
  });

  it("decodeEscapes only accepts \\{ where allowed", () => {
    expect(decodeEscapes("\\{", true)).toEqual({ value: "{" });
    expect(decodeEscapes("\\{", false)).toEqual({ error: "illegal escape sequence" });
  });
});

describe("LineIndex", () => {
  it("maps offsets to 1-based lines and UTF-16 columns", () => {
    const li = new LineIndex("f.rego", "ab\r\n😀c\nd");
    expect(li.position(0)).toEqual({ offset: 0, line: 1, column: 1 });
    expect(li.position(4)).toEqual({ offset: 4, line: 2, column: 1 });
    expect(li.position(6)).toEqual({ offset: 6, line: 2, column: 3 });
    expect(li.position(8)).toEqual({ offset: 8, line: 3, column: 1 });
    expect(li.position(99)).toEqual({ offset: 9, line: 3, column: 2 });
    expect(li.span(1, 5)).toEqual({ file: "f.rego", start: { offset: 1, line: 1, column: 2 }, end: { offset: 5, line: 2, column: 2 } });
    expect(li.lineCount).toBe(3);
    expect(li.lineStart(2)).toBe(4);
  });
});
