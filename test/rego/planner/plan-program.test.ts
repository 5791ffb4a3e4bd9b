import { parseModule } from "../../../src/rego/parser/parse-module.js";
import { checkModules } from "../../../src/rego/check/check-modules.js";
import { entrypointPath, planProgram, PlanError } from "../../../src/rego/planner/plan-program.js";
import { printIr } from "../../../src/rego/ir/print-ir.js";
import type { IrProgram } from "../../../src/rego/planner/ir-program.js";

function plan(text: string, entrypoints: string[]): IrProgram {
  const m = parseModule(text, { file: "p.rego" });
  if (!m.module) throw new Error("parse failed");
  const checked = checkModules([m.module]);
  if (!checked.program) throw new Error(checked.diagnostics.map((d) => d.message).join("\n"));
  return planProgram(checked.program, entrypoints);
}

describe("planner", () => {
  test("entrypoint names map to data paths", () => {
    expect(entrypointPath("x/p")).toEqual(["data", "x", "p"]);
    expect(entrypointPath("data.x.p")).toEqual(["data", "x", "p"]);
  });

  test("a complete rule is a cached function with a conflict check; the IR prints as text", () => {
    const ir = plan("package x\np := input.a if input.b == 1\n", ["x/p"]);
    expect(ir.entrypoints).toEqual([{ name: "x/p", func: "entry$0" }]);
    expect(ir.cacheSlots).toBe(1);
    const text = printIr(ir);
    expect(text).toBe([
      'entrypoint "x/p" -> entry$0',
      "function entry$0(params 0, locals 6) {",
      "  l4 = undefined",
      "  block {",
      "    l5 = call rule$data.x.p()",
      "    l4 = l5",
      "  }",
      "  return l4",
      "}",
      "function rule$data.x.p(params 0, locals 10) {",
      "  block {",
      "    l4 = cache[0]",
      "    return l4",
      "  }",
      "  l4 = undefined",
      "  l5 = undefined",
      "  block {",
      "    is_defined l1",
      '    l6 = l1["b"]',
      "    l7 = builtin equal(l6, 1)",
      "    not_equal l7, false",
      "    is_defined l1",
      '    l8 = l1["a"]',
      "    l9 = l8",
      "    assign_once l5 = l9",
      "  }",
      "  block {",
      "    is_defined l5",
      "    assign_once l4 = l5",
      "  }",
      "  cache[0] = l4",
      "  return l4",
      "}",
      "",
    ].join("\n"));
  });

  test("iteration plans a scan whose body holds the rest of the rule", () => {
    const text = printIr(plan("package x\nq contains v if { some v in input.xs; v > 1 }\n", ["x/q"]));
    expect(text).toMatch(/scan l\d+ \(l\d+, l\d+\) \{\n\s+l\d+ = l\d+\n\s+l\d+ = builtin gt\(l\d+, 1\)\n\s+not_equal l\d+, false\n\s+set_add/);
  });

  test("a ref into data with rules and base documents builds a merged document", () => {
    const text = printIr(plan("package x\np := 1\n", ["x"]));
    expect(text).toContain("function doc$data.x(");
    expect(text).toContain("object_copy");
    expect(text).toContain('object_insert l');
  });

  test("with on a function plans a mocked copy of the rules it reaches", () => {
    const ir = plan("package x\nf(a) := a\ng(a) := 2\np := f(1)\nq if { p == 2 with f as g }\n", ["x/q"]);
    expect(ir.functions.map((f) => f.name)).toEqual(expect.arrayContaining(["rule$data.x.p@0", "fn$data.x.g"]));
  });

  test("unsupported constructs raise PlanError", () => {
    expect(() => plan("package x\np := {\"a\": 1}\nq if { p.a == 2 with data.x.p.a as 2 }\n", ["x/q"])).toThrow(PlanError);
  });
});
