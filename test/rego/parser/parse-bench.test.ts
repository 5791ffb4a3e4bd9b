import { benchPolicy, runParseBench } from "./parse-bench.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";

describe("parser performance", () => {
  it("the bench policy is ~3,500 lines of valid, varied Rego", () => {
    const text = benchPolicy();
    expect(text.split("\n").length).toBeGreaterThanOrEqual(3500);
    const r = parseModule(text, { file: "bench.rego" });
    expect(r.diagnostics).toEqual([]);
    const kinds = new Set(r.module?.rules.map((x) => x.kind));
    expect([...kinds].sort()).toEqual(["complete", "function", "partial-object", "partial-set"]);
  });

  it("parses ~3,500 lines quickly", () => {
    const r = runParseBench({ runs: 10, warmup: 3 });
    console.log(`parse bench: ${r.lines} lines, ${r.tokens} tokens: median ${r.medianMs.toFixed(1)} ms, min ${r.minMs.toFixed(1)} ms, p95 ${r.p95Ms.toFixed(1)} ms (lexer ${r.lexMedianMs.toFixed(1)} ms)`);
    // Target: well under 50 ms in plain Node (measured ~8-18 ms). Jest's VM context runs this code several
    // times slower and the CI machine is shared, so the assertion only guards against gross regressions.
    expect(r.minMs).toBeLessThan(250);
  });
});
