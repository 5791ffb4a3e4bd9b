/**
 * `replicas:` as Kustomize applies one entry: `applyReplicas(resources, replica, fieldSpecs = REPLICAS_SPECS, onSet?)`.
 *
 * Every resource whose current or previous name is `replica.name` and whose kind a field spec selects gets that
 * spec's field (created when missing) set to `count`. No such resource is a `RenderError` `render_replicas_no_match`
 * ("resource with name … does not match a config with the following GVK …"), as in Kustomize; a count that is not
 * a whole number is `render_replicas_count`. `onSet(resourceIndex, pointer)` reports each field set.
 */
import { REPLICAS_SPECS } from "../fieldspec/builtin-tables.js";
import { visitFieldSpec, type FieldSpec } from "../fieldspec/fieldspec.js";
import { RenderError } from "../render-error.js";
import { idsOf, type TargetResource } from "./selector.js";

export interface ReplicaEntry {
  name: string;
  count: number;
}

const gvkSelected = (id: { group: string; version: string; kind: string }, s: FieldSpec): boolean =>
  (!s.group || s.group === id.group) && (!s.version || s.version === id.version) && (!s.kind || s.kind === id.kind);

export function applyReplicas(
  resources: readonly TargetResource[],
  replica: ReplicaEntry,
  fieldSpecs: readonly FieldSpec[] = REPLICAS_SPECS,
  onSet?: (resourceIndex: number, pointer: string) => void,
): void {
  if (typeof replica.count !== "number" || !Number.isInteger(replica.count)) {
    throw new RenderError("render_replicas_count", `replicas '${replica.name}': count must be a whole number`);
  }
  let found = false;
  for (const spec of fieldSpecs) {
    resources.forEach((r, i) => {
      if (!idsOf(r).some((id) => id.name === replica.name && gvkSelected(id, spec))) return;
      found = true;
      visitFieldSpec(r.object, spec, (_v, pointer) => {
        onSet?.(i, pointer);
        return replica.count;
      });
    });
  }
  if (!found) {
    const gvks = fieldSpecs.map((s) => `${s.kind || "[noKind]"}.${s.version || "[noVer]"}.${s.group || "[noGrp]"}`);
    throw new RenderError("render_replicas_no_match", `resource with name ${replica.name} does not match a config with the following GVK [${gvks.join(" ")}]`);
  }
}
