import { readFileSync } from "node:fs";
import { runConformanceCases } from "../../src/render/conformance.js";
import type { ConformanceCase } from "../../src/render/conformance.js";

/**
 * Kustomize's krusty cases (test/fixtures/kustomize-conformance/cases.json), rendered in input order and compared as
 * data. Fails on a failure conformance/kustomize-known-failures.json does not list, and on a listed case that passes
 * (shrink the list).
 */
const cases = (JSON.parse(readFileSync("test/fixtures/kustomize-conformance/cases.json", "utf8")) as { cases: ConformanceCase[] }).cases;
const known = (JSON.parse(readFileSync("conformance/kustomize-known-failures.json", "utf8")) as { cases: Record<string, string> }).cases;

test("the fixture holds Kustomize's 143 cases", () => {
  expect(cases).toHaveLength(143);
  expect(new Set(cases.map((c) => c.name)).size).toBe(143);
});

test("every case passes or is a known failure with a reason", () => {
  const report = runConformanceCases(cases);
  const unexpected = report.outcomes.filter((o) => !o.passed && !(o.name in known)).map((o) => `${o.name}: ${o.detail ?? ""}`);
  const fixed = report.outcomes.filter((o) => o.passed && o.name in known).map((o) => o.name);
  const unknownNames = Object.keys(known).filter((n) => !cases.some((c) => c.name === n));
  expect(unexpected).toEqual([]);
  expect(fixed).toEqual([]);
  expect(unknownNames).toEqual([]);
  for (const reason of Object.values(known)) expect(reason.length).toBeGreaterThan(10);
  console.log(`kustomize conformance: ${report.passed} passed, ${report.failed} failed`);
}, 120_000);
