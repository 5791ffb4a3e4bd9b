/**
 * The compile checks: `checkModules` runs the ordered, named stages of `CHECK_STAGES` over a set of parsed
 * modules (compiled together, like OPA's compiler) and returns the `CheckedProgram` the planner consumes,
 * or diagnostics. As in OPA, the stages stop after the first one that reports an error (each stage reports
 * all the errors it finds). Bad input never throws: an unexpected internal failure becomes a `rego_compile_error`.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Module } from "../parser/nodes.js";
import { CheckContext, type GroupState, type RuleState } from "./check-context.js";
import type { CheckedProgram, CheckedRule, CheckOptions, FunctionSignature, RuleGroup } from "./checked-program.js";
import { resolveRefsStage } from "./stage-resolve-refs.js";
import { rewriteLocalsStage } from "./stage-rewrite-locals.js";
import { ruleIndexStage } from "./stage-rule-index.js";
import { ruleConflictsStage } from "./stage-rule-conflicts.js";
import { recursionStage } from "./stage-recursion.js";
import { safetyStage } from "./stage-safety.js";
import { callsStage } from "./stage-calls.js";
import { regoMetadataStage } from "./stage-rego-metadata.js";
import { scopesStage } from "./stage-scopes.js";
import { typesStage } from "./stage-types.js";
import { refStringPath } from "./term-utils.js";
import { T_ANY } from "../builtins/rego-type.js";

export interface CheckStage {
  /** Stable name, used in timings and tests. */
  name: string;
  run: (ctx: CheckContext) => void;
  /**
   * Runs even after an earlier stage failed: the stage only reads the source and explains earlier
   * diagnostics (the scopes stage adds where an out-of-scope variable was declared to unsafe-var errors).
   */
  runsAfterErrors?: boolean;
}

/** The stages, in the order they run (each one reads what the earlier ones produced). */
export const CHECK_STAGES: readonly CheckStage[] = Object.freeze([
  { name: "resolve-refs", run: resolveRefsStage },
  { name: "rewrite-locals", run: rewriteLocalsStage },
  { name: "rego-metadata", run: regoMetadataStage },
  { name: "rule-index", run: ruleIndexStage },
  { name: "rule-conflicts", run: ruleConflictsStage },
  { name: "recursion", run: recursionStage },
  { name: "safety", run: safetyStage },
  { name: "calls", run: callsStage },
  { name: "scopes", run: scopesStage, runsAfterErrors: true },
  { name: "types", run: typesStage },
]);

export interface CheckResult {
  /** Present when there are no diagnostics. */
  program?: CheckedProgram;
  diagnostics: Diagnostic[];
}

/**
 * Checks modules compiled together. `modules` come from `parseModule`; each keeps the file name its spans
 * carry. Diagnostics are sorted by file, line and column.
 */
export function checkModules(modules: readonly Module[], opts: CheckOptions = {}): CheckResult {
  const ctx = new CheckContext(opts);
  for (const m of modules) {
    const pkgPath = m.package.path.type === "Var" ? [m.package.path.name] : (refStringPath(m.package.path) ?? []);
    ctx.modules.push({
      file: m.span.file,
      source: m,
      pkg: ["data", ...pkgPath],
      imports: [],
      aliases: new Map(),
      v1: m.v1Syntax,
    });
  }
  try {
    // Like OPA's compiler, stop after the first stage that found errors: later stages assume the invariants
    // earlier ones establish (resolved names, safe variables) and would only add noise. Stages that explain
    // earlier errors still run.
    for (const stage of CHECK_STAGES) {
      if (ctx.failed && !stage.runsAfterErrors) continue;
      stage.run(ctx);
    }
  } catch (err) {
    const span = modules[0]?.span ?? {
      file: "",
      start: { offset: 0, line: 1, column: 1 },
      end: { offset: 0, line: 1, column: 1 },
    };
    ctx.error("rego_compile_error", `internal error in compile checks: ${(err as Error).message}`, span);
  }
  const diagnostics = sortDiagnostics(ctx.diagnostics);
  if (diagnostics.length > 0) return { diagnostics };
  return { program: buildProgram(ctx), diagnostics };
}

/**
 * Runs the stages one by one and reports the CPU time each took (milliseconds of user + system time of
 * this process; wall time on a shared machine mostly measures waiting); for benchmarks.
 */
export function timeCheckStages(modules: readonly Module[], opts: CheckOptions = {}): Record<string, number> {
  const ctx = new CheckContext(opts);
  for (const m of modules) {
    const pkgPath = m.package.path.type === "Var" ? [m.package.path.name] : (refStringPath(m.package.path) ?? []);
    ctx.modules.push({ file: m.span.file, source: m, pkg: ["data", ...pkgPath], imports: [], aliases: new Map(), v1: m.v1Syntax });
  }
  const out: Record<string, number> = {};
  for (const stage of CHECK_STAGES) {
    const c0 = process.cpuUsage();
    stage.run(ctx);
    const c1 = process.cpuUsage(c0);
    out[stage.name] = (c1.user + c1.system) / 1000;
  }
  return out;
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
      a.span.start.offset - b.span.start.offset,
  );
}

function buildProgram(ctx: CheckContext): CheckedProgram {
  const toRule = (r: RuleState): CheckedRule => {
    const out: CheckedRule = {
      module: r.module,
      file: r.file,
      span: r.source.span,
      kind: r.kind,
      default: r.default,
      head: r.head,
      body: r.body,
      localNames: Object.fromEntries(r.localNames),
    };
    if (r.else) out.else = r.else;
    return out;
  };
  const rules: RuleGroup[] = [];
  const ruleIndex: Record<string, number> = {};
  const functions: Record<string, FunctionSignature> = {};
  for (const name of ctx.groupNames) {
    const g = ctx.groups.get(name) as GroupState;
    const group: RuleGroup = {
      path: g.path,
      name,
      kind: g.kind,
      rules: g.rules.map(toRule),
      dependsOn: [...g.dependsOn].sort(),
    };
    if (g.arity !== undefined) group.arity = g.arity;
    if (g.defaultRule) group.defaultRule = toRule(g.defaultRule);
    ruleIndex[name] = rules.length;
    rules.push(group);
    if (g.kind === "function") {
      const arity = g.arity ?? 0;
      functions[name] = {
        name,
        arity,
        type: { kind: "function", args: Array.from({ length: arity }, () => T_ANY), result: T_ANY },
      };
    }
  }
  return {
    modules: ctx.modules.map((m) => ({ file: m.file, package: m.pkg, imports: m.imports, source: m.source })),
    rules,
    ruleIndex,
    packages: [...ctx.packages].sort(),
    functions,
    evaluationOrder: ctx.evaluationOrder,
    ruleTypes: Object.fromEntries(ctx.ruleTypes),
  };
}
