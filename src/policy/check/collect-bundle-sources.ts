/**
 * Prebuilt OPA Wasm bundles (`policies.bundles`) as policy sources of the pull request check: one `PolicySource` of
 * kind `bundle` per configured bundle, appended to those of `collectPolicySources`. Each bundle is read and loaded
 * once (`prepareBundlePolicy`); its entrypoints then judge every manifest document, Conftest-style (the document is
 * the input; deny/violation → deny, warn → warn, or the entrypoint's `severity`) or Gatekeeper-style (gator's
 * review as the input; every violation denies). A missing or unusable bundle is a problem with a stable code
 * (`policy_bundle_missing`, the `bundle_*` codes of the bundle reader) naming the file. Pure apart from CPU work.
 */
import type { BundleConfig } from "../../config/policy-schema.js";
import { prepareBundlePolicy, type PreparedBundlePolicy } from "../bundle/index.js";
import { checkConftestNamespace } from "../conftest/check-conftest-namespace.js";
import type { ConftestError, ConftestResult } from "../conftest/conftest-types.js";
import type { ManifestDocument } from "../manifests/manifest-types.js";
import { locateInDocument } from "./locate-in-document.js";
import type { PolicyProblem, PolicySource, SourceFinding, SourceResult } from "./policy-check-types.js";
import { enterEvaluationStep } from "../evaluation-step.js";

export interface CollectBundleSourcesInput {
  bundles: readonly BundleConfig[];
  /**
   * The loaded bundle at a configured path of the commit, or undefined when the commit has no such file (reported
   * as missing). `bundleLoader(files)` loads from bytes; the app's loader caches by blob SHA.
   */
  load: (bundle: BundleConfig) => PreparedBundlePolicy | undefined;
  /** The configuration file, named when a bundle is missing. */
  configFile?: string;
}

/** Loads each configured bundle from the commit's bundle files (path → bytes), once per call. */
export function bundleLoader(files: ReadonlyMap<string, Uint8Array>): (bundle: BundleConfig) => PreparedBundlePolicy | undefined {
  return (bundle) => {
    const bytes = files.get(bundle.path);
    return bytes === undefined ? undefined : prepareBundlePolicy({ bundle: bytes, entrypoints: bundle.entrypoints, name: bundle.path });
  };
}

/** The document's line of a result's `path` (Conftest) or `details.path` (Gatekeeper), else the document's first. */
function locate(doc: ManifestDocument, result: ConftestResult): { line: number; column?: number } {
  const meta = result.metadata ?? {};
  const details = meta.details;
  const detailsPath = details !== null && typeof details === "object" ? (details as Record<string, unknown>).path : undefined;
  return locateInDocument(doc, typeof meta.path === "string" ? meta.path : detailsPath);
}

function evaluateBundle(path: string, prepared: PreparedBundlePolicy, documents: readonly ManifestDocument[]): SourceResult {
  const result: SourceResult = { findings: [], problems: [], evaluations: 0 };
  for (const doc of documents) {
    enterEvaluationStep(`bundle ${path} on ${doc.file}:${doc.startLine}`, path, 1);
    const { evaluation, evalErrors } = prepared.evaluateDocument(doc.value, doc.file);
    for (const e of evalErrors) result.problems.push({ code: e.code, severity: "error", message: e.message, file: doc.file, line: doc.startLine, column: 1 });
    const errors: ConftestError[] = [];
    for (const ns of evaluation.namespaces) {
      result.evaluations++;
      const checked = checkConftestNamespace(doc.file, ns, errors);
      const add = (r: ConftestResult, action: "deny" | "warn") => {
        const at = locate(doc, r);
        const finding: SourceFinding = { file: doc.file, line: at.line, rule: `${ns.namespace}.${r.rule ?? "deny"}`, message: r.msg, action };
        if (at.column !== undefined) finding.column = at.column;
        result.findings.push(finding);
      };
      for (const r of checked.failures) add(r, "deny");
      for (const r of checked.warnings) add(r, "warn");
    }
    for (const e of errors) result.problems.push({ code: e.code, severity: "error", message: e.message, file: doc.file, line: doc.startLine, column: 1 });
  }
  return result;
}

function bundleSource(bundle: BundleConfig, index: number, input: CollectBundleSourcesInput): PolicySource {
  const entrypoints = bundle.entrypoints.map((e) => `${e.entrypoint} (${e.style})`).join(", ");
  const description = `\`${bundle.path}\`: ${entrypoints}`;
  const prepared = input.load(bundle);
  if (prepared === undefined) {
    const problem: PolicyProblem = {
      code: "policy_bundle_missing",
      severity: "error",
      message: `policies.bundles[${index}].path: the bundle ${bundle.path} is not in the commit the policies are read from`,
      file: input.configFile ?? ".github/fleetward.yml",
      line: 1,
      column: 1,
    };
    return { kind: "bundle", description, problems: [problem], evaluate: () => Promise.resolve({ findings: [], problems: [], evaluations: 0 }) };
  }
  const problems: PolicyProblem[] = prepared.errors.map((e) => ({
    code: e.code,
    severity: "error",
    message: `bundle ${bundle.path}: ${e.message}`,
    file: bundle.path,
    line: 1,
    column: 1,
  }));
  return { kind: "bundle", description, problems, evaluate: (documents) => Promise.resolve(evaluateBundle(bundle.path, prepared, documents)) };
}

/** One source per configured bundle, in configuration order. */
export function collectBundleSources(input: CollectBundleSourcesInput): PolicySource[] {
  return input.bundles.map((bundle, i) => bundleSource(bundle, i, input));
}
