import { formatDiagnostic } from "../../../src/rego/diagnostics.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import type { Module } from "../../../src/rego/parser/nodes.js";
import { checkModules } from "../../../src/rego/check/check-modules.js";
import { readConformanceModules, CONFORMANCE_DIR } from "./conformance-modules.js";

const cases = readConformanceModules();
const maybe = cases ? describe : describe.skip;
if (!cases) console.warn(`skipping conformance module checks: ${CONFORMANCE_DIR} is absent`);

maybe("compile checks on the OPA conformance modules", () => {
  it("accept every module of every case (they are valid v1 modules)", () => {
    const failures: string[] = [];
    let passed = 0;
    let parseFailures = 0;
    for (const c of cases!) {
      const modules: Module[] = [];
      let parsed = true;
      c.modules.forEach((text, i) => {
        const r = parseModule(text, { file: `test-${i}.rego`, regoVersion: "v1" });
        if (!r.module || r.diagnostics.length > 0) parsed = false;
        else modules.push(r.module);
      });
      if (!parsed) {
        parseFailures++;
        continue;
      }
      const { program, diagnostics } = checkModules(modules);
      if (program && diagnostics.length === 0) passed++;
      else failures.push(`${c.id}\n  ${diagnostics.map(formatDiagnostic).join("\n  ")}`);
    }
    const total = cases!.length - parseFailures;
    console.log(`conformance checks: ${passed}/${total} cases pass (${parseFailures} skipped: parse errors)`);
    if (failures.length > 0) console.log(failures.slice(0, 40).join("\n"));
    expect(failures).toEqual([]);
    expect(passed).toBe(total);
  });
});
