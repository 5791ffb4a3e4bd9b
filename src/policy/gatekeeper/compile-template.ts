/**
 * Compiles a ConstraintTemplate's Rego (with its libs) to an OPA-ABI Wasm policy with Fleetward's own compiler, and
 * builds the `GatekeeperEvaluator` that the Gatekeeper and gator code take: `data.inventory` set, the template's
 * `<package>/violation` rule evaluated with the Gatekeeper input, its value returned as the array of results.
 */
import { compile } from "../../rego/compile.js";
import { formatDiagnostic } from "../../rego/diagnostics.js";
import { packagePath } from "../../rego/ast/ref-path.js";
import { CompiledPolicy, PolicyEvalError } from "../../rego/evaluator/compiled-policy.js";
import { parseModule } from "../../rego/parser/parse-module.js";
import { serializeInput } from "../../rego/evaluator/serialize-input.js";
import { dataAccess, inputAccess, isRead, type InputAccess } from "../../rego/planner/input-access.js";
import type { Inventory } from "./build-inventory.js";
import type { GatekeeperEvaluationRequest, GatekeeperEvaluator, GatekeeperOutcome } from "./evaluate-gatekeeper.js";
import type { ConstraintTemplate } from "./gatekeeper-types.js";

/** A template compiled once: the loaded policy and its `violation` entrypoint. */
export interface CompiledTemplate {
  policy: CompiledPolicy;
  /** `<package path with slashes>/violation`, e.g. `k8srequiredlabels/violation`. */
  entrypoint: string;
  /** The parts of `input` the Rego can observe: inputs are sent to the module pruned to them. */
  inputAccess: InputAccess;
  /** False when the Rego never reads `data` (then the inventory is not loaded into the module). */
  readsData: boolean;
  /** The parts of `data` the Rego can observe: the inventory is loaded pruned to them (absent: whole). */
  dataAccess?: InputAccess;
}

export type CompileTemplateResult = { ok: true; compiled: CompiledTemplate } | { ok: false; errors: string[] };

/** The file names the template's Rego is compiled under (so diagnostics say which source is at fault). */
export function templateModuleFiles(template: ConstraintTemplate): { rego: string; libs: string[] } {
  return { rego: `${template.file}#rego`, libs: template.libs.map((_, i) => `${template.file}#libs[${i}]`) };
}

/**
 * Compiles a template: the main Rego's package gives the entrypoint `<package>/violation`; the Rego version is the
 * template's (v0 unless it says v1). Never throws: parse, compile and load failures come back as formatted errors
 * (`file#rego:line:col: code: message`, lines counted inside the Rego text).
 */
export function compileTemplate(template: ConstraintTemplate): CompileTemplateResult {
  const files = templateModuleFiles(template);
  const parsed = parseModule(template.rego, { file: files.rego, regoVersion: template.regoVersion });
  if (parsed.module === undefined) return { ok: false, errors: parsed.diagnostics.map(formatDiagnostic) };
  const pkg = packagePath(parsed.module.package).slice(1);
  if (pkg.length === 0) return { ok: false, errors: [`${files.rego}: the package has no name`] };
  const entrypoint = `${pkg.join("/")}/violation`;
  const modules = [{ file: files.rego, text: template.rego }, ...template.libs.map((text, i) => ({ file: files.libs[i] as string, text }))];
  const result = compile({ modules, entrypoints: [entrypoint], regoVersion: template.regoVersion });
  if (result.wasm === undefined) {
    const errors = result.diagnostics.map(formatDiagnostic);
    return { ok: false, errors: errors.length > 0 ? errors : [`${files.rego}: the Rego did not compile`] };
  }
  try {
    const access: InputAccess = result.ir !== undefined ? inputAccess(result.ir) : { whole: true, keys: new Map() };
    const data = result.ir !== undefined ? dataAccess(result.ir) : undefined;
    const readsData = data === undefined || isRead(data);
    return { ok: true, compiled: { policy: CompiledPolicy.loadSync(result.wasm), entrypoint, inputAccess: access, readsData, ...(data !== undefined ? { dataAccess: data } : {}) } };
  } catch (e) {
    return { ok: false, errors: [`${files.rego}: the compiled policy does not load: ${e instanceof Error ? e.message : String(e)}`] };
  }
}

/** Thrown by the evaluator when a template does not compile; the message lists every diagnostic on one line. */
export class TemplateCompileError extends Error {
  constructor(
    readonly template: string,
    readonly errors: string[],
  ) {
    super(`template ${template} does not compile: ${errors.join("; ")}`);
  }
}

