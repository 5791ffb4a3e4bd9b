/**
 * Patch targets (Kustomize's Selector), matched as Kustomize's ResMap.Select does: group/version/kind/name/namespace
 * are RE2 patterns matched whole (the transformer layer's `compileSelector`), name and namespace are tried on the
 * object's original id and then its current one, and label/annotation selectors on its current metadata.
 */
import { curId, orgId } from "./resource.js";
import type { Resource } from "./resource.js";
import { compileSelector } from "./transformers/selector.js";
import type { ResourceSelector } from "./transformers/selector.js";

export type PatchTarget = ResourceSelector;

export function selectTargets(resources: readonly Resource[], t: PatchTarget): Resource[] {
  const test = compileSelector(t);
  return resources.filter((r) => {
    const cur = curId(r);
    const org = orgId(r);
    return test(cur, r.obj) || test({ ...cur, name: org.name, namespace: org.namespace }, r.obj) || test({ ...cur, name: org.name }, r.obj) || test({ ...cur, namespace: org.namespace }, r.obj);
  });
}
