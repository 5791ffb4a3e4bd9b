/**
 * `vars:` bookkeeping (Kustomize's ResAccumulator.MergeVars/ResolveVars): each var names an object (`objref`) and a
 * field (`fieldref.fieldpath`, default `metadata.name`); the object is found among the resources accumulated where
 * the var is declared, by its original id, and the value is read once the whole build is done.
 */
import type { SourcePos } from "./api.js";
import type { VarDef } from "./accumulator.js";
import { isPlainObject, parseApiVersion } from "./fieldspec/fieldspec.js";
import type { KEntry, Kustomization } from "./kustomization.js";
import { RenderError } from "./render-error.js";
import { curId, idString, isNamespaceable, orgId } from "./resource.js";
import type { Resource } from "./resource.js";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function parseVars(k: Kustomization, entries: readonly KEntry<unknown>[]): VarDef[] {
  return entries.map((e) => {
    const v = e.value;
    if (!isPlainObject(v) || typeof v["name"] !== "string" || !isPlainObject(v["objref"])) {
      throw new RenderError("render_invalid_var", `${k.file}: a var needs a 'name' and an 'objref'`, e.at);
    }
    const o = v["objref"];
    if (typeof o["name"] !== "string") throw new RenderError("render_invalid_var", `var '${v["name"]}': objref needs a 'name'`, e.at);
    const gv = str(o["apiVersion"]) ? parseApiVersion(o["apiVersion"]) : { group: str(o["group"]) ?? "", version: str(o["version"]) ?? "" };
    const fr = isPlainObject(v["fieldref"]) ? v["fieldref"] : {};
    const fieldPath = str(fr["fieldpath"]) ?? str(fr["fieldPath"]) ?? "metadata.name";
    const objRef: VarDef["objRef"] = { group: gv.group, version: gv.version, kind: str(o["kind"]) ?? "", name: o["name"] };
    if (str(o["namespace"])) objRef.namespace = o["namespace"] as string;
    return { name: v["name"], objRef, fieldPath, at: e.at };
  });
}

/** Marks the object each var names (by original id); more than one match is an error, as in Kustomize. */
export function markVarTargets(resources: readonly Resource[], vars: readonly VarDef[]): void {
  for (const v of vars) {
    const ref = v.objRef;
    const probe = { group: ref.group ?? "", version: ref.version ?? "", kind: ref.kind ?? "", name: ref.name, namespace: ref.namespace ?? "" };
    const withNs = probe.namespace !== "" || !isNamespaceable(probe);
    const matched = resources.filter((r) => {
      const id = orgId(r);
      if (id.group !== probe.group || id.version !== probe.version || id.kind !== probe.kind || id.name !== probe.name) return false;
      if (!withNs) return true;
      return (id.namespace || "default") === (probe.namespace || "default");
    });
    if (matched.length > 1) throw new RenderError("render_ambiguous_var", `found ${matched.length} resId matches for var '${v.name}' (unable to disambiguate)`, v.at);
    if (matched.length === 1 && !matched[0]!.refVarNames.includes(v.name)) matched[0]!.refVarNames.push(v.name);
  }
}

/** Reads `a.b[0].c` (Kustomize's field path syntax) from an object. */
export function readFieldPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split(".")) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(seg);
    if (!m) return undefined;
    if (m[1] !== "") cur = isPlainObject(cur) ? cur[m[1]!] : undefined;
    for (const idx of m[2]!.match(/\d+/g) ?? []) cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The value of every var, from the object it names (error `render_var_unresolved` when none or the field is missing). */
export function varValues(resources: readonly Resource[], vars: readonly VarDef[]): Map<string, { value: unknown; at: SourcePos }> {
  const out = new Map<string, { value: unknown; at: SourcePos }>();
  for (const v of vars) {
    const r = resources.find((x) => x.refVarNames.includes(v.name));
    if (!r) throw new RenderError("render_var_unresolved", `var '${v.name}' cannot be mapped to a field in the set of known resources`, v.at);
    const value = readFieldPath(r.obj, v.fieldPath);
    if (value === undefined) throw new RenderError("render_var_unresolved", `field '${v.fieldPath}' of var '${v.name}' not found in ${idString(curId(r))}`, v.at);
    out.set(v.name, { value, at: v.at });
  }
  return out;
}
