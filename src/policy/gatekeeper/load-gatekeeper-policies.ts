import type { JsonObject } from "../manifests/manifest-types.js";
import { gatekeeperDiagnostic } from "./gatekeeper-diagnostic.js";
import type { Constraint, ConstraintTemplate, GatekeeperDiagnostic, SourceDocument } from "./gatekeeper-types.js";
import { isConstraintDocument, parseConstraint, type ParseConstraintOptions } from "./parse-constraint.js";
import { isConstraintTemplateDocument, parseConstraintTemplate } from "./parse-constraint-template.js";

export interface GatekeeperPolicySet {
  templates: Map<string, ConstraintTemplate>;
  constraints: Constraint[];
  /** Namespace objects by name, for namespaceSelector. */
  namespaces: Map<string, JsonObject>;
  /** Documents that are neither templates nor constraints: the objects to review. */
  objects: SourceDocument[];
  diagnostics: GatekeeperDiagnostic[];
}

/**
 * Sorts loaded documents into templates (by kind; a second template for the same kind is reported and ignored),
 * constraints (parsed against those templates), Namespaces and the other objects to review. gator Suite documents
 * are left out.
 */
export function loadGatekeeperPolicies(docs: readonly SourceDocument[], options: ParseConstraintOptions = {}): GatekeeperPolicySet {
  const set: GatekeeperPolicySet = { templates: new Map(), constraints: [], namespaces: new Map(), objects: [], diagnostics: [] };
  const constraintDocs: SourceDocument[] = [];
  for (const doc of docs) {
    if (isConstraintTemplateDocument(doc.value)) {
      const r = parseConstraintTemplate(doc);
      set.diagnostics.push(...r.diagnostics);
      if (r.template === undefined) continue;
      const existing = set.templates.get(r.template.kind);
      if (existing !== undefined) {
        set.diagnostics.push(
          gatekeeperDiagnostic(
            doc,
            "gatekeeper_template_duplicate_kind",
            `kind ${r.template.kind} is already defined by ${existing.file}:${existing.line}`,
            ["spec", "crd", "spec", "names", "kind"],
          ),
        );
        continue;
      }
      set.templates.set(r.template.kind, r.template);
    } else if (isConstraintDocument(doc.value)) {
      constraintDocs.push(doc);
    } else if (doc.value.kind === "Suite" && String(doc.value.apiVersion).startsWith("test.gatekeeper.sh/")) {
      continue; // gator test suites describe tests, they are not cluster objects
    } else {
      set.objects.push(doc);
      const v = doc.value;
      const md = v.metadata !== null && typeof v.metadata === "object" ? (v.metadata as JsonObject) : {};
      if (v.kind === "Namespace" && v.apiVersion === "v1" && typeof md.name === "string") set.namespaces.set(md.name, v);
    }
  }
  for (const doc of constraintDocs) {
    const r = parseConstraint(doc, set.templates, options);
    set.diagnostics.push(...r.diagnostics);
    if (r.constraint !== undefined) set.constraints.push(r.constraint);
  }
  return set;
}
