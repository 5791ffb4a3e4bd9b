/**
 * Benchmark: parse and check about 3,500 lines of Rego compiled together (conformance modules, each moved
 * to its own package so they do not conflict). `measureCheck()` returns the timings; the test in
 * bench/front-end.bench.ts runs it.
 */
import { parseModule } from "../src/rego/parser/parse-module.js";
import type { Module } from "../src/rego/parser/nodes.js";
import { checkModules, timeCheckStages } from "../src/rego/check/check-modules.js";
import { readConformanceModules } from "../test/rego/check/conformance-modules.js";

export interface CheckBenchResult {
  modules: number;
  lines: number;
  /** Wall-clock milliseconds of the best run (the one with the lowest CPU time). */
  parseMs: number;
  checkMs: number;
  totalMs: number;
  /**
   * CPU milliseconds (user + system) of this process for the best run: parse, check, total. On a shared,
   * loaded machine this is the figure that measures our code rather than the wait for a core.
   */
  parseCpuMs: number;
  checkCpuMs: number;
  totalCpuMs: number;
  /** CPU milliseconds per check stage (a separate staged run after the best one). */
  stageMs: Record<string, number>;
  runs: number;
}

/** Builds the benchmark corpus: single-module conformance cases, renamed into `package bench.cN.…`. */
export function benchCorpus(targetLines = 3500): string[] | undefined {
  const cases = readConformanceModules();
  if (!cases) return undefined;
  const out: string[] = [];
  let lines = 0;
  for (const [i, c] of cases.entries()) {
    if (c.modules.length !== 1) continue;
    const text = c.modules[0]!;
    const m = /^package\s+([A-Za-z_][\w.]*)/m.exec(text);
    if (!m) continue;
    const pkg = m[1]!;
    const renamed = text
      .replace(/^package\s+[A-Za-z_][\w.]*/m, `package bench.c${i}.${pkg}`)
      .replaceAll(`data.${pkg}.`, `data.bench.c${i}.${pkg}.`)
      .replaceAll(`data.${pkg}[`, `data.bench.c${i}.${pkg}[`);
    const parsed = parseModule(renamed, { file: `c${i}.rego`, regoVersion: "v1" });
    if (!parsed.module || parsed.diagnostics.length > 0) continue;
    if (checkModules([parsed.module]).diagnostics.length > 0) continue;
    out.push(renamed);
    lines += renamed.split("\n").length;
    if (lines >= targetLines) break;
  }
  return out;
}

/** Parses and checks the corpus `runs` times (after three warm-up runs) and keeps the best timings. */
export function measureCheck(runs = 5, targetLines = 3500): CheckBenchResult | undefined {
  const corpus = benchCorpus(targetLines);
  if (!corpus) return undefined;
  const lines = corpus.reduce((n, t) => n + t.split("\n").length, 0);
  let best: CheckBenchResult | undefined;
  const warmup = 3;
  for (let run = 0; run < warmup + runs; run++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const modules: Module[] = corpus.map((text, i) => parseModule(text, { file: `m${i}.rego`, regoVersion: "v1" }).module!);
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const result = checkModules(modules);
    const t2 = performance.now();
    const c2 = process.cpuUsage();
    if (result.diagnostics.length > 0) throw new Error(`bench corpus does not check: ${result.diagnostics[0]!.message}`);
    if (run < warmup) continue;
    const r: CheckBenchResult = {
      modules: corpus.length,
      lines,
      parseMs: t1 - t0,
      checkMs: t2 - t1,
      totalMs: t2 - t0,
      parseCpuMs: cpuMs(c0, c1),
      checkCpuMs: cpuMs(c1, c2),
      totalCpuMs: cpuMs(c0, c2),
      stageMs: {},
      runs,
    };
    if (!best || r.totalCpuMs < best.totalCpuMs) {
      r.stageMs = timeCheckStages(modules);
      best = r;
    }
  }
  return best;
}

function cpuMs(a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number {
  return (b.user - a.user + (b.system - a.system)) / 1000;
}
