import { formatDiagnostic } from "../../../src/rego/diagnostics.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import { parseQuery } from "../../../src/rego/parser/parse-query.js";

/**
 * Malformed programs: [syntax, source, first diagnostic's line:col, its message]. Every diagnostic must be
 * a rego_parse_error in file t.rego, and no module is usable.
 */
const CASES: Array<["v0" | "v1", string, string, string]> = [
  ["v1", "package", "1:8", "unexpected eof token"],
  ["v1", "p := 1", "1:1", "package expected"],
  ["v1", "", "1:1", "empty module"],
  ["v1", "package a\npackage b", "2:1", "unexpected package"],
  ["v1", "package a\np if {", "2:7", "unexpected eof token"],
  ["v1", "package a\np if {\n  x := \n}", "4:1", "unexpected } token"],
  ["v1", "package a\np := ", "2:6", "unexpected eof token: expected rule value term (e.g., p := <VALUE> { ... })"],
  ["v1", "package a\np = ", "2:5", "unexpected eof token: expected rule value term (e.g., p = <VALUE> { ... })"],
  ["v1", "package a\nx", "2:1", "var cannot be used for rule name"],
  ["v1", "package a\n1 = 2", "2:1", "number cannot be used for rule name"],
  ["v1", "package a\n\"s\"", "2:1", "string cannot be used for rule name"],
  ["v1", "package a\np { true }", "2:1", "`if` keyword is required before rule body"],
  ["v1", "package a\np[x] { x = 1 }", "2:1", "`if` keyword is required before rule body"],
  ["v1", "package a\nf(x) { true }", "2:1", "`if` keyword is required before function body"],
  ["v1", "package a\nx := \"abc", "2:6", "non-terminated string"],
  ["v1", "package a\nx := \"\\q\"", "2:6", "illegal escape sequence"],
  ["v1", "package a\nx := 01", "2:6", "unexpected number token: expected number without leading zero"],
  ["v1", "package a\nx := 1.", "2:6", "expected fraction"],
  ["v1", "package a\nx := 1e", "2:6", "expected exponent"],
  ["v1", "package a\nx := 12abc", "2:6", "illegal number format"],
  ["v1", "package a\nx := 1 ! 2", "2:8", "illegal ! character"],
  ["v1", "package a\nx := $foo", "2:6", "illegal $ character"],
  ["v1", "package a\nx := [1, 2", "2:11", "unexpected eof token: expected \",\" or \"]\""],
  ["v1", "package a\nx := {1, 2", "2:11", "unexpected eof token: expected \",\" or \"}\""],
  ["v1", "package a\nx := {\"a\": 1, \"b\"}", "2:18", "unexpected } token: expected \":\""],
  ["v1", "package a\nx := f(1, 2", "2:12", "unexpected eof token: expected \",\" or \")\""],
  ["v1", "package a\nimport foo.bar", "2:8", "unexpected import path, must begin with one of: {data, future, input, rego}, got: foo"],
  ["v1", "package a\nimport future.keywords.foo", "2:8", "unexpected keyword, must be one of [contains every if in]"],
  ["v1", "package a\nimport future.stuff", "2:8", "invalid import, must be `future.keywords`"],
  ["v0", "package a\nimport rego.v2", "2:8", "invalid import `rego.v2`, must be `rego.v1`"],
  ["v1", "package a\nimport data.x as 1", "2:18", "unexpected number token: expected var"],
  ["v1", "package a\nimport data.x[y]", "2:15", "unexpected var token: expecting string"],
  ["v1", "package a\ndefault p", "2:1", "illegal default rule (must have a value)"],
  ["v1", "package a\ndefault p := x", "2:1", "illegal default rule (value cannot contain var)"],
  ["v1", "package a\ndefault p := [input.x]", "2:1", "illegal default rule (value cannot contain ref)"],
  ["v1", "package a\np if { not some x }", "2:12", "unexpected some keyword: illegal negation of 'some'"],
  ["v1", "package a\np if { every x in xs }", "2:22", "unexpected } token: missing body"],
  ["v1", "package a\np if { every x { true } }", "2:14", "unexpected term: expected `x[, y] in xs { ... }` expression"],
  ["v1", "package a\np if { some 1 }", "2:13", "unexpected number token: expected var"],
  ["v1", "package a\np if { x := 1 y := 2 }", "2:15", "unexpected ident token: expected \\n or ; or }"],
  ["v1", "package a\np if { x with input }", "2:21", "unexpected } token: expected as keyword"],
  ["v1", "package a\np if { x with 1 as 2 }", "2:15", "unexpected number token: expected ident"],
  ["v1", "package a\nf(x) contains y", "2:6", "unexpected contains keyword: the contains keyword can only be used with multi-value rule definitions (e.g., f contains <VALUE> { ... })"],
  ["v1", "package a\np[x] := 1 if { x := 1 } else := 2", "2:25", "else keyword cannot be used on rules with variables in head"],
  ["v1", "package a\np contains 1 if { true } else { true }", "2:26", "else keyword cannot be used on multi-value rules"],
  ["v1", "package a\np if { true } else", "2:19", "unexpected eof token: expected else value term or rule body"],
  ["v1", "package a\np := $\"{x := 1}\"", "2:9", "unexpected assignment (':=') in template-string expression"],
  ["v1", "package a\np := $\"{not x}\"", "2:9", "unexpected negation ('not') in template-string expression"],
  ["v1", "package a\np := $\"{x\"", "2:10", "non-terminated string"],
  ["v1", "package a\np := $\"abc", "2:6", "non-terminated string"],
  ["v1", "package a\np := 1 + ", "2:10", "unexpected eof token"],
  ["v1", "package a\np if { x == }", "2:13", "unexpected } token"],
  ["v1", "package a\np := ()", "2:7", "unexpected ) token"],
  ["v1", "package a\np := (1 + 2", "2:12", "non-terminated expression"],
  ["v1", "package a\np := 1.foo", "2:6", "expected fraction"],
  ["v1", "package a\np := \"a\".b", "2:6", "illegal ref (head cannot be string)"],
  ["v1", "package a\np := - x", "2:8", "unexpected ident token: expected number"],
  ["v1", "package a\np := set(", "2:10", "unexpected eof token"],
  ["v1", "package a\np := [x | ]", "2:11", "found empty body"],
  ["v1", "package a\np := 1e999999", "2:6", "number too big"],
  ["v1", "package a\np := \"a\tb\"", "2:6", "illegal control character in string"],
  ["v1", "package a\nx > 1", "2:1", "rule name conflicts with built-in function"],
  ["v1", "package a\nnot p", "2:1", "negated expressions cannot be used for rule head"],
  ["v1", "package a\nsome x", "2:1", "'some' declarations cannot be used for rule head"],
  ["v0", "package a\nimport rego.v1 as r", "2:8", "`rego` imports cannot be aliased"],
  ["v1", "package a\nimport future.keywords as f", "2:8", "`future` imports cannot be aliased"],
  ["v1", "package a\np := 1\n;", "3:1", "unexpected ; token"],
  ["v1", "package a\np := [\nq := 1\nr := )", "3:3", "unexpected assign token: expected \",\" or \"]\""],
  ["v1", "package a\np := 0x10", "2:6", "illegal number format"],
  ["v1", "package a\np := {1: }", "2:10", "unexpected } token"],
  ["v1", "package a\np := input.", "2:12", "unexpected eof token: expected ident"],
  ["v1", "package a\np := input. x", "2:13", "unexpected ident token: expected ident"],
  ["v1", "package a\np := input[1", "2:13", "unexpected eof token: expected ]"],
  ["v1", "package a\np if { x := 1; }", "2:16", "unexpected } token"],
  ["v1", "package a\np if { some x in }", "2:15", "unexpected in keyword: expected \\n or ; or }"],
  ["v1", "package a\np if { every 1 in xs { true } }", "2:14", "expected value to be a variable"],
  ["v1", "package a\nimport data.foo.if", "2:8", "unexpected import path, must not end with a keyword, got: if"],
  ["v0", "package a\np[x] = 1 { x := 1 } else = 2 { true }", "2:21", "else keyword cannot be used on rules with variables in head"],
  ["v1", "package a\np := {\"a\" 1}", "2:11", "unexpected number token: non-terminated set"],
  ["v1", "package a\np if {\n\tx :=\n}\nq := 1\nr if {\n\t]\n}", "4:1", "unexpected } token"],
  ["v1", "package a\nif := 1", "2:1", "unexpected if keyword"],
  ["v1", "package a\np := `abc", "2:6", "non-terminated string"],
  ["v1", "package a\np := $`abc {x", "2:14", "expected } to end template string expression"],
  ["v1", "package a\ndefault f(x, x) := 1", "2:1", "illegal default rule (arguments cannot be repeated x)"],
  ["v1", "package a\np := x.y(1)(2)", "2:12", "unexpected ( token"],
  ["v1", "package a\np := f(1) 2", "2:11", "number cannot be used for rule name"],
  ["v1", "package a\np if { x == \n 1 } }", "3:6", "unexpected } token"],
  ["v1", "package a\np := \u0000", "2:6", "illegal null character"],
  ["v1", "package a\np := ©", "2:6", "illegal character \"©\""],
  ["v1", "package a\np := input.x with input as {}", "2:1", "expressions using with keyword cannot be used for rule head"],
  ["v1", "package a\np if { := 1 }", "2:8", "unexpected assign token"],
  ["v1", "package a\np := if", "2:6", "unexpected if keyword: expected rule value term (e.g., p := <VALUE> { ... })"],
  ["v1", "package a\np := 1 else := 2", "2:8", "unexpected else keyword"],
  ["v0", "package a\np { some x in [1] }", "2:12", "unexpected ident token: expected \\n or ; or } (hint: `import future.keywords.in` for `some x in xs` expressions)"],
];

