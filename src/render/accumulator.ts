/**
 * The resources a kustomization has gathered so far, with the transformer configuration and the vars that apply to
 * them (Kustomize's ResAccumulator): appending checks ids are unique, absorbing applies a generated object's
 * behavior (create, merge, replace).
 */
import type { SourcePos } from "./api.js";
import { mergeGenerated } from "./generators/merge.js";
import { RenderError } from "./render-error.js";
import { allIds, curId, idEquals, idString } from "./resource.js";
import type { ResId, Resource } from "./resource.js";
import { emptyTransformerConfig, mergeTransformerConfig } from "./transformer-config.js";
import type { TransformerConfig } from "./transformer-config.js";

/** A `vars:` entry. */
export interface VarDef {
  name: string;
  objRef: { group?: string; version?: string; kind?: string; name: string; namespace?: string; apiVersion?: string };
  fieldPath: string;
  at: SourcePos;
}

export interface Accumulator {
  resources: Resource[];
  config: TransformerConfig;
  vars: VarDef[];
}

export function emptyAccumulator(): Accumulator {
  return { resources: [], config: emptyTransformerConfig(), vars: [] };
}

function idKey(r: Resource): string {
  const id = curId(r);
  return `${id.group}|${id.kind}|${id.name}`;
}

/** Appends `incoming`; an id already present is Kustomize's "already registered id" error. */
export function appendAll(acc: Accumulator, incoming: readonly Resource[], at: SourcePos): void {
  const byKey = new Map<string, Resource[]>();
  for (const r of acc.resources) {
    const k = idKey(r);
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  for (const r of incoming) {
    const k = idKey(r);
    const same = (byKey.get(k) ?? []).find((o) => idEquals(curId(o), curId(r)));
    if (same) {
      throw new RenderError("render_duplicate_id", `may not add resource with an already registered id: ${idString(curId(r))} (from ${r.source.file}:${r.source.line}, already from ${same.source.file}:${same.source.line})`, at);
    }
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
    acc.resources.push(r);
  }
}

/** Adds generated objects: `create` appends, `merge`/`replace` fold into the object with the same id. */
export function absorbAll(acc: Accumulator, generated: readonly Resource[], at: SourcePos): void {
  for (const g of generated) {
    const info = g.generated!;
    const gid = curId(g);
    let matches = acc.resources.filter((r) => allIds(r).some((id) => idEquals(id, gid)));
    if (matches.length === 0) matches = acc.resources.filter((r) => allIds(r).some((id) => gvknEquals(id, gid)));
    if (matches.length > 1) throw new RenderError("render_duplicate_id", `found multiple objects that could accept merge of ${idString(gid)}: ${matches.map((m) => idString(curId(m))).join(", ")}`, g.source);
    const existing = matches[0];
    if (!existing) {
      if (info.behavior !== "create") throw new RenderError("render_generator_missing_base", `${idString(gid)} does not exist; cannot merge or replace`, g.source);
      appendAll(acc, [g], at);
      continue;
    }
    if (info.behavior === "create") throw new RenderError("render_generator_exists", `${idString(gid)} exists; behavior must be merge or replace`, g.source);
    const merged = mergeGenerated(existing.obj, { object: g.obj, behavior: info.behavior, needsHash: info.hash }, info.behavior, existing.generated?.hash ?? false);
    existing.obj = merged.object;
    existing.generated = { behavior: "create", hash: merged.needsHash };
    existing.fieldOrigins = { ...existing.fieldOrigins, ...g.fieldOrigins };
  }
}

function gvknEquals(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind && a.name === b.name;
}

export function mergeAccumulator(into: Accumulator, other: Accumulator, at: SourcePos): void {
  appendAll(into, other.resources, at);
  into.config = mergeTransformerConfig(into.config, other.config);
  mergeVars(into, other.vars);
}

export function mergeVars(acc: Accumulator, vars: readonly VarDef[]): void {
  for (const v of vars) {
    const dup = acc.vars.find((x) => x.name === v.name);
    if (dup) {
      if (JSON.stringify({ ...dup, at: 0 }) === JSON.stringify({ ...v, at: 0 })) continue;
      throw new RenderError("render_duplicate_var", `var '${v.name}' already encountered`, v.at);
    }
    acc.vars.push(v);
  }
}
