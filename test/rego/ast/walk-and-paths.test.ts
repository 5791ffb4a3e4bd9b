import { collect, forEachChild, walk } from "../../../src/rego/ast/walk.js";
import { classifyRuleHead, isFunction, isGroundTerm, isMultiValue, ruleValue, valueName } from "../../../src/rego/ast/classify-rule.js";
import { groundPrefix, headRef, importName, importPath, packagePath, refToString, ruleName } from "../../../src/rego/ast/ref-path.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import type { Module, Node } from "../../../src/rego/parser/nodes.js";

function mod(src: string): Module {
  const r = parseModule(src, { file: "w.rego" });
  expect(r.diagnostics).toEqual([]);
  if (!r.module) throw new Error("no module");
  return r.module;
}

const SRC = `package a.b
import data.lib.x as y
import input.review
p[k] := v if {
	some k, v in {"a": [1, 2]}
	every e in [k] { e == k }
	not q with input as {"z": 1}
	t := $"{k}"
}
q if { [x | x := 1]; {y: 1 | y := 2}; {z | z := 3} }
`;

describe("walk", () => {
  it("visits every node once, parents before children, in source order", () => {
    const m = mod(SRC);
    const seen: Node[] = [];
    walk(m, (n) => {
      seen.push(n);
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[0]).toBe(m);
    const vars = seen.filter((n) => n.type === "Var").map((n) => (n.type === "Var" ? n.name : ""));
    expect(vars.slice(0, 8)).toEqual(["a", "data", "y", "input", "p", "k", "v", "k"]);
    const kinds = new Set(seen.map((n) => n.type));
    for (const t of ["Package", "Import", "Rule", "RuleHead", "Body", "Expr", "SomeIn", "Every", "With", "TemplateString", "ArrayComprehension", "ObjectComprehension", "SetComprehension", "Call", "Object", "ObjectEntry", "Array"]) {
      expect(kinds.has(t as Node["type"])).toBe(true);
    }
  });

  it("skips children when the visitor returns false", () => {
    const m = mod(SRC);
    const seen: string[] = [];
    walk(m, (n) => {
      seen.push(n.type);
      return n.type !== "Rule";
    });
    expect(seen.filter((t) => t === "Rule")).toHaveLength(2);
    expect(seen).not.toContain("Body");
  });

  it("handles deep trees without recursion", () => {
    const r = parseModule(`package a\np := ${"[".repeat(140)}1${"]".repeat(140)}`, { file: "d.rego" });
    expect(r.diagnostics).toEqual([]);
    expect(collect(r.module as Module, "Array")).toHaveLength(140);
  });

  it("forEachChild lists direct children only", () => {
    const m = mod("package a\np := [1, [2]]");
    const head = m.rules[0]?.head.value;
    const kids: string[] = [];
    if (head) forEachChild(head, (c) => kids.push(c.type));
    expect(kids).toEqual(["Number", "Array"]);
  });
});

describe("ref/path helpers", () => {
  it("computes package, import and rule paths", () => {
    const m = mod(SRC);
    expect(packagePath(m.package)).toEqual(["data", "a", "b"]);
    expect(m.imports.map(importPath)).toEqual([
      ["data", "lib", "x"],
      ["input", "review"],
    ]);
    expect(m.imports.map(importName)).toEqual(["y", "review"]);
    const p = m.rules[0];
    if (!p) throw new Error("no rule");
    expect(ruleName(p)).toBe("p");
    expect(headRef(p.head).map((t) => t.type)).toEqual(["Var", "Var"]);
    expect(p.head.ref.type !== "Var" && groundPrefix(p.head.ref)).toEqual(["p"]);
    expect(refToString(p.head.ref)).toBe("p[k]");
  });
});

describe("rule classification helpers", () => {
  it("agree with the parser's kinds", () => {
    const m = mod("package a\np contains 1\nf(x) := x\no[k] := 1 if k := 2\nc := 1\nd.e[\"f\"] := 2\n");
    expect(m.rules.map((r) => classifyRuleHead(r.head))).toEqual(m.rules.map((r) => r.kind));
    expect(m.rules.map((r) => r.kind)).toEqual(["partial-set", "function", "partial-object", "complete", "complete"]);
    expect(m.rules.map(isMultiValue)).toEqual([true, false, false, false, false]);
    expect(m.rules.map(isFunction)).toEqual([false, true, false, false, false]);
    expect(m.rules.map((r) => ruleValue(r)?.type)).toEqual([undefined, "Var", "Number", "Number", "Number"]);
  });

  it("isGroundTerm and valueName", () => {
    const m = mod('package a\np := [1, {"a": [true, null]}, {2}]\nq := [x]\n');
    const [p, q] = m.rules;
    expect(p?.head.value && isGroundTerm(p.head.value)).toBe(true);
    expect(q?.head.value && isGroundTerm(q.head.value)).toBe(false);
    expect(p?.head.value && valueName(p.head.value)).toBe("array");
  });
});
