import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readConformanceCases, type ConformanceCase } from "../../../src/cli/conformance/read-cases.js";
import { formatModule } from "../../../src/rego/ast/format-module.js";
import { stripSpans } from "../../../src/rego/ast/strip-spans.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import { parseQuery } from "../../../src/rego/parser/parse-query.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/opa-conformance");
const present = existsSync(join(root, "v1"));

if (!present) {
  describe("OPA conformance corpus", () => {
    it.skip(`skipped: ${root} is absent (the shared OPA conformance cases are not checked out)`, () => undefined);
  });
} else {
  describe("OPA conformance corpus", () => {
    let cases: ConformanceCase[] = [];

    beforeAll(async () => {
      const r = await readConformanceCases([join(root, "v1"), join(root, "v1-supplement")]);
      expect(r.problems).toEqual([]);
      cases = r.cases;
    });

    it("every module parses without diagnostics and round-trips through the printer", () => {
      let modules = 0;
      const failures: string[] = [];
      const roundTrip: string[] = [];
      for (const c of cases) {
        c.modules.forEach((text, i) => {
          modules++;
          const file = `test-${i}.rego`;
          const r = parseModule(text, { file });
          if (!r.module || r.diagnostics.length > 0) {
            failures.push(`${c.note}: ${r.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`).join("; ")}`);
            return;
          }
          const printed = formatModule(r.module);
          const again = parseModule(printed, { file });
          const a = JSON.stringify(stripSpans(r.module));
          if (again.diagnostics.length > 0 || !again.module || JSON.stringify(stripSpans(again.module)) !== a) {
            roundTrip.push(c.note);
          }
        });
      }
      const ok = modules - failures.length;
      console.log(`conformance modules parsed: ${ok}/${modules} (${((100 * ok) / Math.max(1, modules)).toFixed(2)}%), round-trip failures: ${roundTrip.length}`);
      expect(modules).toBeGreaterThan(2000);
      expect(failures.slice(0, 20)).toEqual([]);
      expect(roundTrip.slice(0, 20)).toEqual([]);
    });

    it("every query parses", () => {
      const failures = cases
        .map((c) => ({ c, r: parseQuery(c.query) }))
        .filter(({ r }) => r.diagnostics.length > 0 || !r.query)
        .map(({ c, r }) => `${c.note}: ${c.query}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
      expect(failures).toEqual([]);
    });
  });
}
