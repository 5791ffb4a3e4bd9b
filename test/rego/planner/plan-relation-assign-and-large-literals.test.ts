import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

function evaluate(text: string, entrypoint: string): unknown {
  const r = compile({ modules: [{ file: "p.rego", text }], entrypoints: [entrypoint] });
  if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return CompiledPolicy.loadSync(r.wasm).evaluate(entrypoint);
}

describe("planner", () => {
  test("`pattern := walk(x)` enumerates the relation like `walk(x, pattern)`", () => {
    const text = [
      "package t",
      'x := {"a": [1, 2]}',
      "assigned := [p | [p, v] := walk(x); is_number(v)]",
      "unified := [p | walk(x) = [p, 2]]",
      "output := [p | walk(x, [p, v]); is_number(v)]",
    ].join("\n");
    expect(evaluate(text, "t/assigned")).toEqual([{ result: [["a", 0], ["a", 1]] }]);
    expect(evaluate(text, "t/unified")).toEqual([{ result: [["a", 1]] }]);
    expect(evaluate(text, "t/output")).toEqual([{ result: [["a", 0], ["a", 1]] }]);
  });

  test("a literal with thousands of elements plans without exhausting the stack", () => {
    // Before the planner planned plain terms in a loop, 3,000 elements already overflowed the stack
    // (measured); 6,000 keeps a margin and compiles in about a second (objects as elements took minutes).
    const items = Array.from({ length: 6_000 }, (_, i) => String(i)).join(", ");
    const text = `package t\nbig := [${items}, {"nested": [1, {"a": "b"}]}]\nn := count(big)\n`;
    expect(evaluate(text, "t/n")).toEqual([{ result: 6_001 }]);
  });
});
