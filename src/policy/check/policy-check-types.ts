/**
 * The data of a policy check: policy sources (each a kind of policy that evaluates manifest documents), their
 * findings, the problems that stop a source from judging (compile errors, invalid constraints), and the report
 * the `fleetward/policy` check run and `fleetward check` are made from.
 */
import type { ManifestDocument } from "../manifests/manifest-types.js";

/** What a finding does: `deny` fails the check, `warn` reports it, `dryrun` only records it. */
export type PolicyAction = "deny" | "warn" | "dryrun";

/**
 * The kinds of policy sources. `conftest` (Rego modules with deny/violation/warn rules), `gatekeeper`
 * (ConstraintTemplates + Constraints, the bundled library included) and `bundle` (prebuilt OPA Wasm bundles with
 * configured entrypoints, `collectBundleSources`) are all built by `collectPolicySources`.
 */
export type PolicySourceKind = "conftest" | "gatekeeper" | "bundle";

/** One violation a source reports for one manifest document, before the environment's enforcement applies. */
export interface SourceFinding {
  file: string;
  line: number;
  column?: number;
  /** `<Kind>/<constraint name>` for Gatekeeper, `<namespace>.<rule>` for Conftest. */
  rule: string;
  message: string;
  /** What the policy itself asks for (a constraint's enforcementAction, a Conftest deny or warn rule). */
  action: PolicyAction;
}

/** A problem with a policy (or a manifest) that is not a violation: compile errors, invalid constraints, YAML errors. */
export interface PolicyProblem {
  code: string;
  severity: "error" | "warning";
  message: string;
  file: string;
  line: number;
  column: number;
}

export interface SourceResult {
  findings: SourceFinding[];
  problems: PolicyProblem[];
  /** How many (policy, document) evaluations were made. */
  evaluations: number;
}

/** What a source may look at besides the documents it judges. */
export interface SourceContext {
  /**
   * Every manifest document of the commit being judged (the judged ones included), when the source asked for them
   * (`readsRepository`) and they could be read; otherwise absent, and the judged documents stand in for them.
   */
  repository?: readonly ManifestDocument[];
}

/** A policy source ready to judge documents: compiled once, evaluated for any set of documents. */
export interface PolicySource {
  kind: PolicySourceKind;
  /** For the summary, e.g. `3 constraints (1 from the library)`. */
  description: string;
  /** Problems found while loading and compiling the source (they fail the check). */
  problems: PolicyProblem[];
  /**
   * True when judging needs the repository's other manifests too (a Gatekeeper template that reads
   * `data.inventory`, a constraint with a `namespaceSelector`): the caller then reads them (`SourceContext`).
   */
  readsRepository?: boolean;
  evaluate(documents: readonly ManifestDocument[], context?: SourceContext): Promise<SourceResult>;
}

/** A finding with the enforcement of its file's environment applied. */
export interface PolicyFinding extends SourceFinding {
  /**
   * The source that reported it; `manifests` for a changed file that does not load (YAML errors, limits); `render`
   * for a Kustomize root that cannot be rendered (at the diagnostic's line).
   */
  source: PolicySourceKind | "manifests" | "render";
  /** What the policy asked for, before the environment capped it. */
  ruleAction: PolicyAction;
  /** The environment (or `env/cluster`) of the file, or null when the file belongs to none. */
  environment: string | null;
}

/** Everything a policy check found, in file order. */
export interface PolicyCheckReport {
  findings: PolicyFinding[];
  /** Policy problems (from the base's policies) and manifest problems (in the changed files). */
  problems: PolicyProblem[];
  /** Files that were judged (manifests among the changed files), with their environment label. */
  files: Array<{ path: string; environment: string | null; documents: number }>;
  /** One line per source, e.g. `gatekeeper: 20 constraints`. */
  sources: string[];
  evaluations: number;
  /** Kustomize roots whose rendered objects were judged (see `src/policy/render/`); absent when nothing was rendered. */
  roots?: RenderedRootReport[];
}

/** One rendered root of a policy check. */
export interface RenderedRootReport {
  /** The folder built, e.g. `envs/prod-eu-1`. */
  dir: string;
  /** Its clusters (else environments) as named in messages, e.g. `prod-eu-1`. */
  label: string;
  /** The environment (or `env/cluster`) whose enforcement applies, or null. */
  environment: string | null;
  /** False when the render failed (its diagnostics are findings of source `render`). */
  ok: boolean;
  /** How many objects it rendered. */
  objects: number;
}
