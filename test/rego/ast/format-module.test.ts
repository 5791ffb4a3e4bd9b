import { formatModule, formatQuery, formatTerm } from "../../../src/rego/ast/format-module.js";
import { astEqual } from "../../../src/rego/ast/strip-spans.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import { parseQuery } from "../../../src/rego/parser/parse-query.js";
import type { Module, Term } from "../../../src/rego/parser/nodes.js";

function mod(src: string, regoVersion: "v0" | "v1" = "v1"): Module {
  const r = parseModule(src, { file: "f.rego", regoVersion });
  expect(r.diagnostics).toEqual([]);
  if (!r.module) throw new Error("no module");
  return r.module;
}

function roundTrip(src: string, regoVersion: "v0" | "v1" = "v1"): string {
  const m = mod(src, regoVersion);
  const out = formatModule(m);
  const again = mod(out, regoVersion);
  expect(astEqual(again, m)).toBe(true);
  expect(formatModule(again)).toBe(out);
  return out;
}

function fq(src: string): string {
  const r = parseQuery(src);
  expect(r.diagnostics).toEqual([]);
  if (!r.query) throw new Error("no query");
  const out = formatQuery(r.query);
  const again = parseQuery(out);
  expect(astEqual(again.query, r.query)).toBe(true);
  return out;
}

describe("formatModule", () => {
  it("prints a canonical, stable layout", () => {
    expect(roundTrip("package  a.b\nimport data.x as y\n\n\np:=1\nq contains x if {x:=1;x>0}\n")).toBe(
      "package a.b\n\nimport data.x as y\n\np := 1\n\nq contains x if {\n\tx := 1\n\tx > 0\n}\n",
    );
  });

  it("adds only the parentheses the grammar needs", () => {
    expect(fq("x = (1 + 2) * 3")).toBe("x = (1 + 2) * 3");
    expect(fq("x = 1 + (2 * 3)")).toBe("x = 1 + 2 * 3");
    expect(fq("x = 1 - (2 - 3)")).toBe("x = 1 - (2 - 3)");
    expect(fq("x = (1 - 2) - 3")).toBe("x = 1 - 2 - 3");
    expect(fq("x = {(a | b)}")).toBe("x = {(a | b)}");
    expect(fq("x = [(a | b), c]")).toBe("x = [(a | b), c]");
    expect(fq("x = f((k, v in o))")).toBe("x = f((k, v in o))");
    expect(fq("x = (a + b)[0]")).toBe("x = (a + b)[0]");
    expect(fq("x = (a in b) in c")).toBe("x = a in b in c");
    expect(fq("x = a in (b in c)")).toBe("x = a in (b in c)");
  });

  it("escapes strings and template text so they re-parse to the same value", () => {
    expect(fq('x = "q\\"\\\\\\n\\u0001\\ud83d\\ude00"')).toBe('x = "q\\"\\\\\\n\\u0001😀"');
    expect(fq("x = `raw\\n`")).toBe("x = `raw\\n`");
    expect(fq('x = $"a\\{b} {c} \\"d\\""')).toBe('x = $"a\\{b} {c} \\"d\\""');
    expect(fq("x = $`a\n\\{b} {c}`")).toBe("x = $`a\n\\{b} {c}`");
  });

  it("keeps v0 syntax for v0 modules and v1 keywords when written", () => {
    const v0 = roundTrip("package a\np[x] { x := 1 }\nq { true } { false }\nf(x) = y { y := x } else = 0 { true }\n", "v0");
    expect(v0).toContain("p[x] {\n\tx := 1\n}");
    expect(v0).toContain("q {\n\ttrue\n}\n\nq {\n\tfalse\n}");
    expect(v0).toContain("} else = 0 {\n\ttrue\n}");
    const v1 = roundTrip("package a\nf(x) := 1 if x > 1 else := 2\ndefault g(_) := 3\n");
    expect(v1).toContain("f(x) := 1 if {\n\tx > 1\n} else := 2");
    expect(v1).toContain("default g(_) := 3");
  });

  it("prints nested every bodies with deeper indentation", () => {
    expect(roundTrip("package a\np if { every x in [1] { every y in [x] { y > 0 } } }\n")).toBe(
      "package a\n\np if {\n\tevery x in [1] {\n\t\tevery y in [x] {\n\t\t\ty > 0\n\t\t}\n\t}\n}\n",
    );
  });

  it("keeps METADATA blocks in front of what they annotate and drops other comments", () => {
    const out = roundTrip("# METADATA\n# title: t\npackage a\n\n# just a comment\n# METADATA\n# scope: rule\np := 1 # trailing\n");
    expect(out).toBe("# METADATA\n# title: t\npackage a\n\n# METADATA\n# scope: rule\np := 1\n");
  });

  it("a body that is a single object/set literal survives the `if {` ambiguity", () => {
    roundTrip("package a\np if {}\nq if {1}\nr if { {1} }\n");
  });

  it("formatTerm parenthesises below the requested level", () => {
    const [e] = parseQuery("x = a + b").query?.body.exprs ?? [];
    const call = e?.expr as Term;
    expect(formatTerm(call, 0)).toBe("x = a + b");
    expect(formatTerm(call, 1)).toBe("(x = a + b)");
  });
});
