/**
 * Builds the policy sources of a commit from its policy files (path → text) and the `policies` configuration:
 * the Conftest modules under `policies.conftest.dir` (with the data files), and the Gatekeeper templates and
 * constraints under `policies.gatekeeper.paths` plus the bundled library (every library template is available to
 * the repository's constraints; the policies enabled in `policies.library` get their library constraint with the
 * configured parameters). Every template and module is compiled here, once: compile errors become problems that
 * name the policy file and line, and never reach evaluation. Pure apart from CPU work; never throws on bad input.
 */
import { Minimatch, minimatch } from "minimatch";
import { CORE_SCHEMA, loadAll, mergeTag } from "js-yaml";
import type { PoliciesConfig } from "../../config/policy-schema.js";
import { GLOB_OPTIONS } from "../../fleet/check-glob.js";
import { globRoot } from "../../fleet/glob-root.js";
import type { Diagnostic } from "../../rego/diagnostics.js";
import { checkConftestNamespace } from "../conftest/check-conftest-namespace.js";
import type { ConftestError } from "../conftest/conftest-types.js";
import { evaluateConftest } from "../conftest/evaluate-conftest.js";
import { mergeConftestData } from "../conftest/merge-conftest-data.js";
import { compileTemplate, createTemplateEvaluator } from "../gatekeeper/compile-template.js";
import { evaluateGatekeeper } from "../gatekeeper/evaluate-gatekeeper.js";
import type { Constraint, ConstraintTemplate, GatekeeperDiagnostic, SourceDocument } from "../gatekeeper/gatekeeper-types.js";
import { loadGatekeeperPolicies } from "../gatekeeper/load-gatekeeper-policies.js";
import { templateReadsInventory } from "../gatekeeper/template-reads-inventory.js";
import { parseConstraint } from "../gatekeeper/parse-constraint.js";
import { isConstraintTemplateDocument, parseConstraintTemplate } from "../gatekeeper/parse-constraint-template.js";
import { loadManifestFile } from "../manifests/load-manifest-file.js";
import type { JsonObject, ManifestDocument } from "../manifests/manifest-types.js";
import { bundleLoader, collectBundleSources, type CollectBundleSourcesInput } from "./collect-bundle-sources.js";
import { locateInDocument } from "./locate-in-document.js";
import type { PolicyProblem, PolicySource, SourceFinding, SourceResult } from "./policy-check-types.js";
import { regoLineInTemplate } from "./rego-line-in-template.js";
import { type EffectsPolicy, findRefusedEffects, serverEffectsPolicy } from "./effectful-builtins.js";
import { enterEvaluationStep } from "../evaluation-step.js";

/** One policy of the bundled library: its folder name and the texts of its template and example constraint. */
export interface LibraryPolicy {
  name: string;
  templateFile: string;
  templateText: string;
  constraintFile: string;
  constraintText: string;
}

export interface CollectPolicySourcesInput {
  policies: PoliciesConfig;
  /** The commit's files; only those `isPolicyPath` accepts are read. */
  files: ReadonlyMap<string, string>;
  /** The bundled library (all of it; `policies.library` says which are enabled). */
  library: readonly LibraryPolicy[];
  /** The configuration file, named in problems about `policies.library` and missing bundles. */
  configFile?: string;
  /** The files of `policies.bundles` as bytes (path → bytes); a configured bundle not here is reported missing. */
  bundleFiles?: ReadonlyMap<string, Uint8Array>;
  /** Loads the configured bundles instead of `bundleFiles` (the app's loader caches them by blob SHA). */
  loadBundle?: CollectBundleSourcesInput["load"];
  /** Which builtins with effects (http.send, …) the policies may call; default: the server's setting (see effectful-builtins.ts). */
  effects?: EffectsPolicy;
}

const YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/**
 * Whether a repository path holds policy rather than manifests: anything under the Conftest folder, the data files,
 * the Gatekeeper files, `.rego` files under the Gatekeeper globs' folders (modules and unit tests kept next to
 * templates), and the configured OPA bundles.
 */
