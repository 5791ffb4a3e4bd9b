/**
 * Issue 3's figure: parse and check about 3,500 lines of policy (a full library's size), compiled together.
 * Reported as wall and CPU time (CPU is what our code costs on a shared machine); the ratio compares with
 * `JSON.parse` of the same modules' ASTs, a baseline run in the same process.
 */
import { parseModule } from "../src/rego/parser/parse-module.js";
import type { BenchSuite } from "./bench-suite.js";
import { medianMs } from "./bench-suite.js";
import { benchCorpus, measureCheck } from "./check-library.js";
import { runParseBench } from "./parse-library.js";

export const frontEndSuite: BenchSuite = {
  name: "rego front end",
  async run() {
    const r = measureCheck(10);
    const corpus = benchCorpus();
    if (!r || !corpus) throw new Error("test/fixtures/opa-conformance is absent");
    const asts = JSON.stringify(corpus.map((text, i) => parseModule(text, { file: `m${i}.rego` }).module));
    const baselineMs = await medianMs(() => JSON.parse(asts), 21, 3);
    const synthetic = runParseBench();
    const stages = Object.entries(r.stageMs)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(", ");
    return [
      { name: `parse + check ${r.lines} lines, ${r.modules} modules together (CPU)`, value: r.totalCpuMs, unit: "ms", note: "goal < 100 ms" },
      { name: `parse + check ${r.lines} lines (wall)`, value: r.totalMs, unit: "ms", ratio: r.totalMs / baselineMs, baseline: "JSON.parse of the ASTs" },
      { name: "check stages (CPU ms)", value: r.checkCpuMs, unit: "ms", note: stages },
      { name: `parse a synthetic ${synthetic.lines}-line policy (median)`, value: synthetic.medianMs, unit: "ms" },
    ];
  },
};
