import { measureCheck } from "./check-bench.js";

describe("check performance", () => {
  // The machine is shared by several engineers (load averages of 10+ on 2 cores are common), so wall time
  // mostly measures the wait for a core. The bound is on the CPU time this process spends; both are printed.
  it("parses and checks ~3,500 lines in under 100 ms of CPU time", () => {
    const r = measureCheck(10);
    if (!r) {
      console.warn("skipping: ../shared/opa-conformance is absent");
      return;
    }
    const stages = Object.entries(r.stageMs)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(", ");
    console.log(
      `check bench: ${r.lines} lines, ${r.modules} modules, best of ${r.runs}: ` +
        `CPU parse ${r.parseCpuMs.toFixed(1)} + check ${r.checkCpuMs.toFixed(1)} = ${r.totalCpuMs.toFixed(1)} ms; ` +
        `wall parse ${r.parseMs.toFixed(1)} + check ${r.checkMs.toFixed(1)} = ${r.totalMs.toFixed(1)} ms; stages (CPU): ${stages}`,
    );
    expect(r.lines).toBeGreaterThanOrEqual(3500);
    expect(r.totalCpuMs).toBeLessThan(100);
  });
});
