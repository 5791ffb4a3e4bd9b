/**
 * Issue 4's compile figures: each bundled library policy compiled cold (parse → check → plan → Wasm → link),
 * and a ~3,500-line library of ~50 policies compiled in one go. CPU time is the figure on a shared machine.
 * Baseline in the same process: parse + check of the same modules (the ratio is what planning, code
 * generation and linking add).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkModules } from "../src/rego/check/check-modules.js";
import { compile } from "../src/rego/compile.js";
import type { Module } from "../src/rego/parser/nodes.js";
import { parseModule } from "../src/rego/parser/parse-module.js";
import type { BenchSuite } from "./bench-suite.js";

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function libraryPolicies(): Array<{ name: string; file: string; text: string }> {
  const root = join(import.meta.dirname, "..", "..", "policies", "library");
  const out: Array<{ name: string; file: string; text: string }> = [];
  for (const dir of readdirSync(root).sort()) {
    for (const f of readdirSync(join(root, dir)).sort()) {
      if (f.endsWith(".rego") && !f.endsWith("_test.rego")) out.push({ name: f.replace(/\.rego$/, ""), file: f, text: readFileSync(join(root, dir, f), "utf8") });
    }
  }
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export const compileSuite: BenchSuite = {
  name: "rego compile",
  async run() {
    const base = libraryPolicies();
    // Per policy, cold: a unique comment defeats the compile cache.
    const per: number[] = [];
    const perFront: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const p of base) {
        const text = `${p.text}\n# ${round}-${Math.random()}\n`;
        let t0 = cpuMs();
        const r = compile({ modules: [{ file: p.file, text }], entrypoints: [`${p.name}/violation`] });
        per.push(cpuMs() - t0);
        if (!r.wasm) throw new Error(`${p.file}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
        t0 = cpuMs();
        const m = parseModule(text, { file: p.file }).module;
        if (m) checkModules([m]);
        perFront.push(cpuMs() - t0);
      }
    }
    // A library of ~3,500 lines: the policies renamed into as many packages as needed.
    const modules: Array<{ file: string; text: string }> = [];
    const entrypoints: string[] = [];
    let lines = 0;
    for (let copy = 0; lines < 3500; copy++) {
      for (const p of base) {
        const pkg = `${p.name}_${copy}`;
        const text = p.text.replace(/^package .*$/m, `package ${pkg}`) + `\n# ${Math.random()}\n`;
        modules.push({ file: `${pkg}.rego`, text });
        entrypoints.push(`${pkg}/violation`);
        lines += text.split("\n").length;
      }
    }
    let t0 = cpuMs();
    const w0 = performance.now();
    const lib = compile({ modules, entrypoints });
    const libCpu = cpuMs() - t0;
    const libWall = performance.now() - w0;
    if (!lib.wasm) throw new Error("library failed to compile");
    t0 = cpuMs();
    checkModules(modules.map((m) => parseModule(m.text, { file: m.file }).module).filter((m): m is Module => m !== undefined));
    const libFront = cpuMs() - t0;
    return [
      { name: `one library policy, cold (median of ${per.length})`, value: median(per), unit: "ms CPU", ratio: median(per) / median(perFront), baseline: "parse + check alone", note: "goal < 50 ms" },
      { name: `${lines}-line library, ${modules.length} policies, cold`, value: libCpu, unit: "ms CPU", ratio: libCpu / libFront, baseline: "parse + check alone", note: "goal < 2 s in all" },
      { name: `${lines}-line library, wall`, value: libWall, unit: "ms" },
      { name: "library module size", value: lib.wasm.length / 1024, unit: "KiB" },
    ];
  },
};
