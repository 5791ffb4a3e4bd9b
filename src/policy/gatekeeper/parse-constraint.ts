import type { JsonObject } from "../manifests/manifest-types.js";
import { gatekeeperDiagnostic } from "./gatekeeper-diagnostic.js";
import type {
  Constraint,
  ConstraintMatch,
  ConstraintTemplate,
  EnforcementAction,
  GatekeeperDiagnostic,
  LabelSelector,
  MatchKinds,
  SourceDocument,
} from "./gatekeeper-types.js";
import { isObject, isStringArray } from "./parse-constraint-template.js";
import { validateParameters } from "./validate-parameters.js";

export const CONSTRAINTS_GROUP = "constraints.gatekeeper.sh";

/** Whether a document is a Gatekeeper constraint (any kind in the constraints.gatekeeper.sh group). */
export function isConstraintDocument(value: JsonObject): boolean {
  return typeof value.apiVersion === "string" && value.apiVersion.startsWith(`${CONSTRAINTS_GROUP}/`);
}

/** Fleetward checks manifests before they reach a cluster, like gator: its enforcement point is gator's. */
export const DEFAULT_ENFORCEMENT_POINT = "gator.gatekeeper.sh";

export interface ParseConstraintOptions {
  /** The enforcement point whose scoped actions apply (default `gator.gatekeeper.sh`). */
  enforcementPoint?: string;
}

export interface ParsedConstraint {
  constraint?: Constraint;
  diagnostics: GatekeeperDiagnostic[];
}

type Path = (string | number)[];

function parseSelector(v: unknown, at: Path, problems: [string, Path][]): LabelSelector | undefined {
  if (!isObject(v)) {
    problems.push(["must be a label selector object", at]);
    return undefined;
  }
  const out: LabelSelector = {};
  if (v.matchLabels !== undefined) {
    if (!isObject(v.matchLabels) || !Object.values(v.matchLabels).every((x) => typeof x === "string")) {
      problems.push(["matchLabels must map strings to strings", [...at, "matchLabels"]]);
    } else out.matchLabels = v.matchLabels as Record<string, string>;
  }
  if (v.matchExpressions !== undefined) {
    if (!Array.isArray(v.matchExpressions)) problems.push(["matchExpressions must be a list", [...at, "matchExpressions"]]);
    else {
      out.matchExpressions = [];
      v.matchExpressions.forEach((e, i) => {
        const ep = [...at, "matchExpressions", i];
        if (!isObject(e) || typeof e.key !== "string" || typeof e.operator !== "string") {
          problems.push(["each expression needs a key and an operator", ep]);
        } else if (e.values !== undefined && !isStringArray(e.values)) {
          problems.push(["values must be strings", [...ep, "values"]]);
        } else {
          out.matchExpressions?.push({ key: e.key, operator: e.operator, ...(e.values !== undefined ? { values: e.values as string[] } : {}) });
        }
      });
    }
  }
  return out;
}

/** Reads spec.match, reporting fields of the wrong shape (the API server would reject them). */
export function parseMatch(v: unknown, problems: [string, Path][]): ConstraintMatch {
  const at: Path = ["spec", "match"];
  const match: ConstraintMatch = {};
  if (v === undefined) return match;
  if (!isObject(v)) {
    problems.push(["spec.match must be an object", at]);
    return match;
  }
  if (v.kinds !== undefined) {
    if (!Array.isArray(v.kinds)) problems.push(["kinds must be a list", [...at, "kinds"]]);
    else {
      match.kinds = [];
      v.kinds.forEach((k, i) => {
        const kp = [...at, "kinds", i];
        if (!isObject(k)) return problems.push(["each kinds entry must be an object", kp]);
        const entry: MatchKinds = {};
        if (k.apiGroups !== undefined) {
          if (!isStringArray(k.apiGroups)) problems.push(["apiGroups must be strings", [...kp, "apiGroups"]]);
          else entry.apiGroups = k.apiGroups;
        }
        if (k.kinds !== undefined) {
          if (!isStringArray(k.kinds)) problems.push(["kinds must be strings", [...kp, "kinds"]]);
          else entry.kinds = k.kinds;
        }
        match.kinds?.push(entry);
        return undefined;
      });
    }
  }
  for (const f of ["namespaces", "excludedNamespaces"] as const) {
    if (v[f] === undefined) continue;
    if (!isStringArray(v[f])) problems.push([`${f} must be a list of strings`, [...at, f]]);
    else match[f] = v[f];
  }
  for (const f of ["scope", "name"] as const) {
    if (v[f] === undefined) continue;
    if (typeof v[f] !== "string") problems.push([`${f} must be a string`, [...at, f]]);
    else match[f] = v[f];
  }
  if (v.labelSelector !== undefined) {
    const s = parseSelector(v.labelSelector, [...at, "labelSelector"], problems);
    if (s !== undefined) match.labelSelector = s;
  }
  if (v.namespaceSelector !== undefined) {
    const s = parseSelector(v.namespaceSelector, [...at, "namespaceSelector"], problems);
    if (s !== undefined) match.namespaceSelector = s;
  }
  return match;
}

