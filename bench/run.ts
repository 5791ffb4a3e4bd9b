/**
 * `npm run bench`: runs every benchmark suite and prints a Markdown table (copy the figures into
 * docs/benchmarks.md with the machine). `npm run bench -- <name>` runs the suites whose name contains it.
 */
import { cpus, totalmem } from "node:os";
import type { BenchResult, BenchSuite } from "./bench-suite.js";
import { suites } from "./suites.js";

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3);
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const chosen: BenchSuite[] = filter ? suites.filter((s) => s.name.includes(filter)) : suites;
  console.log(`Machine: ${cpus()[0]?.model ?? "?"} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);
  console.log("| suite | figure | value | ratio to baseline | note |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const suite of chosen) {
    let results: BenchResult[];
    try {
      results = await suite.run();
    } catch (error) {
      console.log(`| ${suite.name} | (failed) | | | ${error instanceof Error ? error.message : String(error)} |`);
      process.exitCode = 1;
      continue;
    }
    for (const r of results) {
      const ratio = r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}× ${r.baseline ?? ""}`;
      console.log(`| ${suite.name} | ${r.name} | ${fmt(r.value)} ${r.unit} | ${ratio} | ${r.note ?? ""} |`);
    }
  }
}

await main();
// Suites leave what they measured running (the policy check's sandbox workers, a simulator's timers): the table is
// complete, so end here rather than wait for them.
process.exit(process.exitCode ?? 0);