describe("negative parse cases", () => {
  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES)("%s %j → %s %s", (regoVersion, source, where, message) => {
    const r = parseModule(source, { file: "t.rego", regoVersion });
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      expect(d.code).toBe("rego_parse_error");
      expect(d.span.file).toBe("t.rego");
    }
    const first = r.diagnostics[0];
    expect(first && `${first.span.start.line}:${first.span.start.column}`).toBe(where);
    expect(first?.message).toBe(message);
    expect(first && formatDiagnostic(first)).toBe(`t.rego:${where}: rego_parse_error: ${message}`);
  });

  it("reports several errors in one module (recovery at the next statement)", () => {
    const src = "package a\n\np if {\n\tx :=\n}\n\nq := 1\n\nr if {\n\t]\n}\n\ns := [1,\n";
    const r = parseModule(src, { file: "t.rego" });
    expect(r.diagnostics.map((d) => d.span.start.line)).toEqual([5, 10, 14]);
    expect(r.module?.rules.map((x) => (x.head.ref.type === "Var" ? x.head.ref.name : ""))).toEqual(["q"]);
  });

  it("10,000 nested brackets give a depth diagnostic instead of a stack overflow", () => {
    for (const open of ["[", "{", "(", "f(", "[x | ", "{x: "]) {
      const r = parseModule(`package a\np := ${open.repeat(10000)}`, { file: "t.rego" });
      expect(r.diagnostics.map((d) => d.message)).toContain("max parsing recursion depth exceeded");
    }
    const q = parseQuery("[".repeat(10000));
    expect(q.diagnostics[0]?.message).toBe("max parsing recursion depth exceeded");
  });

  it("queries report errors with positions", () => {
    expect(parseQuery("").diagnostics[0]?.message).toBe("empty query");
    const r = parseQuery("data.x = \n  [1,");
    expect(r.query).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ code: "rego_parse_error", span: { file: "query", start: { line: 2, column: 6 } } });
  });
});