export function isPolicyPath(policies: PoliciesConfig): (path: string) => boolean {
  const dir = policies.conftest.dir.replace(/\/+$/, "");
  // Compiled once: the predicate runs on every path of a checkout (minimatch(path, glob) compiles the glob each call).
  const globs = [...policies.conftest.data, ...policies.gatekeeper.paths].map((g) => new Minimatch(g, GLOB_OPTIONS));
  const regoRoots = policies.gatekeeper.paths.map(globRoot);
  const bundles = new Set(policies.bundles.map((b) => b.path));
  return (path) =>
    path === dir ||
    bundles.has(path) ||
    path.startsWith(`${dir}/`) ||
    globs.some((g) => g.match(path)) ||
    (path.endsWith(".rego") && regoRoots.some((r) => path.startsWith(r)));
}

function problemOf(d: { code: string; severity: "error" | "warning"; message: string; file: string; line: number; column: number }): PolicyProblem {
  return { code: d.code, severity: d.severity, message: d.message, file: d.file, line: d.line, column: d.column };
}

function regoProblem(d: Diagnostic): PolicyProblem {
  return { code: d.code, severity: "error", message: d.message, file: d.span.file, line: d.span.start.line, column: d.span.start.column };
}

/** Every file of the commit under the policy paths, sorted by path (the order modules are compiled in). */
function sortedEntries(files: ReadonlyMap<string, string>, keep: (path: string) => boolean): Array<[string, string]> {
  return [...files].filter(([path]) => keep(path)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function decodeDataFile(path: string, text: string): { values: unknown[]; problem?: PolicyProblem } {
  const checked = loadManifestFile({ path, content: text });
  const error = checked.diagnostics.find((d) => d.severity === "error");
  if (error !== undefined) return { values: [], problem: problemOf(error) };
  try {
    if (/\.json$/i.test(path)) return { values: [JSON.parse(text) as unknown] };
    return { values: loadAll(text, { filename: path, schema: YAML_SCHEMA }).filter((d) => d !== null && d !== undefined) };
  } catch (e) {
    return { values: [], problem: { code: "policy_data_invalid", severity: "error", message: String(e), file: path, line: 1, column: 1 } };
  }
}

function groupByFile(documents: readonly ManifestDocument[]): Array<{ path: string; docs: ManifestDocument[] }> {
  const groups = new Map<string, ManifestDocument[]>();
  for (const d of documents) {
    const list = groups.get(d.file);
    if (list === undefined) groups.set(d.file, [d]);
    else list.push(d);
  }
  return [...groups].map(([path, docs]) => ({ path, docs }));
}

function conftestSource(input: CollectPolicySourcesInput): PolicySource | undefined {
  const { conftest } = input.policies;
  const dir = conftest.dir.replace(/\/+$/, "");
  const modules = sortedEntries(input.files, (p) => p.startsWith(`${dir}/`) && p.endsWith(".rego") && !p.endsWith("_test.rego")).map(
    ([file, text]) => ({ file, text }),
  );
  if (modules.length === 0) return undefined;
  const problems: PolicyProblem[] = [];
  const dataFiles: Array<{ path: string; value: unknown }> = [];
  for (const [path, text] of sortedEntries(input.files, (p) => conftest.data.some((g) => minimatch(p, g, GLOB_OPTIONS)))) {
    const decoded = decodeDataFile(path, text);
    if (decoded.problem !== undefined) problems.push(decoded.problem);
    for (const value of decoded.values) dataFiles.push({ path, value });
  }
  const merged = mergeConftestData(dataFiles);
  for (const e of merged.errors) problems.push({ code: e.code, severity: "error", message: e.message, file: e.file, line: 1, column: 1 });
  const request = {
    modules,
    namespaces: conftest.namespaces,
    allNamespaces: conftest.allNamespaces,
    data: merged.data,
  };
  // Compiling with no inputs reports every parse and compile error (the compilation is cached for evaluation).
  enterEvaluationStep(`compiling the Conftest modules under ${dir}/`, modules[0]?.file ?? dir, 1);
  const probe = evaluateConftest({ ...request, files: [] });
  problems.push(...probe.diagnostics.map(regoProblem));
  // A refused builtin with effects is an error, so the modules are never evaluated.
  for (const m of modules) {
    for (const e of findRefusedEffects(m, input.effects ?? serverEffectsPolicy())) problems.push({ code: e.code, severity: "error", message: e.message, file: e.file, line: e.line, column: e.column });
  }
  const namespaces = conftest.allNamespaces ? "all namespaces" : `namespace${conftest.namespaces.length === 1 ? "" : "s"} ${conftest.namespaces.join(", ")}`;
  return {
    kind: "conftest",
    description: `${modules.length} Conftest module${modules.length === 1 ? "" : "s"} under \`${dir}/\` (${namespaces})`,
    problems,
    evaluate: (documents) => {
      const result: SourceResult = { findings: [], problems: [], evaluations: 0 };
      if (problems.some((p) => p.severity === "error")) return Promise.resolve(result);
      const groups = groupByFile(documents);
      enterEvaluationStep(`the Conftest modules under ${dir}/ on ${groups.length} file${groups.length === 1 ? "" : "s"}`, modules[0]?.file ?? dir, 1);
      const evaluation = evaluateConftest({ ...request, files: groups.map((g) => ({ path: g.path, documents: g.docs.map((d) => d.value) })) });
      for (const e of evaluation.evalErrors) {
        result.problems.push({ code: e.code, severity: "error", message: e.message, file: e.file, line: 1, column: 1 });
      }
      const errors: ConftestError[] = [];
      evaluation.files.forEach((file, fi) => {
        const docs = groups[fi]?.docs ?? [];
        file.documents.forEach((docEval, di) => {
          const doc = docs[di];
          if (doc === undefined) return;
          for (const ns of docEval.namespaces) {
            result.evaluations++;
            const checked = checkConftestNamespace(file.file, ns, errors);
            const add = (r: (typeof checked.failures)[number], action: "deny" | "warn") => {
              const at = locateInDocument(doc, r.metadata?.path);
              const finding: SourceFinding = { file: doc.file, line: at.line, rule: `${ns.namespace}.${r.rule ?? "deny"}`, message: r.msg, action };
              if (at.column !== undefined) finding.column = at.column;
              result.findings.push(finding);
            };
            for (const r of checked.failures) add(r, "deny");
            for (const r of checked.warnings) add(r, "warn");
          }
        });
      });
      for (const e of errors) result.problems.push({ code: e.code, severity: "error", message: e.message, file: e.file, line: 1, column: 1 });
      return Promise.resolve(result);
    },
  };
}

/** `file#rego:3:5: code: message` (a template compile error) → the policy file's line. */
function templateCompileProblem(error: string, template: ConstraintTemplate, doc: SourceDocument | undefined): PolicyProblem {
  const m = /^(.*?)#(rego|libs\[(\d+)\]):(\d+):(\d+): (.*)$/s.exec(error);
  if (m === null) return { code: "policy_compile_error", severity: "error", message: error, file: template.file, line: template.line, column: 1 };
  const lib = m[3] === undefined ? undefined : Number(m[3]);
  const line = Number(m[4]);
  const fileLine = doc === undefined ? undefined : regoLineInTemplate(doc, template, lib, line);
  return {
    code: "policy_compile_error",
    severity: "error",
    message: `template ${template.name} (${m[2]} line ${line}): ${m[6] ?? ""}`,
    file: template.file,
    line: fileLine ?? template.line,
    column: 1,
  };
}

/** The refused builtins with effects a template's Rego and libs call, at their lines in the template's file. */
function templateEffectProblems(template: ConstraintTemplate, doc: SourceDocument | undefined, effects: EffectsPolicy): PolicyProblem[] {
  const texts: Array<[string, number | undefined]> = [[template.rego, undefined], ...template.libs.map((t, i): [string, number] => [t, i])];
  return texts.flatMap(([text, lib]) =>
    findRefusedEffects({ file: template.file, text }, effects, template.regoVersion).map((e) => ({
      code: e.code,
      severity: "error" as const,
      message: `template ${template.name} (${lib === undefined ? "rego" : `libs[${lib}]`} line ${e.line}): ${e.message}`,
      file: template.file,
      line: (doc === undefined ? undefined : regoLineInTemplate(doc, template, lib, e.line)) ?? template.line,
      column: 1,
    })),
  );
}

function gatekeeperSource(input: CollectPolicySourcesInput): PolicySource | undefined {
  const { gatekeeper, library: enabled } = input.policies;
  const configFile = input.configFile ?? ".github/fleetward.yml";
  const problems: PolicyProblem[] = [];
  const docs: ManifestDocument[] = [];
  for (const [path, content] of sortedEntries(input.files, (p) => gatekeeper.paths.some((g) => minimatch(p, g, GLOB_OPTIONS)))) {
    const loaded = loadManifestFile({ path, content });
    docs.push(...loaded.documents);
    problems.push(...loaded.diagnostics.map(problemOf));
  }
  // Library templates fill the kinds the repository does not define itself; they are loaded together with the
  // repository's documents, so that the repository's own Constraints can use them too.
  const repoKinds = new Set(docs.filter((d) => isConstraintTemplateDocument(d.value)).map((d) => parseConstraintTemplate(d).template?.kind));
  const libraryDocs = new Map<string, { template?: ConstraintTemplate; constraint?: ManifestDocument }>();
  const libraryTemplateDocs: ManifestDocument[] = [];
  for (const policy of input.library) {
    const t = loadManifestFile({ path: policy.templateFile, content: policy.templateText }).documents[0];
    const parsed = t === undefined ? undefined : parseConstraintTemplate(t);
    const template = parsed?.template;
    if (t === undefined || template === undefined) {
      problems.push({ code: "policy_library_invalid", severity: "error", message: `library policy ${policy.name} has no valid template`, file: policy.templateFile, line: 1, column: 1 });
      continue;
    }
    if (!repoKinds.has(template.kind)) libraryTemplateDocs.push(t);
    libraryDocs.set(policy.name, { template, constraint: loadManifestFile({ path: policy.constraintFile, content: policy.constraintText }).documents[0] });
  }
  const set = loadGatekeeperPolicies([...docs, ...libraryTemplateDocs]);
  const templateDocs = new Map<string, SourceDocument>([...docs, ...libraryTemplateDocs].map((d) => [`${d.file}:${d.startLine}`, d]));
  const gkProblems = (ds: readonly GatekeeperDiagnostic[]) => problems.push(...ds.map(problemOf));
  gkProblems(set.diagnostics);

  let fromLibrary = 0;
  for (const [name, parameters] of Object.entries(enabled)) {
    const lib = libraryDocs.get(name);
    const where = { file: configFile, line: 1, column: 1 };
    if (lib?.constraint === undefined) {
      problems.push({ code: "policy_library_unknown", severity: "error", message: `policies.library.${name}: the bundled library has no such policy`, ...where });
      continue;
    }
    const spec = { ...(lib.constraint.value.spec as JsonObject | undefined) };
    if (Object.keys(parameters).length > 0) spec.parameters = parameters;
    else delete spec.parameters;
    const doc: SourceDocument = { file: lib.constraint.file, startLine: lib.constraint.startLine, value: { ...lib.constraint.value, spec } };
    const parsed = parseConstraint(doc, set.templates);
    for (const d of parsed.diagnostics) problems.push({ ...problemOf(d), ...where, message: `policies.library.${name}: ${d.message}` });
    if (parsed.constraint !== undefined) {
      set.constraints.push(parsed.constraint);
      fromLibrary++;
    }
  }
  if (set.constraints.length === 0 && problems.length === 0) return undefined;

  // Compile every template a constraint uses, once; a template that does not compile takes its constraints out.
  const broken = new Set<string>();
  const seen = new Set<ConstraintTemplate>();
  for (const c of set.constraints) {
    if (seen.has(c.template)) continue;
    seen.add(c.template);
    enterEvaluationStep(`compiling template ${c.template.name}`, c.template.file, c.template.line);
    const doc = templateDocs.get(`${c.template.file}:${c.template.line}`);
    const refused = templateEffectProblems(c.template, doc, input.effects ?? serverEffectsPolicy());
    if (refused.length > 0) {
      broken.add(c.template.kind);
      problems.push(...refused);
      continue;
    }
    const compiled = compileTemplate(c.template);
    if (compiled.ok) continue;
    broken.add(c.template.kind);
    problems.push(...compiled.errors.map((e) => templateCompileProblem(e, c.template, doc)));
  }
  const constraints: Constraint[] = set.constraints.filter((c) => !broken.has(c.template.kind));
  const evaluator = createTemplateEvaluator();
  const n = set.constraints.length;
  // The repository's other manifests are worth reading only for a template that reads data.inventory, or a
  // constraint that selects namespaces by their labels.
  const readsInventory = new Map<ConstraintTemplate, boolean>();
  const needsRepository = constraints.some((c) => {
    if (c.match.namespaceSelector !== undefined) return true;
    let reads = readsInventory.get(c.template);
    if (reads === undefined) readsInventory.set(c.template, (reads = templateReadsInventory(c.template)));
    return reads;
  });
  return {
    kind: "gatekeeper",
    description: `${n} Gatekeeper constraint${n === 1 ? "" : "s"}${fromLibrary > 0 ? ` (${fromLibrary} from the bundled library)` : ""}, ${seen.size} template${seen.size === 1 ? "" : "s"}`,
    problems,
    readsRepository: needsRepository,
    evaluate: async (documents, context) => {
      // data.inventory and the Namespaces: the repository's manifests when they were read, else the judged ones.
      const known = context?.repository ?? documents;
      const namespaces = new Map<string, JsonObject>();
      for (const d of known) if (d.kind === "Namespace" && d.apiVersion === "v1" && d.name !== undefined) namespaces.set(d.name, d.value);
      const run = await evaluateGatekeeper({ ...set, constraints, namespaces, objects: [...documents], diagnostics: [] }, evaluator, {
        inventoryObjects: known.map((d) => d.value),
      });
      const findings: SourceFinding[] = run.violations.map((v) => {
        const at = v.location ?? { file: v.resource.file ?? "", line: v.resource.line ?? 1, column: 1 };
        return { file: at.file, line: at.line, column: at.column, rule: `${v.constraintKind}/${v.constraintName}`, message: v.message, action: v.enforcementAction };
      });
      // A constraint whose namespaceSelector needs a Namespace that is not among the manifests at hand (the
      // repository's, or only the changed files when it was not read) is skipped for that object with a warning,
      // rather than failing the pull request.
      const problems = run.diagnostics.map((d) =>
        d.code === "gatekeeper_match_error" && d.message.includes("not among the manifests")
          ? { ...problemOf(d), severity: "warning" as const, message: `${d.message}; the constraint was not applied to this object` }
          : problemOf(d),
      );
      return { findings, problems, evaluations: run.evaluations };
    },
  };
}

/**
 * The policy sources of a commit, in a fixed order (Conftest, Gatekeeper, then one per configured OPA bundle). A
 * kind with no policies at all is left out.
 */
export function collectPolicySources(input: CollectPolicySourcesInput): PolicySource[] {
  const sources: PolicySource[] = [];
  const conftest = conftestSource(input);
  if (conftest !== undefined) sources.push(conftest);
  const gatekeeper = gatekeeperSource(input);
  if (gatekeeper !== undefined) sources.push(gatekeeper);
  sources.push(
    ...collectBundleSources({
      bundles: input.policies.bundles,
      load: input.loadBundle ?? bundleLoader(input.bundleFiles ?? new Map()),
      ...(input.configFile !== undefined ? { configFile: input.configFile } : {}),
    }),
  );
  return sources;
}
