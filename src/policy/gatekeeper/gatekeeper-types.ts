import type { FieldLocation, FieldPathSegment, JsonObject } from "../manifests/manifest-types.js";

/** The part of a loaded manifest the Gatekeeper parsers need (a ManifestDocument fits). */
export interface SourceDocument {
  file: string;
  startLine: number;
  value: JsonObject;
  locate?(path: string | readonly FieldPathSegment[]): FieldLocation | undefined;
}

/** Stable codes of Gatekeeper diagnostics. */
export type GatekeeperDiagnosticCode =
  | "gatekeeper_template_invalid"
  | "gatekeeper_template_name_mismatch"
  | "gatekeeper_template_no_rego"
  | "gatekeeper_template_unsupported_engine"
  | "gatekeeper_template_invalid_schema"
  | "gatekeeper_template_duplicate_kind"
  | "gatekeeper_constraint_invalid"
  | "gatekeeper_constraint_unknown_kind"
  | "gatekeeper_constraint_invalid_parameters"
  | "gatekeeper_constraint_invalid_enforcement_action"
  | "gatekeeper_constraint_not_enforced"
  | "gatekeeper_constraint_invalid_match"
  | "gatekeeper_review_invalid"
  | "gatekeeper_match_error"
  | "gatekeeper_evaluation_failed"
  | "gatekeeper_result_invalid";

export interface GatekeeperDiagnostic {
  code: GatekeeperDiagnosticCode;
  severity: "error" | "warning";
  message: string;
  file: string;
  line: number;
  column: number;
}

export type RegoVersion = "v0" | "v1";

export interface ConstraintTemplate {
  /** metadata.name (Gatekeeper requires it to be the lowercase of `kind`). */
  name: string;
  /** The constraint kind the template creates: spec.crd.spec.names.kind. */
  kind: string;
  apiVersion: string;
  /** spec.targets[0].target, normally `admission.k8s.gatekeeper.sh`. */
  target: string;
  /** The main Rego module and its libraries, and which Rego syntax they use. */
  rego: string;
  libs: string[];
  regoVersion: RegoVersion;
  /** Where the Rego came from: `code[]` (engine: Rego) or the legacy `targets[].rego`. */
  regoSource: "code" | "targets";
  /** spec.crd.spec.validation.openAPIV3Schema, the schema of a constraint's spec.parameters. */
  parametersSchema?: JsonObject;
  file: string;
  line: number;
}

export type EnforcementAction = "deny" | "warn" | "dryrun";

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface MatchKinds {
  apiGroups?: string[];
  kinds?: string[];
}

/** spec.match of a constraint, as Gatekeeper defines it. */
export interface ConstraintMatch {
  kinds?: MatchKinds[];
  scope?: string;
  namespaces?: string[];
  excludedNamespaces?: string[];
  labelSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  name?: string;
}

export interface Constraint {
  kind: string;
  name: string;
  apiVersion: string;
  match: ConstraintMatch;
  /** spec.parameters; undefined when the constraint has none. */
  parameters: unknown;
  enforcementAction: EnforcementAction;
  /** With `enforcementAction: scoped`: every action that applies at Fleetward's enforcement point. */
  scopedActions?: EnforcementAction[];
  template: ConstraintTemplate;
  file: string;
  line: number;
}
