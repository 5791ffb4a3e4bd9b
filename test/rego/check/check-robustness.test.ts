/**
 * Bad input never crashes the checks: mutated conformance modules that still parse are checked without
 * internal errors, and every diagnostic points into its file.
 */
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import type { Module } from "../../../src/rego/parser/nodes.js";
import { checkModules } from "../../../src/rego/check/check-modules.js";
import { readConformanceModules } from "./conformance-modules.js";
import { seededRandom as rng } from "../../../bench/seeded-random.js";


const MUTATIONS: Array<(lines: string[], r: () => number) => string[]> = [
  // drop a line
  (l, r) => l.filter((_, i) => i !== Math.floor(r() * l.length)),
  // duplicate a line
  (l, r) => {
    const i = Math.floor(r() * l.length);
    return [...l.slice(0, i + 1), l[i] ?? "", ...l.slice(i + 1)];
  },
  // rename one identifier occurrence to another one of the module
  (l, r) => {
    const text = l.join("\n");
    const ids = [...new Set(text.match(/\b[a-z_][a-z0-9_]*\b/g) ?? [])];
    if (ids.length < 2) return l;
    const a = ids[Math.floor(r() * ids.length)]!;
    const b = ids[Math.floor(r() * ids.length)]!;
    return text.replace(new RegExp(`\\b${a}\\b`), b).split("\n");
  },
  // turn := into = and = into :=
  (l) => l.map((x) => (x.includes(":=") ? x.replace(":=", "=") : x.replace(/(\w) = /, "$1 := "))),
];

const cases = readConformanceModules();
const maybe = cases ? it : it.skip;

describe("compile checks on bad input", () => {
  it("accept an empty program", () => {
    const r = checkModules([]);
    expect(r.diagnostics).toEqual([]);
    expect(r.program?.rules).toEqual([]);
  });

  maybe("never fail internally on mutated modules", () => {
    const r = rng(20261126);
    let checked = 0;
    let rejected = 0;
    for (const c of cases!.filter((_, i) => i % 4 === 0)) {
      const mutate = MUTATIONS[Math.floor(r() * MUTATIONS.length)]!;
      const modules: Module[] = [];
      let parsed = true;
      c.modules.forEach((text, i) => {
        const mutated = i === 0 ? mutate(text.split("\n"), r).join("\n") : text;
        const p = parseModule(mutated, { file: `test-${i}.rego`, regoVersion: "v1" });
        if (p.module && p.diagnostics.length === 0) modules.push(p.module);
        else parsed = false;
      });
      if (!parsed) continue;
      const { program, diagnostics } = checkModules(modules);
      checked++;
      if (diagnostics.length > 0) rejected++;
      if (process.env.SHOW_REJECTED && diagnostics.length > 0) console.log(diagnostics.map((d) => d.message).join(" | "));
      expect(program === undefined).toBe(diagnostics.length > 0);
      for (const d of diagnostics) {
        expect(d.message).not.toMatch(/internal error/);
        expect(d.span.file).toMatch(/^test-\d+\.rego$/);
        expect(d.span.start.line).toBeGreaterThanOrEqual(1);
      }
    }
    console.log(`robustness: ${checked} mutated programs checked, ${rejected} rejected with diagnostics`);
    expect(checked).toBeGreaterThan(150);
    expect(rejected).toBeGreaterThan(10);
  });
});