function templateKey(t: ConstraintTemplate): string {
  return JSON.stringify([t.file, t.name, t.regoVersion, t.rego, t.libs]);
}

/**
 * A `GatekeeperEvaluator` backed by the Rego-to-Wasm compiler. Each distinct template (by file, name, version, Rego
 * and libs) is compiled and loaded once; a failed compilation is remembered too, and every evaluation of that
 * template throws a TemplateCompileError. Evaluation errors are thrown as PolicyEvalError with the template named.
 * `data.inventory` is loaded into a template's module only when the Rego reads `data` at all and the request carries a
 * different inventory object than the last one (callers build one inventory per run and do not change it during it).
 * Inputs are sent pruned to what the Rego can observe (`inputAccess`), written straight into the module's memory in
 * the runtime's binary value format and evaluated in one call each (`CompiledPolicy.evaluateInput`), or, through
 * `batch`, many per call with `parameters` written once (`CompiledPolicy.evaluateInputs`).
 */
export function createTemplateEvaluator(): GatekeeperEvaluator {
  const cache = new Map<string, CompileTemplateResult>();
  const byObject = new WeakMap<ConstraintTemplate, CompileTemplateResult>();
  const dataSetFor = new WeakMap<CompiledPolicy, Inventory>();
  /** The template compiled (once) and its module's data set to the request's inventory; throws as `evaluate` does. */
  const prepare = (request: GatekeeperEvaluationRequest): CompiledTemplate => {
    // By object first: the content key stringifies the whole Rego, too costly to build for every object.
    let compiled = byObject.get(request.template);
    if (compiled === undefined) {
      const key = templateKey(request.template);
      compiled = cache.get(key);
      if (compiled === undefined) {
        compiled = compileTemplate(request.template);
        cache.set(key, compiled);
      }
      byObject.set(request.template, compiled);
    }
    if (!compiled.ok) throw new TemplateCompileError(request.template.name, compiled.errors);
    const { policy, readsData, dataAccess: dataRead } = compiled.compiled;
    try {
      // data is the same inventory for every object of a run: load it into the module once, not per object.
      if (readsData && dataSetFor.get(policy) !== request.data.inventory) {
        dataSetFor.delete(policy);
        // Pruned to what the Rego can observe (a template looking up Services gets no Deployments): less to write.
        const data = { inventory: request.data.inventory };
        policy.setData(dataRead !== undefined ? serializeInput(data, dataRead) : data);
        dataSetFor.set(policy, request.data.inventory);
      }
    } catch (e) {
      throw templateEvalError(request.template, e);
    }
    return compiled.compiled;
  };
  const evaluate: GatekeeperEvaluator = (request) => {
    const { policy, entrypoint, inputAccess: access } = prepare(request);
    try {
      const rs = policy.evaluateInput(entrypoint, request.input, access);
      return rs[0]?.result ?? [];
    } catch (e) {
      throw templateEvalError(request.template, e);
    }
  };
  // Requests of one template, inventory and parameters (one constraint's objects): one batch, parameters written once.
  evaluate.batch = (requests) => {
    const first = requests[0];
    const alike = requests.every((r) => r.template === first?.template && r.data.inventory === first.data.inventory);
    let compiled: CompiledTemplate | undefined;
    try {
      if (first !== undefined && alike) compiled = prepare(first);
    } catch {
      // Each request throws it again below.
    }
    if (compiled === undefined) return requests.map((r) => outcomeOf(() => evaluate(r)));
    const outcomes = compiled.policy.evaluateInputs(compiled.entrypoint, requests.map((r) => r.input), compiled.inputAccess, ["parameters"]);
    return outcomes.map((o) => (o.ok ? { ok: true, value: o.resultSet[0]?.result ?? [] } : { ok: false, error: templateEvalError((first as GatekeeperEvaluationRequest).template, o.error) }));
  };
  return evaluate;
}

/** An evaluation failure as the evaluator throws it: a PolicyEvalError naming the template. */
function templateEvalError(template: ConstraintTemplate, e: unknown): PolicyEvalError {
  const err = e instanceof PolicyEvalError ? e : new PolicyEvalError("eval_internal_error", String(e));
  return new PolicyEvalError(err.code, `template ${template.name}: ${err.message}`);
}

function outcomeOf(run: () => unknown): GatekeeperOutcome {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}
