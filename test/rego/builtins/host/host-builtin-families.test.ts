import { HOST_BUILTINS } from "../../../../src/rego/builtins/host/host-builtin-table.js";
import { lookupBuiltin } from "../../../../src/rego/builtins/builtin-table.js";
import { call, failure } from "./call-host-builtin.js";

const text = (r: unknown): string => new TextDecoder().decode(r as ArrayBuffer);

describe("host builtin families", () => {
  test("every host builtin is a declared builtin", () => {
    // Value-text registrations (`json.patch#value-text`) are the same builtins under another convention.
    for (const name of HOST_BUILTINS.keys()) {
      const base = name.replace(/#value-text$/, "");
      expect(lookupBuiltin(base)?.name).toBe(base);
    }
  });

  test("units: exact results, spaces and missing amounts", () => {
    expect(text(call("units.parse_bytes", "10eib"))).toBe("11529215046068469760");
    expect(text(call("units.parse_bytes", "1.1KiB"))).toBe("1126");
    expect(text(call("units.parse", "0.0005K"))).toBe("5e-1");
    expect(text(call("units.parse", "500m"))).toBe("500e-3");
    expect(failure("units.parse", "100 k")).toBe("eval_builtin_error: units.parse: spaces not allowed in resource strings");
    expect(failure("units.parse_bytes", "GB")).toBe("eval_builtin_error: units.parse_bytes: no byte amount provided");
    expect(failure("units.parse_bytes", "1.2.3")).toBe("eval_builtin_error: units.parse_bytes: could not parse byte amount to a number");
    expect(failure("units.parse", "5parsecs")).toBe("eval_builtin_error: units.parse: unit not recognized");
  });

  test("to_number rejects NaN and infinities with a type error", () => {
    expect(failure("to_number", "-Inf")).toMatch(/^eval_type_error: to_number:/);
    expect(failure("to_number", "1x")).toMatch(/^eval_builtin_error: to_number: strconv.ParseFloat/);
    expect(call("to_number", "-1.5e2")).toBe(-150);
  });

  test("regex.globs_match: intersection of simple patterns, errors with positions", () => {
    expect(call("regex.globs_match", "a+", "a*b")).toBe(false);
    expect(call("regex.globs_match", "a*", "b*")).toBe(true);
    expect(call("regex.globs_match", "[a-c]x", "[^a]x")).toBe(true);
    expect(call("regex.globs_match", "[a]x", "[^a]x")).toBe(false);
    expect(call("regex.globs_match", "\\.", "a")).toBe(false);
    expect(failure("regex.globs_match", "ab[", "x")).toBe("eval_builtin_error: regex.globs_match: input:ab[, pos:3, set-open '[' with no following ']': the input provided is invalid");
    expect(failure("regex.globs_match", "*a", "x")).toMatch(/pos:1, quantifier '\*' with no preceding token/);
  });

  test("regex.template_match and glob.quote_meta", () => {
    expect(call("regex.template_match", "urn:foo:{[0-9]+}:x", "urn:foo:42:x", "{", "}")).toBe(true);
    expect(call("regex.template_match", "urn:foo:{[0-9]+}:x", "urn:foo:4a:x", "{", "}")).toBe(false);
    expect(failure("regex.template_match", "urn:{.*", "urn:a", "{", "}")).toMatch(/unbalanced braces/);
    expect(call("glob.quote_meta", "a*b?[c]{d}\\")).toBe("a\\*b\\?\\[c\\]\\{d\\}\\\\");
  });

  test("strings.render_template: fields, range over objects, with/else, unsupported syntax", () => {
    expect(call("strings.render_template", "{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}", { m: { b: 2, a: 1 } })).toBe("a=1;b=2;");
    expect(call("strings.render_template", "{{with .x}}{{.y}}{{else}}none{{end}}", { x: { y: "Y" } })).toBe("Y");
    expect(call("strings.render_template", "{{range .xs}}{{.}}{{else}}empty{{end}}", { xs: [] })).toBe("empty");
    expect(call("strings.render_template", "{{if .a}}A{{else if .b}}B{{else}}C{{end}} {{- \" x\" }}", { b: true })).toBe("B x");
    expect(call("strings.render_template", "{{.l}} {{.o}} {{.n}}", { l: [1, "a"], o: { k: true }, n: null })).toBe("[1 a] map[k:true] <nil>");
    expect(failure("strings.render_template", "{{len .x}}", { x: [] })).toMatch(/^eval_builtin_error: strings.render_template: unsupported pipeline/);
    expect(failure("strings.render_template", "{{if .x}}", {})).toMatch(/unexpected EOF/);
  });

  test("net.cidr_merge, cidr_expand and cidr_contains_matches", () => {
    expect(call("net.cidr_merge", ["10.0.0.1", "10.1.0.0/16"])).toEqual(["10.0.0.0/8"]);
    expect(call("net.cidr_merge", ["2001:db8::/33", "2001:db8:8000::/33", "::ffff:10.0.0.0/120"])).toEqual(["2001:db8::/32", "::ffff:a00:0/120"]);
    expect(failure("net.cidr_merge", ["fe80::1"])).toBe("eval_builtin_error: net.cidr_merge: IPv6 invalid: needs prefix length");
    expect(failure("net.cidr_merge", ["240.0.0.1"])).toMatch(/no default mask/);
    expect(failure("net.cidr_merge", [1])).toMatch(/^eval_type_error: net.cidr_merge/);
    expect(call("net.cidr_expand", "2001:db8::/127")).toEqual(["2001:db8::", "2001:db8::1"]);
    expect(failure("net.cidr_expand", "10.0.0.0/8")).toMatch(/has more than 1048576 addresses/);
    // The result is a set: JSON text with the set as a sorted array.
    expect(JSON.parse(text(call("net.cidr_contains_matches", "10.0.0.0/8", { b: "10.1.1.1", a: ["11.0.0.1", "x"] })))).toEqual([["10.0.0.0/8", "b"]]);
    expect(failure("net.cidr_contains_matches", 5, "10.0.0.1")).toMatch(/^eval_type_error: .*operand 1 must be one of/);
  });

  test("graph.reachable_paths ends paths at leaves, cycles and unknown nodes", () => {
    const g = { a: ["b", "zz"], b: ["a"], c: null };
    expect(call("graph.reachable_paths", g, ["a", "c", "q"])).toEqual([["a"], ["a", "b"], ["c"]]);
    expect(failure("graph.reachable_paths", [], ["a"])).toMatch(/^eval_type_error: graph.reachable_paths: operand 1 must be object/);
  });

  test("json.patch: RFC 6902 operations and failures", () => {
    const doc = { a: [1, 2], b: { c: 1 } };
    expect(call("json.patch", doc, [{ op: "add", path: "/a/-", value: 3 }, { op: "copy", from: "/b", path: "/d" }, { op: "replace", path: "/b/c", value: 9 }])).toEqual({ a: [1, 2, 3], b: { c: 9 }, d: { c: 1 } });
    expect(call("json.patch", doc, [{ op: "move", from: ["a", 0], path: "/b/x" }, { op: "test", path: "/a", value: [2] }])).toEqual({ a: [2], b: { c: 1, x: 1 } });
    expect(call("json.patch", doc, [{ op: "remove", path: "/b/c" }])).toEqual({ a: [1, 2], b: {} });
    expect(doc).toEqual({ a: [1, 2], b: { c: 1 } });
    expect(failure("json.patch", doc, [{ op: "test", path: "/b/c", value: 2 }])).toMatch(/^eval_builtin_error: json.patch: test failed/);
    expect(failure("json.patch", doc, [{ op: "move", from: "/b", path: "/b/x" }])).toMatch(/into one of its children/);
    expect(failure("json.patch", doc, [{ op: "remove", path: "/a/5" }])).toMatch(/out of range/);
    expect(failure("json.patch", doc, [{ op: "frobnicate", path: "/a" }])).toMatch(/unknown operation/);
    expect(failure("json.patch", doc, [{ path: "/a" }])).toMatch(/needs "op"/);
  });

  test("json.marshal_with_options and urlquery objects", () => {
    expect(call("json.marshal_with_options", { b: 1, a: [true] }, { indent: " ", prefix: "> " })).toBe('> {\n>  "a": [\n>   true\n>  ],\n>  "b": 1\n> }');
    expect(failure("json.marshal_with_options", 1, { pretty: "yes" })).toBe("eval_type_error: json.marshal_with_options: pretty must be boolean but got string");
    expect(call("urlquery.encode_object", { "a b": ["ä", "x&y"], c: "" })).toBe("a+b=%C3%A4&a+b=x%26y&c=");
    expect(failure("urlquery.encode_object", { a: 1 })).toMatch(/^eval_type_error: urlquery.encode_object/);
    expect(call("urlquery.decode_object", "a+b=%C3%A4&&c")).toEqual({ "a b": ["ä"], c: [""] });
    expect(failure("urlquery.decode_object", "a=%zz")).toMatch(/invalid URL escape/);
  });

  test("bits shifts reject negative shift counts; array.flatten one level", () => {
    expect(failure("bits.lsh", 1, -1)).toBe("eval_type_error: bits.lsh: operand 2 must be an unsigned integer number but got a negative integer");
    expect(call("bits.rsh", 8, 2)).toBe(2);
    expect(call("array.flatten", [[1, [2]], 3])).toEqual([1, [2], 3]);
    expect(failure("array.flatten", 4)).toBe("eval_type_error: array.flatten: operand 1 must be array but got number");
  });
});
