/**
 * Kustomize's namespace transformer (`namespace:`): `metadata.namespace` of every namespaced object, the subjects
 * named `default` of RoleBindings and ClusterRoleBindings, and the other fields of the namespace field specs (a core
 * Namespace's own name, an APIService's service, a CRD's conversion webhook). Records previous ids, and fails when
 * two objects end up with the same id, as Kustomize does.
 */
import type { SourcePos } from "./api.js";
import { isPlainObject, visitFieldSpec } from "./fieldspec/fieldspec.js";
import type { FieldSpec } from "./fieldspec/fieldspec.js";
import { RenderError } from "./render-error.js";
import { curId, effectiveNamespace, idString, isNamespaceable, storePreviousId } from "./resource.js";
import type { Resource } from "./resource.js";

const BINDINGS = new Set(["RoleBinding", "ClusterRoleBinding"]);

function handledByHacks(spec: FieldSpec): boolean {
  if (spec.path === "metadata/namespace") return true;
  return BINDINGS.has(spec.kind ?? "") && spec.path.startsWith("subjects");
}

export function applyNamespace(resources: Resource[], namespace: string, specs: readonly FieldSpec[], at: SourcePos): void {
  if (namespace === "") return;
  const others = specs.filter((s) => !handledByHacks(s));
  for (const r of resources) {
    if (Object.keys(r.obj).length === 0) continue;
    storePreviousId(r);
    const id = curId(r);
    const set = (pointer: string): string => {
      r.fieldOrigins[pointer] = at;
      return namespace;
    };
    if (isNamespaceable(id)) {
      const meta = isPlainObject(r.obj["metadata"]) ? r.obj["metadata"] : (r.obj["metadata"] = {});
      meta["namespace"] = set("/metadata/namespace");
    }
    if (BINDINGS.has(id.kind) && Array.isArray(r.obj["subjects"])) {
      r.obj["subjects"].forEach((s, i) => {
        if (isPlainObject(s) && s["name"] === "default") s["namespace"] = set(`/subjects/${i}/namespace`);
      });
    }
    for (const spec of others) {
      // A Namespace's name is its namespace only for the core kind (not a CRD that happens to be called Namespace).
      if (spec.kind === "Namespace" && spec.path === "metadata/name" && id.group !== "") continue;
      visitFieldSpec(r.obj, spec, (value, pointer) => (value === undefined || typeof value !== "object" ? set(pointer) : undefined));
    }
  }
  const seen = new Map<string, Resource>();
  for (const r of resources) {
    const id = curId(r);
    const key = `${id.group}/${id.version}/${id.kind}/${id.name}/${effectiveNamespace(id)}`;
    const other = seen.get(key);
    if (other) throw new RenderError("render_id_conflict", `namespace transformation produces ID conflict: ${idString(curId(other))} and ${idString(id)}`, at);
    seen.set(key, r);
  }
}
