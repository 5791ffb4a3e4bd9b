import type { JsonObject } from "../manifests/manifest-types.js";

export interface Inventory {
  cluster: Record<string, Record<string, Record<string, JsonObject>>>;
  namespace: Record<string, Record<string, Record<string, Record<string, JsonObject>>>>;
}

function nested<T>(o: Record<string, T>, k: string, make: () => T): T {
  let v = o[k];
  if (v === undefined) {
    v = make();
    o[k] = v;
  }
  return v;
}

/**
 * `data.inventory` as Gatekeeper syncs it: namespaced objects at `namespace[ns][groupVersion][kind][name]`,
 * cluster-scoped ones (no metadata.namespace) at `cluster[groupVersion][kind][name]`; groupVersion is the object's
 * apiVersion (`v1`, `apps/v1`). Objects without a name or apiVersion/kind are left out; a later object with the same
 * key replaces an earlier one.
 */
export function buildInventory(objects: Iterable<JsonObject>): Inventory {
  const inv: Inventory = { cluster: {}, namespace: {} };
  for (const obj of objects) {
    const md = obj.metadata !== null && typeof obj.metadata === "object" ? (obj.metadata as JsonObject) : {};
    const { apiVersion, kind } = obj;
    const name = md.name;
    if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof name !== "string" || name === "") continue;
    const ns = typeof md.namespace === "string" ? md.namespace : "";
    type ByName = Record<string, JsonObject>;
    type ByKind = Record<string, ByName>;
    const root: Record<string, ByKind> =
      ns === "" ? inv.cluster : nested<Record<string, ByKind>>(inv.namespace, ns, () => ({}));
    const byKind = nested<ByKind>(root, apiVersion, () => ({}));
    nested<ByName>(byKind, kind, () => ({}))[name] = obj;
  }
  return inv;
}
