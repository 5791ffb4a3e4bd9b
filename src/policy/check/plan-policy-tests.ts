/**
 * The `fleetward/policy-tests` check run: the policies' own unit tests, run on the pull request's head. Two kinds:
 * Rego `test_*` rules (`opa test` semantics: the Conftest folder is one test run, compiled as a whole; `.rego` files
 * elsewhere under the Gatekeeper folders run per directory, as `opa test <dir>`), and gator verify Suites found in the
 * Gatekeeper files. Failure when a test fails, errors or does not compile; neutral when there are no tests.
 */
import { posix } from "node:path";
import { minimatch } from "minimatch";
import type { CheckAnnotation, CheckRunPlan } from "../../checks/check-run-plan.js";
import type { PoliciesConfig } from "../../config/policy-schema.js";
import { GLOB_OPTIONS } from "../../fleet/check-glob.js";
import { createTemplateEvaluator } from "../gatekeeper/compile-template.js";
import { isConstraintTemplateDocument, parseConstraintTemplate } from "../gatekeeper/parse-constraint-template.js";
import { formatGatorReport } from "../gator/format-gator-report.js";
import type { GatorCaseRun, GatorSuite } from "../gator/gator-types.js";
import { isGatorSuiteDocument, parseGatorSuite } from "../gator/parse-gator-suite.js";
import { runGatorSuite } from "../gator/run-gator-suite.js";
import { loadManifestFile } from "../manifests/load-manifest-file.js";
import { runRegoTests, type RegoTestResult } from "../rego-tests/run-rego-tests.js";
import { type EffectsPolicy, findRefusedEffects, serverEffectsPolicy } from "./effectful-builtins.js";
import { isPolicyPath } from "./collect-policy-sources.js";
import { POLICY_TESTS_CHECK_NAME } from "./check-names.js";

export { POLICY_TESTS_CHECK_NAME };

export interface PlanPolicyTestsInput {
  policies: PoliciesConfig;
  headSha: string;
  /** The head's files under the policy paths (`isPolicyPath`), path → text. */
  files: ReadonlyMap<string, string>;
  /** Which builtins with effects the tests may call; default: the server's setting (a group calling a refused one is not run). */
  effects?: EffectsPolicy;
}

interface Problem {
  file: string;
  line: number;
  message: string;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** The Rego test runs: the Conftest folder as one, other `.rego` files grouped by directory. */
export function regoTestGroups(policies: PoliciesConfig, files: ReadonlyMap<string, string>): Array<{ name: string; modules: Array<{ file: string; text: string }> }> {
  const dir = policies.conftest.dir.replace(/\/+$/, "");
  const policy = isPolicyPath(policies);
  const groups = new Map<string, Array<{ file: string; text: string }>>();
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!file.endsWith(".rego") || !policy(file)) continue;
    const group = file.startsWith(`${dir}/`) ? dir : posix.dirname(file);
    groups.set(group, [...(groups.get(group) ?? []), { file, text }]);
  }
  return [...groups]
    .filter(([, modules]) => modules.some((m) => m.file.endsWith("_test.rego")))
    .map(([name, modules]) => ({ name, modules }));
}

/** The refused builtins with effects in the commit's ConstraintTemplates (at the template's line). */
function templatesWithRefusedEffects(files: ReadonlyMap<string, string>, effects: EffectsPolicy): Array<{ code: string; message: string; file: string; line: number }> {
  if (effects.allowEffects) return [];
  const out: Array<{ code: string; message: string; file: string; line: number }> = [];
  for (const [path, content] of files) {
    if (!/\.ya?ml$/i.test(path)) continue;
    for (const doc of loadManifestFile({ path, content }).documents) {
      const template = isConstraintTemplateDocument(doc.value) ? parseConstraintTemplate(doc).template : undefined;
      if (template === undefined) continue;
      for (const text of [template.rego, ...template.libs]) {
        for (const e of findRefusedEffects({ file: path, text }, effects, template.regoVersion)) {
          out.push({ code: e.code, message: `template ${template.name} (Rego line ${e.line}): ${e.message}`, file: path, line: template.line });
        }
      }
    }
  }
  return out;
}

