import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import type { IrProgram } from "../../../src/rego/planner/ir-program.js";
import { findConstantLiterals } from "../../../src/rego/wasm/codegen/find-constant-literals.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

function build(rules: string, entrypoints: string[]): { ir: IrProgram; policy: CompiledPolicy } {
  const r = compile({ modules: [{ file: "t.rego", text: `package t\n\n${rules}\n` }], entrypoints });
  if (r.ir === undefined || r.wasm === undefined) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return { ir: r.ir, policy: CompiledPolicy.loadSync(r.wasm) };
}

function literalKeys(ir: IrProgram): string[] {
  return [...findConstantLiterals(ir).values()].map((l) => `${l.kind}:${l.elements.map((e) => ("v" in e ? String(e.v) : e.k)).join(",")}`).sort();
}

describe("constant literals", () => {
  const rules = [
    "workload if input.kind in {\"Deployment\", \"Job\"}",
    "fields contains f if some f in [\"containers\", \"initContainers\", 3, null, true]",
    "images contains c.image if { some f in [\"containers\", \"initContainers\"]; some c in input.spec[f] }",
    "nested := [[\"a\"], {\"b\"}]",
    "mixed := [input.kind, \"x\"]",
  ].join("\n");

  test("array and set literals of constants are found, ones with locals are not", () => {
    const { ir } = build(rules, ["t/workload", "t/fields", "t/images", "t/nested", "t/mixed"]);
    expect(literalKeys(ir)).toEqual(["array:a", "array:containers,initContainers", "array:containers,initContainers,3,null,true", "set:Deployment,Job", "set:b"]);
  });

  test("built once, they give the same results on every evaluation (the heap is reset in between)", () => {
    const { policy } = build(rules, ["t/workload", "t/fields", "t/images", "t/nested", "t/mixed"]);
    const input = { kind: "Job", spec: { containers: [{ image: "a" }], initContainers: [{ image: "b" }] } };
    for (let i = 0; i < 3; i++) {
      expect(policy.evaluate("t/workload", input)).toEqual([{ result: true }]);
      expect(policy.evaluate("t/workload", { kind: "Pod" })).toEqual([]);
      expect(policy.evaluate("t/fields", {})).toEqual([{ result: [null, true, 3, "containers", "initContainers"] }]);
      expect(policy.evaluate("t/images", input)).toEqual([{ result: ["a", "b"] }]);
      expect(policy.evaluate("t/nested", {})).toEqual([{ result: [["a"], ["b"]] }]);
      expect(policy.evaluateJson("t/mixed", "{\"kind\":\"Pod\"}")).toEqual([{ result: ["Pod", "x"] }]);
    }
  });

  test("a literal that becomes a rule's value is left alone; one passed to a builtin is shared", () => {
    const { ir, policy } = build("s := {\"a\", \"b\"}\nt contains x if some x in s\nu := s | {\"c\"}", ["t/s", "t/t", "t/u"]);
    expect(literalKeys(ir)).toEqual(["set:c"]);
    expect(policy.evaluate("t/s")).toEqual([{ result: ["a", "b"] }]);
    expect(policy.evaluate("t/u")).toEqual([{ result: ["a", "b", "c"] }]);
    expect(policy.evaluate("t/s")).toEqual([{ result: ["a", "b"] }]);
  });

  test("programs that add to collections found inside objects get none", () => {
    const { ir, policy } = build("p[k] contains v if { some k in [\"x\", \"y\"]; some v in [1, 2] }", ["t/p"]);
    expect(literalKeys(ir)).toEqual([]);
    expect(policy.evaluate("t/p")).toEqual([{ result: { x: [1, 2], y: [1, 2] } }]);
  });
});
