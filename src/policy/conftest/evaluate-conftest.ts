/**
 * `evaluateConftest()`: runs Conftest-style policies on Fleetward's own Rego engine. The modules are parsed to find,
 * per package (namespace), the deny/violation/warn rules and the `exception` rule; the selected namespaces' rules
 * are compiled once as entrypoints; each input document (or the `--combine` input) is evaluated against them. The
 * result is the "rule results" that `checkConftest` turns into Conftest's CheckResults.
 *
 * Each document is written once, pruned to the paths the policies can observe (`inputAccess` over the planned IR), in
 * the runtime's binary value format, decoded into the module once, and every rule is evaluated on that value
 * (`CompiledPolicy.prepareInput`), instead of the SDK's `evaluate`, which stringifies, copies and parses the whole
 * document again for every rule.
 * `inputPath: "sdk"` keeps the SDK's path: the reference the tests and the bench compare the results against.
 */
import { compile } from "../../rego/compile.js";
import type { Diagnostic } from "../../rego/diagnostics.js";
import { CompiledPolicy, PolicyEvalError, toEvalError, type PreparedInputEvaluator } from "../../rego/evaluator/compiled-policy.js";
import { nestsDeeperThan } from "../../rego/evaluator/serialize-input.js";
import { parseModule } from "../../rego/parser/parse-module.js";
import { inputAccess, type InputAccess } from "../../rego/planner/input-access.js";
import { JSON_MAX_DEPTH } from "../../rego/runtime/runtime-abi.js";
import type { RegoVersion } from "../../rego/parser/nodes.js";
import { groundPrefix, ruleName } from "../../rego/ast/ref-path.js";
import { buildCombinedInput, COMBINED_FILE_NAME, selectConftestNamespaces } from "./check-conftest.js";
import { conftestRuleKind } from "./conftest-rule-kind.js";
import type { ConftestDocumentEvaluation, ConftestFileEvaluation, ConftestNamespaceEvaluation } from "./conftest-types.js";

export interface EvaluateConftestRequest {
  /** The policy modules (`*_test.rego` files should already be left out). */
  modules: readonly { file: string; text: string }[];
  /** The input files and their decoded documents (a multi-document YAML file has several). */
  files: readonly { path: string; documents: readonly unknown[] }[];
  /** `--namespace` values (default `main`). */
  namespaces?: readonly string[];
  /** `--all-namespaces`: every package of the modules. */
  allNamespaces?: boolean;
  /** `--combine`: one input made of every file, reported as `Combined`. */
  combine?: boolean;
  /** The `data` document (merged `--data` files). */
  data?: Record<string, unknown>;
  regoVersion?: RegoVersion;
  /**
   * How inputs reach the module: `pruned` (default) writes each document once, pruned to what the policies read,
   * decodes it into the module once and evaluates every rule on it; `sdk` calls the SDK's `evaluate` per rule
   * with the whole document. Both give the same results; `sdk` is the reference the tests and the bench compare with.
   */
  inputPath?: "pruned" | "sdk";
}

export interface EvaluateConftestResult {
  /** The namespaces queried, in order (pass them to `checkConftest`). */
  namespaces: string[];
  /** One evaluation per input file (or the single `Combined` one). Empty when there are diagnostics. */
  files: ConftestFileEvaluation[];
  /** Parse/compile errors of the policies (`file:line:col` spans). */
  diagnostics: Diagnostic[];
  /** Evaluation errors (e.g. a conflict in a rule), with the file whose input raised them. */
  evalErrors: { file: string; code: string; message: string }[];
}

interface NamespaceRules {
  /** Counted rules, in first-definition order, with how many bodies define each. */
  rules: Map<string, number>;
  hasException: boolean;
}

const NO_ENTRYPOINTS = "no entrypoints given";
const WHOLE_INPUT: InputAccess = { whole: true, keys: new Map() };

/** `rule → its value` (`undefined` when the rule is undefined) for one document. */
type RuleValues = (entrypoint: string) => unknown;

/**
 * The rule evaluator for one document. The SDK's `evaluate` takes a falsy input (`null`, `false`, `0`, `""`) as no
 * input at all; the pruned path does the same so that both give the same results. A document nested deeper than the
 * module's JSON parser accepts (`nestsDeeperThan` walks the whole document, so any cycle counts), or whose writing
 * throws (a BigInt), takes the SDK path, which fails as before even when the offending part would be pruned away.
 * (Manifest loading rejects recursive aliases before this, so loaded documents have no cycles.)
 */
function documentEvaluator(policy: CompiledPolicy, doc: unknown, access: InputAccess, path: "pruned" | "sdk"): RuleValues {
  const viaSdk: RuleValues = (ep) => policy.evaluate(ep, doc)[0]?.result;
  if (path === "sdk") return viaSdk;
  let evaluate: PreparedInputEvaluator;
  try {
    if (nestsDeeperThan(doc, JSON_MAX_DEPTH)) return viaSdk;
    evaluate = policy.prepareInput(doc ? doc : undefined, access);
  } catch {
    return viaSdk;
  }
  return (ep) => evaluate(ep)[0]?.result;
}

function entrypoint(namespace: string, rule: string): string {
  return [...namespace.split("."), rule].join("/");
}

