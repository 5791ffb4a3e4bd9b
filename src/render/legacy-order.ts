/**
 * Kustomize's output orders: `legacy` (its default for `kustomize build`: kinds in `orderFirst` first, in that
 * order, then kinds in neither list, then `orderLast`; within equal ranks by group/version/kind text, then by id
 * text) and `fifo` (input order, `--reorder none`).
 */
import { curId, idString } from "./resource.js";
import type { ResId, Resource } from "./resource.js";

export const DEFAULT_ORDER_FIRST: readonly string[] = [
  "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy", "Role",
  "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange",
  "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
];
export const DEFAULT_ORDER_LAST: readonly string[] = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

function gvkText(id: ResId): string {
  return [id.kind || "[noKind]", id.version || "[noVer]", id.group || "[noGrp]"].join(".");
}

/** Byte-wise comparison, as Go compares strings. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The resources in legacy order (a new array). */
export function legacyOrder(resources: readonly Resource[], orderFirst: readonly string[] = DEFAULT_ORDER_FIRST, orderLast: readonly string[] = DEFAULT_ORDER_LAST): Resource[] {
  const rank = new Map<string, number>();
  orderFirst.forEach((k, i) => rank.set(k, -orderFirst.length + i));
  orderLast.forEach((k, i) => rank.set(k, 1 + i));
  const keyed = resources.map((r) => ({ r, id: curId(r) }));
  keyed.sort((a, b) => {
    const ga = gvkText(a.id);
    const gb = gvkText(b.id);
    if (ga !== gb) {
      const ra = rank.get(a.id.kind) ?? 0;
      const rb = rank.get(b.id.kind) ?? 0;
      return ra !== rb ? ra - rb : cmp(ga, gb);
    }
    return cmp(idString(a.id), idString(b.id));
  });
  return keyed.map((k) => k.r);
}
