import { compile } from "../../../src/rego/compile.js";
import { CompiledPolicy } from "../../../src/rego/evaluator/compiled-policy.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

beforeAll(() => ensureRuntimeBuilt());

function evaluate(files: Record<string, string>, entrypoint: string): unknown {
  const r = compile({ modules: Object.entries(files).map(([file, text]) => ({ file, text })), entrypoints: [entrypoint] });
  if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return CompiledPolicy.loadSync(r.wasm).evaluate(entrypoint);
}

describe("rego.metadata.rule / rego.metadata.chain", () => {
  const root = ["# METADATA", "# scope: subpackages", "# organizations: [Acme]", "package a"].join("\n");
  const leaf = [
    "# METADATA",
    "# title: Leaf package",
    "package a.b",
    "",
    "# METADATA",
    "# title: r",
    "# related_resources: [https://example.com]",
    "# custom:",
    "#   severity: 3",
    "r := rego.metadata.rule()",
    "",
    "plain := rego.metadata.rule()",
    "",
    "# METADATA",
    "# title: c",
    "c := [x | x := rego.metadata.chain()[_].path]",
    "",
    "full := rego.metadata.chain()",
  ].join("\n");

  test("rule() is the rule's own annotations, {} without any", () => {
    expect(evaluate({ "a.rego": root, "b.rego": leaf }, "a/b/r")).toEqual([{ result: { scope: "rule", title: "r", related_resources: [{ ref: "https://example.com" }], custom: { severity: 3 } } }]);
    expect(evaluate({ "a.rego": root, "b.rego": leaf }, "a/b/plain")).toEqual([{ result: {} }]);
  });

  test("chain() runs from the rule through the package to subpackages annotations of ancestors, also inside comprehensions", () => {
    expect(evaluate({ "a.rego": root, "b.rego": leaf }, "a/b/c")).toEqual([{ result: [["a", "b", "c"], ["a", "b"], ["a"]] }]);
    expect(evaluate({ "a.rego": root, "b.rego": leaf }, "a/b/full")).toEqual([{
      result: [
        { path: ["a", "b", "full"] },
        { path: ["a", "b"], annotations: { scope: "package", title: "Leaf package" } },
        { path: ["a"], annotations: { scope: "subpackages", organizations: ["Acme"] } },
      ],
    }]);
  });
});
