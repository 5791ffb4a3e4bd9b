/**
 * Patch targets (Kustomize's Selector), matched as Kustomize's ResMap.Select does, by the patch layer's
 * `matchesPatchTarget`: group/version/kind/name/namespace are RE2 patterns matched whole, name and namespace are
 * tried on the object's original id and on its current one (a cluster-scoped object has no namespace, so
 * `namespace: default` does not select it), and label/annotation selectors on its current metadata.
 */
import type { SourcePos } from "./api.js";
import { compilePatchTarget, matchesPatchTarget } from "./patch/patch-target.js";
import type { PatchTargetSelector } from "./patch/patch-target.js";
import { RenderError } from "./render-error.js";
import type { Resource } from "./resource.js";

export type PatchTarget = PatchTargetSelector;

const FIELDS = ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"] as const;

export function selectTargets(resources: readonly Resource[], t: PatchTarget, pos?: SourcePos): Resource[] {
  for (const field of FIELDS) {
    const value: unknown = t[field];
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw new RenderError("render_invalid_patch", `patch target ${field} must be a string, not ${JSON.stringify(value)}`, pos);
    }
  }
  const compiled = compilePatchTarget(t, pos);
  return resources.filter((r) => matchesPatchTarget({ object: r.obj, previousIds: r.prevIds }, compiled));
}
