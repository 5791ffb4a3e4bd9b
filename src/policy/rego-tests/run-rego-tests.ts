/**
 * `opa test` semantics on Fleetward's engine: every rule whose name starts with `test_` (not a function) is a test;
 * it passes when it evaluates to `true`, fails when it is undefined or has another value, and is an error when
 * evaluation fails. Rules starting with `todo_test_` are skipped. All modules of one run are compiled together (as
 * `opa test <dir>` does), with one entrypoint per test. Never throws: parse and compile errors are returned.
 */
import { compile } from "../../rego/compile.js";
import type { Diagnostic } from "../../rego/diagnostics.js";
import { CompiledPolicy, PolicyEvalError } from "../../rego/evaluator/compiled-policy.js";
import { packagePath, ruleName } from "../../rego/ast/ref-path.js";
import type { RegoVersion } from "../../rego/parser/nodes.js";
import { parseModule } from "../../rego/parser/parse-module.js";
import { enterEvaluationStep } from "../evaluation-step.js";

export type RegoTestOutcome = "pass" | "fail" | "error" | "skip";

export interface RegoTestResult {
  /** `data.<package>.<rule>`, as `opa test` names a test. */
  name: string;
  file: string;
  line: number;
  outcome: RegoTestOutcome;
  /** Why it failed or errored. */
  message?: string;
  /** How long its evaluation took (absent for skipped tests). */
  durationMs?: number;
}

export interface RunRegoTestsResult {
  results: RegoTestResult[];
  diagnostics: Diagnostic[];
}

export function runRegoTests(request: {
  modules: readonly { file: string; text: string }[];
  regoVersion?: RegoVersion;
  /** The `data` document besides the modules' rules (`opa test`'s data files); none by default. */
  data?: Record<string, unknown>;
}): RunRegoTestsResult {
  const regoVersion = request.regoVersion ?? "v1";
  const tests = new Map<string, { entrypoint: string; file: string; line: number; skip: boolean }>();
  const diagnostics: Diagnostic[] = [];
  for (const m of request.modules) {
    const parsed = parseModule(m.text, { file: m.file, regoVersion });
    diagnostics.push(...parsed.diagnostics);
    if (parsed.module === undefined) continue;
    const pkg = packagePath(parsed.module.package).slice(1);
    for (const rule of parsed.module.rules) {
      const name = ruleName(rule);
      const skip = name.startsWith("todo_test_");
      if ((!name.startsWith("test_") && !skip) || (rule.head.args?.length ?? 0) > 0) continue;
      const key = [...pkg, name].join(".");
      if (!tests.has(key)) tests.set(key, { entrypoint: [...pkg, name].join("/"), file: m.file, line: rule.span.start.line, skip });
    }
  }
  if (diagnostics.length > 0) return { results: [], diagnostics };
  const run = [...tests].filter(([, t]) => !t.skip);
  const results: RegoTestResult[] = [];
  let policy: CompiledPolicy | undefined;
  if (run.length > 0) {
    enterEvaluationStep("compiling the tests", request.modules[0]?.file ?? "", 1);
    const compiled = compile({ modules: [...request.modules], entrypoints: run.map(([, t]) => t.entrypoint), regoVersion });
    if (compiled.wasm === undefined) return { results: [], diagnostics: compiled.diagnostics };
    try {
      policy = CompiledPolicy.loadSync(compiled.wasm);
      if (request.data !== undefined) policy.setData(request.data);
    } catch (e) {
      const pos = { offset: 0, line: 1, column: 1 };
      const file = request.modules[0]?.file ?? "";
      return { results: [], diagnostics: [{ code: "rego_compile_error", message: `the compiled tests do not load: ${String(e)}`, span: { file, start: pos, end: pos } }] };
    }
  }
  for (const [key, t] of tests) {
    const base = { name: `data.${key}`, file: t.file, line: t.line };
    if (t.skip || policy === undefined) {
      results.push({ ...base, outcome: "skip" });
      continue;
    }
    try {
      enterEvaluationStep(`test ${base.name}`, t.file, t.line);
      const started = performance.now();
      const rs = policy.evaluate(t.entrypoint);
      const timed = { ...base, durationMs: performance.now() - started };
      const value = rs[0]?.result;
      if (value === true) results.push({ ...timed, outcome: "pass" });
      else results.push({ ...timed, outcome: "fail", message: value === undefined ? "undefined" : `value ${JSON.stringify(value)}` });
    } catch (e) {
      const err = e instanceof PolicyEvalError ? e : new PolicyEvalError("eval_internal_error", String(e));
      results.push({ ...base, outcome: "error", message: `${err.code}: ${err.message}` });
    }
  }
  return { results, diagnostics: [] };
}
