import type { JsonObject } from "../manifests/manifest-types.js";
import { gatekeeperDiagnostic } from "./gatekeeper-diagnostic.js";
import type { ConstraintTemplate, GatekeeperDiagnostic, RegoVersion, SourceDocument } from "./gatekeeper-types.js";

const TEMPLATE_API_VERSIONS = new Set([
  "templates.gatekeeper.sh/v1",
  "templates.gatekeeper.sh/v1beta1",
  "templates.gatekeeper.sh/v1alpha1",
]);

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

/** Whether a document is a Gatekeeper ConstraintTemplate (by apiVersion and kind). */
export function isConstraintTemplateDocument(value: JsonObject): boolean {
  return value.kind === "ConstraintTemplate" && typeof value.apiVersion === "string" && TEMPLATE_API_VERSIONS.has(value.apiVersion);
}

export interface ParsedConstraintTemplate {
  template?: ConstraintTemplate;
  diagnostics: GatekeeperDiagnostic[];
}

/**
 * Parses a ConstraintTemplate (templates.gatekeeper.sh v1, v1beta1, v1alpha1). The Rego comes from `spec.targets[0]
 * .code[]` with `engine: Rego` (`source.rego`, `source.libs`, `source.version`; Rego v0 unless `version: v1`), else
 * from the legacy `spec.targets[0].rego` and `libs` (always Rego v0). Errors carry the file and line of the field.
 */
export function parseConstraintTemplate(doc: SourceDocument): ParsedConstraintTemplate {
  const diagnostics: GatekeeperDiagnostic[] = [];
  const v = doc.value;
  const fail = (message: string, path: (string | number)[], code: GatekeeperDiagnostic["code"] = "gatekeeper_template_invalid") => {
    diagnostics.push(gatekeeperDiagnostic(doc, code, message, path));
    return { diagnostics };
  };
  if (!isConstraintTemplateDocument(v)) return fail("not a templates.gatekeeper.sh ConstraintTemplate", ["kind"]);
  const metadata = isObject(v.metadata) ? v.metadata : {};
  const name = metadata.name;
  if (typeof name !== "string" || name === "") return fail("metadata.name is required", ["metadata"]);
  const spec = v.spec;
  if (!isObject(spec)) return fail("spec is required", []);
  const crdSpec = isObject(spec.crd) && isObject(spec.crd.spec) ? spec.crd.spec : undefined;
  const names = crdSpec !== undefined && isObject(crdSpec.names) ? crdSpec.names : undefined;
  const kind = names?.kind;
  if (typeof kind !== "string" || kind === "") {
    return fail("spec.crd.spec.names.kind is required", ["spec", "crd", "spec", "names", "kind"]);
  }
  if (name !== kind.toLowerCase()) {
    diagnostics.push(
      gatekeeperDiagnostic(
        doc,
        "gatekeeper_template_name_mismatch",
        `metadata.name "${name}" must be the lowercase of the constraint kind "${kind}" ("${kind.toLowerCase()}")`,
        ["metadata", "name"],
      ),
    );
  }
  let parametersSchema: JsonObject | undefined;
  const validation = crdSpec !== undefined && isObject(crdSpec.validation) ? crdSpec.validation : undefined;
  if (validation?.openAPIV3Schema !== undefined) {
    if (!isObject(validation.openAPIV3Schema)) {
      return fail("openAPIV3Schema must be an object", ["spec", "crd", "spec", "validation", "openAPIV3Schema"]);
    }
    parametersSchema = validation.openAPIV3Schema;
  }
  const targets = spec.targets;
  if (!Array.isArray(targets) || targets.length === 0) return fail("spec.targets must list one target", ["spec", "targets"]);
  if (targets.length > 1) return fail("Gatekeeper supports exactly one target per template", ["spec", "targets", 1]);
  const target = targets[0];
  if (!isObject(target) || typeof target.target !== "string") {
    return fail("spec.targets[0].target is required", ["spec", "targets", 0]);
  }

  let rego: string | undefined;
  let libs: string[] = [];
  let regoVersion: RegoVersion = "v0";
  let regoSource: "code" | "targets" = "targets";
  if (target.code !== undefined) {
    if (!Array.isArray(target.code)) return fail("spec.targets[0].code must be a list", ["spec", "targets", 0, "code"]);
    for (const [i, entry] of target.code.entries()) {
      const at = ["spec", "targets", 0, "code", i];
      if (!isObject(entry) || typeof entry.engine !== "string") return fail("code entries need an engine", at);
      if (entry.engine !== "Rego") {
        diagnostics.push(
          gatekeeperDiagnostic(
            doc,
            "gatekeeper_template_unsupported_engine",
            `engine "${entry.engine}" is not evaluated by Fleetward; only Rego is`,
            [...at, "engine"],
            "warning",
          ),
        );
        continue;
      }
      const source = entry.source;
      if (!isObject(source) || typeof source.rego !== "string") return fail("engine Rego needs source.rego", [...at, "source"]);
      if (source.libs !== undefined && !isStringArray(source.libs)) return fail("source.libs must be strings", [...at, "source", "libs"]);
      if (source.version !== undefined && source.version !== "v0" && source.version !== "v1") {
        return fail(`source.version must be "v0" or "v1"`, [...at, "source", "version"]);
      }
      rego = source.rego;
      libs = source.libs ?? [];
      regoVersion = source.version === "v1" ? "v1" : "v0";
      regoSource = "code";
      break;
    }
  }
  if (rego === undefined && typeof target.rego === "string" && target.rego.trim() !== "") {
    if (target.libs !== undefined && !isStringArray(target.libs)) return fail("libs must be strings", ["spec", "targets", 0, "libs"]);
    rego = target.rego;
    libs = target.libs ?? [];
  }
  if (rego === undefined) {
    return fail("the template has no Rego (spec.targets[0].rego or a code entry with engine Rego)", ["spec", "targets", 0], "gatekeeper_template_no_rego");
  }
  const line = doc.startLine;
  const template: ConstraintTemplate = {
    name,
    kind,
    apiVersion: v.apiVersion as string,
    target: target.target,
    rego,
    libs,
    regoVersion,
    regoSource,
    file: doc.file,
    line,
  };
  if (parametersSchema !== undefined) template.parametersSchema = parametersSchema;
  return { template, diagnostics };
}