/** Finds every package and its Conftest rules; parse errors become diagnostics. */
function collectNamespaces(
  modules: EvaluateConftestRequest["modules"],
  regoVersion: RegoVersion,
): { namespaces: Map<string, NamespaceRules>; diagnostics: Diagnostic[] } {
  const namespaces = new Map<string, NamespaceRules>();
  const diagnostics: Diagnostic[] = [];
  for (const m of modules) {
    const parsed = parseModule(m.text, { file: m.file, regoVersion });
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.module || parsed.diagnostics.length > 0) continue;
    const ns = groundPrefix(parsed.module.package.path).join(".");
    let entry = namespaces.get(ns);
    if (entry === undefined) {
      entry = { rules: new Map(), hasException: false };
      namespaces.set(ns, entry);
    }
    for (const rule of parsed.module.rules) {
      const name = ruleName(rule);
      if (name === "exception") entry.hasException = true;
      // A default rule is not a body Conftest counts as a test; it still makes the rule defined.
      if (conftestRuleKind(name) !== undefined) entry.rules.set(name, (entry.rules.get(name) ?? 0) + (rule.default ? 0 : 1));
    }
  }
  return { namespaces, diagnostics };
}

/** Compiles the selected namespaces' rules once and evaluates every input against them. Never throws. */
export function evaluateConftest(req: EvaluateConftestRequest): EvaluateConftestResult {
  const regoVersion = req.regoVersion ?? "v1";
  const collected = collectNamespaces(req.modules, regoVersion);
  const selectOptions: { namespaces?: readonly string[]; allNamespaces?: boolean } = { allNamespaces: req.allNamespaces === true };
  if (req.namespaces !== undefined) selectOptions.namespaces = req.namespaces;
  const namespaces = selectConftestNamespaces([...collected.namespaces.keys()], selectOptions);
  const result: EvaluateConftestResult = { namespaces, files: [], diagnostics: collected.diagnostics, evalErrors: [] };
  if (result.diagnostics.length > 0) return result;

  // Per selected namespace: its counted rules and exception with their entrypoints, built once for every document.
  const queried = namespaces.map((ns) => {
    const rules = collected.namespaces.get(ns);
    return {
      namespace: ns,
      rules: rules === undefined ? undefined : [...rules.rules].map(([name, definitions]) => ({ name, definitions, entrypoint: entrypoint(ns, name) })),
      exception: rules?.hasException === true ? entrypoint(ns, "exception") : undefined,
    };
  });
  const entrypoints: string[] = [];
  for (const q of queried) {
    for (const r of q.rules ?? []) entrypoints.push(r.entrypoint);
    if (q.exception !== undefined) entrypoints.push(q.exception);
  }

  const inputs: { file: string; documents: readonly unknown[] }[] = req.combine === true
    ? [{ file: COMBINED_FILE_NAME, documents: [buildCombinedInput(req.files)] }]
    : req.files.map((f) => ({ file: f.path, documents: f.documents }));

  let policy: CompiledPolicy | undefined;
  let access = WHOLE_INPUT;
  if (req.modules.length > 0) {
    const compiled = compile({ modules: [...req.modules], entrypoints, regoVersion });
    // Without entrypoints the compiler still type-checks the modules; only its "no entrypoints" notice is dropped.
    const diagnostics = compiled.diagnostics.filter((d) => !(entrypoints.length === 0 && d.message === NO_ENTRYPOINTS));
    if (diagnostics.length > 0) {
      result.diagnostics = diagnostics;
      return result;
    }
    if (compiled.wasm !== undefined) {
      try {
        policy = CompiledPolicy.loadSync(compiled.wasm);
        policy.setData(req.data ?? {});
        if (compiled.ir !== undefined) access = inputAccess(compiled.ir);
      } catch (e) {
        const err = e instanceof PolicyEvalError ? e : new PolicyEvalError("eval_internal_error", String(e));
        result.evalErrors.push({ file: "", code: err.code, message: err.message });
        return result;
      }
    }
  }

  for (const input of inputs) {
    const documents: ConftestDocumentEvaluation[] = [];
    for (const doc of input.documents) {
      const value = policy === undefined ? undefined : documentEvaluator(policy, doc, access, req.inputPath ?? "pruned");
      const evaluated: ConftestNamespaceEvaluation[] = [];
      for (const q of queried) {
        if (q.rules === undefined || value === undefined) {
          evaluated.push({ namespace: q.namespace, rules: [] });
          continue;
        }
        try {
          const nsEval: ConftestNamespaceEvaluation = {
            namespace: q.namespace,
            rules: q.rules.map((r) => ({ name: r.name, definitions: r.definitions, values: value(r.entrypoint) })),
          };
          if (q.exception !== undefined) nsEval.exceptions = value(q.exception);
          evaluated.push(nsEval);
        } catch (e) {
          const err = toEvalError(e);
          result.evalErrors.push({ file: input.file, code: err.code, message: err.message });
          evaluated.push({ namespace: q.namespace, rules: [] });
        }
      }
      documents.push({ namespaces: evaluated });
    }
    result.files.push({ file: input.file, documents });
  }
  return result;
}
