/**
 * Kustomize's output orders: `legacy` (its default for `kustomize build`: kinds in `orderFirst` first, in that
 * order, then kinds in neither list, then `orderLast`; within equal ranks by `group_version_kind` text, then by
 * namespace and name) and `fifo` (input order, `--reorder none`).
 */
import { curId } from "./resource.js";
import type { ResId, Resource } from "./resource.js";

export const DEFAULT_ORDER_FIRST: readonly string[] = [
  "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy", "Role",
  "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange",
  "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
];
export const DEFAULT_ORDER_LAST: readonly string[] = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

/** Kustomize's legacy Gvk sort text: `group_version_kind`, missing parts as `~G`, `~V`, `~K`. */
function gvkText(id: ResId): string {
  return [id.group || "~G", id.version || "~V", id.kind || "~K"].join("_");
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
      if (ra !== rb) return ra - rb;
      // A core Namespace sorts before a Namespace kind of another group.
      if (a.id.kind === "Namespace" && b.id.kind === "Namespace" && (a.id.group === "" || b.id.group === "")) return cmp(gb, ga);
      return cmp(ga, gb);
    }
    return cmp(`${a.id.namespace || "~X"}|${a.id.name || "~N"}`, `${b.id.namespace || "~X"}|${b.id.name || "~N"}`);
  });
  return keyed.map((k) => k.r);
}
