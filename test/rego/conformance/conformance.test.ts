import { readFileSync } from "node:fs";
import { runConformance, type ConformanceReport } from "../../../src/cli/conformance/run-conformance.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

/**
 * The whole OPA conformance suite, tiers A, B and C, from the copy in the repository
 * (test/fixtures/opa-conformance, see SOURCE.md there). Fails when a case fails that
 * conformance/known-failures.json does not list, when a listed case passes (shrink the list), when the list names a
 * case that does not exist, or when a case of the index did not run.
 */
const CASES = "test/fixtures/opa-conformance";

interface IndexEntry {
  note: string;
  tier: string;
}

let report: ConformanceReport;
let known: Record<string, string>;

beforeAll(async () => {
  ensureRuntimeBuilt();
  known = JSON.parse(readFileSync("conformance/known-failures.json", "utf8")) as Record<string, string>;
  report = await runConformance([`${CASES}/v1`, `${CASES}/v1-supplement`], { knownFailures: known });
  const lines = Object.entries(report.byTier).sort().map(([tier, t]) => `tier ${tier}: ${t.passed} passed, ${t.failed} failed`);
  console.log(`OPA conformance: ${lines.join("; ")}`);
}, 900_000);

test("every case reads", () => {
  expect(report.problems).toEqual([]);
});

test("every failure is a known failure, and no known failure passes", () => {
  expect(report.unexpectedFailures).toEqual([]);
  expect(report.fixedKnownFailures).toEqual([]);
});

test("the known-failures list names existing cases only, each with a reason", () => {
  const notes = new Set(report.outcomes.map((o) => o.note));
  expect(Object.keys(known).filter((note) => !notes.has(note))).toEqual([]);
  expect(Object.entries(known).filter(([, reason]) => reason.trim().length < 10)).toEqual([]);
});

test("every indexed case ran in its tier (none skipped)", () => {
  const index = JSON.parse(readFileSync(`${CASES}/cases-index.json`, "utf8")) as IndexEntry[];
  const ran = new Map<string, number>();
  for (const o of report.outcomes) ran.set(`${o.tier} ${o.note}`, (ran.get(`${o.tier} ${o.note}`) ?? 0) + 1);
  expect(index.filter((e) => (ran.get(`${e.tier} ${e.note}`) ?? 0) === 0).map((e) => e.note)).toEqual([]);
  for (const tier of ["A", "B", "C"]) {
    const t = report.byTier[tier];
    expect(t && t.passed + t.failed).toBeGreaterThanOrEqual(index.filter((e) => e.tier === tier).length);
  }
});