/**
 * Parses a constraint against the known templates (by constraint kind): the kind must be a template's CRD kind,
 * spec.match must be well-formed, spec.parameters must satisfy the template's openAPIV3Schema (errors point at the
 * offending parameter's line), and spec.enforcementAction must be deny (the default), warn, dryrun or scoped. With
 * scoped, the actions of `scopedEnforcementActions` whose enforcementPoints name the enforcement point (or `*`)
 * apply; the strongest (deny, then warn, then dryrun) becomes the constraint's action and all are kept in
 * `scopedActions`; a constraint with none for the point is not enforced (a warning, no constraint).
 */
export function parseConstraint(
  doc: SourceDocument,
  templatesByKind: ReadonlyMap<string, ConstraintTemplate>,
  options: ParseConstraintOptions = {},
): ParsedConstraint {
  const diagnostics: GatekeeperDiagnostic[] = [];
  const v = doc.value;
  const diag = (code: GatekeeperDiagnostic["code"], message: string, path: Path) =>
    diagnostics.push(gatekeeperDiagnostic(doc, code, message, path));
  if (!isConstraintDocument(v) || typeof v.kind !== "string") {
    diag("gatekeeper_constraint_invalid", `not a ${CONSTRAINTS_GROUP} constraint`, ["apiVersion"]);
    return { diagnostics };
  }
  const metadata = isObject(v.metadata) ? v.metadata : {};
  if (typeof metadata.name !== "string" || metadata.name === "") {
    diag("gatekeeper_constraint_invalid", "metadata.name is required", ["metadata"]);
    return { diagnostics };
  }
  const template = templatesByKind.get(v.kind);
  if (template === undefined) {
    diag("gatekeeper_constraint_unknown_kind", `no ConstraintTemplate defines the kind "${v.kind}"`, ["kind"]);
    return { diagnostics };
  }
  const spec = v.spec === undefined ? {} : v.spec;
  if (!isObject(spec)) {
    diag("gatekeeper_constraint_invalid", "spec must be an object", ["spec"]);
    return { diagnostics };
  }
  const problems: [string, Path][] = [];
  const match = parseMatch(spec.match, problems);
  for (const [message, path] of problems) diag("gatekeeper_constraint_invalid_match", message, path);

  let enforcementAction: EnforcementAction = "deny";
  let scopedActions: EnforcementAction[] | undefined;
  const isAction = (a: unknown): a is EnforcementAction => a === "deny" || a === "warn" || a === "dryrun";
  if (spec.enforcementAction === "scoped") {
    const point = (options.enforcementPoint ?? DEFAULT_ENFORCEMENT_POINT).toLowerCase();
    const scoped = spec.scopedEnforcementActions;
    scopedActions = [];
    if (!Array.isArray(scoped)) {
      diag("gatekeeper_constraint_invalid_enforcement_action", "enforcementAction scoped needs a scopedEnforcementActions list", ["spec", "enforcementAction"]);
    } else {
      scoped.forEach((entry, i) => {
        const at = ["spec", "scopedEnforcementActions", i];
        const points = isObject(entry) ? entry.enforcementPoints : undefined;
        if (!isObject(entry) || !isAction(entry.action) || !Array.isArray(points)) {
          diag("gatekeeper_constraint_invalid_enforcement_action", 'each scoped action needs an action (deny, warn or dryrun) and enforcementPoints', at);
          return;
        }
        const applies = points.some((p) => isObject(p) && typeof p.name === "string" && (p.name === "*" || p.name.toLowerCase() === point));
        if (applies && !scopedActions?.includes(entry.action)) scopedActions?.push(entry.action);
      });
    }
    const severity: EnforcementAction[] = ["deny", "warn", "dryrun"];
    const strongest = severity.find((a) => scopedActions?.includes(a));
    if (strongest !== undefined) enforcementAction = strongest;
    else if (!diagnostics.some((d) => d.severity === "error")) {
      diagnostics.push(
        gatekeeperDiagnostic(doc, "gatekeeper_constraint_not_enforced", `the constraint has no scoped enforcement action for ${point}`, ["spec", "scopedEnforcementActions"], "warning"),
      );
      return { diagnostics };
    }
  } else if (spec.enforcementAction !== undefined) {
    const a = spec.enforcementAction;
    if (isAction(a)) enforcementAction = a;
    else {
      diag(
        "gatekeeper_constraint_invalid_enforcement_action",
        `enforcementAction must be "deny", "warn", "dryrun" or "scoped", not ${JSON.stringify(a)}`,
        ["spec", "enforcementAction"],
      );
    }
  }
  const parameters = spec.parameters;
  if (parameters !== undefined && template.parametersSchema !== undefined) {
    const r = validateParameters(template.parametersSchema, parameters);
    if (!r.ok && "schemaError" in r) {
      diag("gatekeeper_constraint_invalid_parameters", `the template's parameter schema is invalid: ${r.schemaError}`, ["spec", "parameters"]);
    } else if (!r.ok) {
      for (const e of r.errors) {
        const where = e.path.length === 0 ? "spec.parameters" : `spec.parameters.${e.path.join(".")}`;
        diag("gatekeeper_constraint_invalid_parameters", `${where}: ${e.message}`, ["spec", "parameters", ...e.path]);
      }
    }
  }
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  return {
    constraint: {
      kind: v.kind,
      name: metadata.name,
      apiVersion: v.apiVersion as string,
      match,
      parameters,
      enforcementAction,
      ...(scopedActions !== undefined ? { scopedActions } : {}),
      template,
      file: doc.file,
      line: doc.startLine,
    },
    diagnostics,
  };
}
