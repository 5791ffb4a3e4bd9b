/**
 * Kustomize's name-reference fix-up: after prefixes, suffixes, namespaces and generator hashes changed names, every
 * field that names another object (a ConfigMap in a Pod's volumes, a ServiceAccount in a RoleBinding's subjects, a
 * Service in an Ingress, … per the nameReference field specs) gets the referred object's current name. An object is
 * found by any of its previous ids, so references written in a base resolve after the overlays renamed it.
 */
import { isPlainObject, visitFieldSpec } from "./fieldspec/fieldspec.js";
import type { FieldSpec, NameBackReference } from "./fieldspec/fieldspec.js";
import { RenderError } from "./render-error.js";
import { curId, effectiveNamespace, getName, getNamespace, gvkSelected, idString, isNamespaceable, nsEquals, orgId } from "./resource.js";
import type { Resource } from "./resource.js";

/** True when `longest` ends with `shortest` (an empty list only matches an empty list), as Kustomize's SameEndingSubSlice. */
function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const diff = long.length - short.length;
  if (short.length === 0) return diff === 0;
  return short.every((s, i) => long[i + diff] === s);
}

/** Kustomize's PrefixesSuffixesEquals with allowEmpty: an object without affixes matches any. */
function affixesMatch(a: readonly string[], b: readonly string[]): boolean {
  return a.length === 0 || b.length === 0 || sameEnding(a, b);
}

/** The objects `referrer` may refer to: cluster-scoped ones, its namespace's, and namespaces its RoleBinding subjects name. */
function couldBeReferenced(referrer: Resource, all: readonly Resource[]): Resource[] {
  const rid = curId(referrer);
  if (!isNamespaceable(rid)) return [...all];
  const bindingNs = new Set<string>();
  if (rid.kind === "RoleBinding" && Array.isArray(referrer.obj["subjects"])) {
    for (const s of referrer.obj["subjects"]) {
      if (isPlainObject(s) && s["kind"] === "ServiceAccount" && typeof s["namespace"] === "string") bindingNs.add(s["namespace"]);
    }
  }
  return all.filter((t) => {
    const id = curId(t);
    return !isNamespaceable(id) || nsEquals(id, rid) || bindingNs.has(getNamespace(t.obj));
  });
}

interface Ref {
  referrer: Resource;
  spec: FieldSpec;
  target: NameBackReference;
  candidates: Resource[];
}

function roleRefGvk(referrer: Resource): { group: string; kind: string } | undefined {
  const rr = referrer.obj["roleRef"];
  if (!isPlainObject(rr) || typeof rr["apiGroup"] !== "string" || typeof rr["kind"] !== "string") return undefined;
  return { group: rr["apiGroup"], kind: rr["kind"] };
}

function prevSelected(r: Resource, sel: { group?: string; version?: string; kind?: string }): boolean {
  return r.prevIds.some((id) => gvkSelected(id, sel));
}

function selectReferral(ref: Ref, oldName: string, candidates: readonly Resource[]): Resource | undefined {
  const rid = curId(ref.referrer);
  let c = candidates.filter((r) => r.prevIds.some((id) => id.name === oldName));
  c = c.filter((r) => prevSelected(r, ref.target));
  if (ref.spec.path.endsWith("roleRef/name")) {
    const gvk = roleRefGvk(ref.referrer);
    if (gvk) c = c.filter((r) => prevSelected(r, gvk));
  }
  if (isNamespaceable(rid)) {
    c = c.filter((r) => {
      const id = curId(r);
      return !isNamespaceable(id) || id.kind === "ServiceAccount" || nsEquals(rid, id);
    });
  }
  if (c.length === 1) return c[0];
  const p = ref.referrer;
  const strict = c.filter((r) => sameEnding(r.prefixes, p.prefixes) && sameEnding(r.suffixes, p.suffixes));
  if (strict.length === 1) return strict[0];
  const loose = c.filter((r) => affixesMatch(r.prefixes, p.prefixes) && affixesMatch(r.suffixes, p.suffixes));
  if (loose.length === 1) return loose[0];
  c = strict.length > 1 ? strict : loose;
  if (c.length === 0) return undefined;
  const name = getName(c[0]!.obj);
  if (c.every((r) => getName(r.obj) === name)) return c[0];
  throw new RenderError(
    "render_ambiguous_reference",
    `${idString(rid)}: '${ref.spec.path}' names '${oldName}', which could be any of ${c.map((r) => idString(curId(r))).join(", ")}`,
    ref.referrer.source,
  );
}

function fixMapping(ref: Ref, m: Record<string, unknown>): void {
  const oldName = m["name"];
  if (typeof oldName !== "string") {
    if (oldName === undefined) throw new RenderError("render_invalid_name_reference", `${idString(curId(ref.referrer))}: '${ref.spec.path}' has no 'name' field`, ref.referrer.source);
    return;
  }
  let candidates = ref.candidates;
  if (typeof m["namespace"] === "string") {
    const ns = m["namespace"];
    const byOrg = candidates.filter((r) => effectiveNamespace(orgId(r)) === ns);
    candidates = byOrg.length > 0 ? byOrg : candidates.filter((r) => effectiveNamespace(curId(r)) === ns);
  }
  const referral = selectReferral(ref, oldName, candidates);
  if (!referral) return;
  const name = getName(referral.obj);
  const ns = getNamespace(referral.obj);
  if (name === oldName && ns === "") return;
  m["name"] = name;
  if (ns !== "") m["namespace"] = ns;
}

function fixValue(ref: Ref, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") {
    const referral = selectReferral(ref, value, ref.candidates);
    return referral ? getName(referral.obj) : undefined;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item === "string") {
        const v = fixValue(ref, item);
        if (v !== undefined) value[i] = v;
      } else if (isPlainObject(item)) fixMapping(ref, item);
    });
    return value;
  }
  if (isPlainObject(value)) {
    fixMapping(ref, value);
    return value;
  }
  return undefined;
}

/** The (referred kind, referrer field) pairs, by the referrer kind they select ("" for specs of any kind). */
function indexByKind(backRefs: readonly NameBackReference[]): Map<string, [NameBackReference, FieldSpec][]> {
  const index = new Map<string, [NameBackReference, FieldSpec][]>();
  for (const target of backRefs) {
    for (const spec of target.fieldSpecs) {
      const k = spec.kind ?? "";
      let list = index.get(k);
      if (!list) index.set(k, (list = []));
      list.push([target, spec]);
    }
  }
  return index;
}

/** Fixes every name reference in `resources` (in place). */
export function fixNameReferences(resources: Resource[], backRefs: readonly NameBackReference[]): void {
  const index = indexByKind(backRefs);
  const anyKind = index.get("") ?? [];
  for (const referrer of resources) {
    const id = orgId(referrer);
    const pairs = [...(index.get(id.kind) ?? []), ...anyKind];
    let candidates: Resource[] | undefined;
    for (const [target, spec] of pairs) {
      if (!gvkSelected(id, spec)) continue;
      candidates ??= couldBeReferenced(referrer, resources);
      const ref: Ref = { referrer, spec, target, candidates };
      visitFieldSpec(referrer.obj, { path: spec.path }, (v) => fixValue(ref, v));
    }
  }
}
