import type { GatorCaseRun, GatorSuite } from "./gator-types.js";
import { judgeGatorCase } from "./judge-gator-case.js";

export interface GatorReport {
  lines: string[];
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Runs the verdicts of a suite's cases (given what the evaluator found for each) and writes a gator-verify-like
 * report: `=== RUN`/`--- PASS`/`--- FAIL`/`--- SKIP` per test and case, the failure reasons indented, `ok` or `FAIL`
 * with the suite file, and a last line `N passed, M failed`. A case with no run recorded fails.
 */
export function formatGatorReport(suites: readonly { suite: GatorSuite; runs: readonly GatorCaseRun[] }[]): GatorReport {
  const report: GatorReport = { lines: [], passed: 0, failed: 0, skipped: 0 };
  for (const { suite, runs } of suites) {
    let suiteFailed = false;
    for (const test of suite.tests) {
      report.lines.push(`=== RUN   ${test.name}`);
      let testFailed = false;
      for (const c of test.cases) {
        report.lines.push(`    === RUN   ${c.name}`);
        const run = runs.find((r) => r.test === test.name && r.case === c.name);
        if (suite.skip || test.skip || c.skip || run?.skipped === true) {
          report.lines.push(`    --- SKIP: ${c.name}`);
          report.skipped++;
          continue;
        }
        let failures: string[];
        if (run === undefined) failures = ["no result was recorded for this case"];
        else if (run.error !== undefined) failures = [run.error];
        else failures = judgeGatorCase(c.assertions, run.violations ?? []).failures;
        if (failures.length === 0) {
          report.lines.push(`    --- PASS: ${c.name}`);
          report.passed++;
        } else {
          report.lines.push(`    --- FAIL: ${c.name}`);
          for (const f of failures) report.lines.push(`        ${f}`);
          report.failed++;
          testFailed = true;
        }
      }
      report.lines.push(`--- ${testFailed ? "FAIL" : "PASS"}: ${test.name}`);
      if (testFailed) suiteFailed = true;
    }
    report.lines.push(`${suiteFailed ? "FAIL" : "ok"}\t${suite.file}`);
  }
  report.lines.push(`${report.passed} passed, ${report.failed} failed`);
  return report;
}