export async function planPolicyTests(input: PlanPolicyTestsInput): Promise<CheckRunPlan> {
  const problems: Problem[] = [];
  const rego: RegoTestResult[] = [];
  const effects = input.effects ?? serverEffectsPolicy();
  const groups = regoTestGroups(input.policies, input.files);
  for (const g of groups) {
    const refused = g.modules.flatMap((m) => findRefusedEffects(m, effects));
    for (const e of refused) problems.push({ file: e.file, line: e.line, message: `${e.code}: ${e.message}` });
    if (refused.length > 0) continue;
    const r = runRegoTests({ modules: g.modules });
    rego.push(...r.results);
    for (const d of r.diagnostics) problems.push({ file: d.span.file, line: d.span.start.line, message: `${d.code}: ${d.message}` });
  }

  const suites: GatorSuite[] = [];
  for (const [path, content] of input.files) {
    if (!input.policies.gatekeeper.paths.some((g) => minimatch(path, g, GLOB_OPTIONS))) continue;
    for (const doc of loadManifestFile({ path, content }).documents) {
      if (!isGatorSuiteDocument(doc.value)) continue;
      const parsed = parseGatorSuite(doc);
      for (const d of parsed.diagnostics) problems.push({ file: d.file, line: d.line, message: `${d.code}: ${d.message}` });
      if (parsed.suite !== undefined) suites.push(parsed.suite);
    }
  }
  suites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // A suite may name any template of the commit: one refused builtin with effects in any of them runs no suite.
  const refusedTemplates = templatesWithRefusedEffects(input.files, effects);
  for (const e of refusedTemplates) problems.push({ file: e.file, line: e.line, message: `${e.code}: ${e.message}` });
  if (refusedTemplates.length > 0) suites.length = 0;
  const evaluate = createTemplateEvaluator();
  const gatorRuns: Array<{ suite: GatorSuite; runs: GatorCaseRun[] }> = [];
  for (const suite of suites) gatorRuns.push({ suite, runs: await runGatorSuite(suite, (p) => input.files.get(p), evaluate) });
  const gator = formatGatorReport(gatorRuns);

  const count = (o: RegoTestResult["outcome"]) => rego.filter((t) => t.outcome === o).length;
  const regoFailed = count("fail") + count("error");
  const failed = regoFailed + gator.failed + problems.length;
  const total = rego.length + gator.passed + gator.failed + gator.skipped;

  const annotations: CheckAnnotation[] = [
    ...problems.map((p): CheckAnnotation => ({ path: p.file, startLine: p.line, endLine: p.line, level: "failure", title: "policy test problem", message: p.message })),
    ...rego
      .filter((t) => t.outcome === "fail" || t.outcome === "error")
      .map((t): CheckAnnotation => ({ path: t.file, startLine: t.line, endLine: t.line, level: "failure", title: `${t.name} ${t.outcome === "fail" ? "failed" : "errored"}`, message: t.message ?? t.outcome })),
  ];
  const lines = [
    `Unit tests of the policies at this commit: Rego ${count("pass")} passed, ${regoFailed} failed, ${count("skip")} skipped` +
      ` (${groups.length} run${groups.length === 1 ? "" : "s"}); gator ${gator.passed} passed, ${gator.failed} failed (${suites.length} suite${suites.length === 1 ? "" : "s"}).`,
  ];
  const bad = rego.filter((t) => t.outcome === "fail" || t.outcome === "error");
  if (problems.length > 0 || bad.length > 0) {
    lines.push("", "| Where | Test | Result |", "| --- | --- | --- |");
    for (const p of problems) lines.push(`| \`${escapeCell(p.file)}:${p.line}\` | — | ${escapeCell(p.message)} |`);
    for (const t of bad) lines.push(`| \`${escapeCell(t.file)}:${t.line}\` | ${escapeCell(t.name)} | ${t.outcome}: ${escapeCell(t.message ?? "")} |`);
  }
  const text = suites.length > 0 ? ["gator verify:", "```", ...gator.lines, "```"].join("\n") : undefined;
  return {
    name: POLICY_TESTS_CHECK_NAME,
    headSha: input.headSha,
    conclusion: failed > 0 ? "failure" : total === 0 ? "neutral" : "success",
    title: failed > 0 ? `${failed} policy test${failed === 1 ? "" : "s"} failed` : total === 0 ? "No policy tests found" : `${total - count("skip") - gator.skipped} policy tests passed`,
    summary: lines.join("\n"),
    ...(text !== undefined ? { text } : {}),
    annotations,
  };
}
