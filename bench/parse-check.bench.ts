/**
 * Issue 3's figure: parse and check about 3,500 lines of policy (a full library's size), built from the
 * OPA conformance modules (the module sets of the cases, compiled set by set). Baseline in the same
 * process: `JSON.parse` of the parser's own output (the AST as JSON), i.e. building the same trees
 * from the fastest parser V8 has.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readConformanceCases } from "../src/cli/conformance/read-cases.js";
import { checkModules } from "../src/rego/check/check-modules.js";
import { parseModule } from "../src/rego/parser/parse-module.js";
import type { Module } from "../src/rego/parser/nodes.js";
import { type BenchSuite, medianMs } from "./bench-suite.js";

const SHARED = join(import.meta.dirname, "..", "..", "..", "shared", "opa-conformance");

/** Cases' module sets, taken in order until `lines` lines are reached; each set stays a unit (they compile together). */
async function librarySized(lines: number): Promise<Array<{ file: string; text: string }[]>> {
  const { cases } = await readConformanceCases([join(SHARED, "v1")]);
  const sets: Array<{ file: string; text: string }[]> = [];
  let total = 0;
  for (const c of cases) {
    if (!c.modules?.length || c.want_error !== undefined || c.want_error_code !== undefined) continue;
    const set = c.modules.map((text, i) => ({ file: `${c.note}/test-${i}.rego`, text }));
    sets.push(set);
    total += set.reduce((n, m) => n + m.text.split("\n").length, 0);
    if (total >= lines) break;
  }
  return sets;
}

export const parseCheckSuite: BenchSuite = {
  name: "rego front end",
  async run() {
    if (!existsSync(SHARED)) throw new Error(`${SHARED} is absent`);
    const sets = await librarySized(3500);
    const lineCount = sets.flat().reduce((n, m) => n + m.text.split("\n").length, 0);
    const parseAll = (): Module[][] =>
      sets.map((set) => set.map((m) => parseModule(m.text, { file: m.file, regoVersion: "v1" }).module).filter((m): m is Module => m !== undefined));
    const parseMs = await medianMs(parseAll);
    const checkMs = await medianMs(() => {
      for (const mods of parseAll()) checkModules(mods);
    });
    const json = JSON.stringify(parseAll());
    const baselineMs = await medianMs(() => JSON.parse(json), 31, 5);
    return [
      { name: `parse ${lineCount} lines (${sets.length} module sets)`, value: parseMs, unit: "ms", ratio: parseMs / baselineMs, baseline: "JSON.parse of the AST" },
      { name: `parse + check ${lineCount} lines`, value: checkMs, unit: "ms", ratio: checkMs / baselineMs, baseline: "JSON.parse of the AST", note: "goal < 100 ms" },
    ];
  },
};
