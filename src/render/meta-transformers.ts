/**
 * Kustomize's builtin transformers that change names, labels and annotations: `namePrefix`/`nameSuffix` (and the
 * builtin PrefixSuffixTransformer), `commonLabels`/`labels`, `commonAnnotations`. Each records, per resource, the
 * fields it set (`fieldOrigins`) and, for renames, the previous id so name references can be fixed later.
 */
import type { SourcePos } from "./api.js";
import { pointerToken, visitFieldSpec, isPlainObject } from "./fieldspec/fieldspec.js";
import type { FieldSpec } from "./fieldspec/fieldspec.js";
import { NAME_PREFIX_SUFFIX_SKIP } from "./fieldspec/builtin-tables.js";
import { gvkSelected, orgId, storePreviousId } from "./resource.js";
import type { Resource } from "./resource.js";

function skipsAffix(r: Resource): boolean {
  const id = orgId(r);
  return NAME_PREFIX_SUFFIX_SKIP.some((s) => gvkSelected(id, s));
}

/**
 * Adds a name prefix or suffix to the fields `specs` reach (by default `metadata/name`), as Kustomize's
 * PrefixTransformer/SuffixTransformer: every resource that is not skipped records the affix (the lists tell layers
 * apart when name references are resolved) and its previous id. An empty affix does nothing.
 */
export function applyNameAffix(resources: Resource[], which: "prefix" | "suffix", affix: string, specs: readonly FieldSpec[], at: SourcePos | undefined): void {
  if (affix === "") return;
  for (const r of resources) {
    if (skipsAffix(r)) continue;
    const id = orgId(r);
    for (const spec of specs) {
      if (!gvkSelected(id, spec)) continue;
      if (spec.path === "metadata/name") {
        (which === "prefix" ? r.prefixes : r.suffixes).push(affix);
        storePreviousId(r);
      }
      visitFieldSpec(r.obj, spec, (value, pointer) => {
        if (typeof value !== "string") return undefined;
        if (at) r.fieldOrigins[pointer] = at;
        return which === "prefix" ? affix + value : value + affix;
      });
    }
  }
}

/** One key/value to set in maps (a label or an annotation) and the line it comes from. */
export interface MapEntry {
  key: string;
  value: string;
  at: SourcePos;
}

/** Sets `entries` in the maps `specs` reach (labels, selectors, annotations), creating them where a spec says `create`. */
export function setMapEntries(resources: Resource[], entries: readonly MapEntry[], specs: readonly FieldSpec[]): void {
  if (entries.length === 0) return;
  for (const r of resources) {
    const groups = entries.map((): string[] => []);
    for (const spec of specs) {
      visitFieldSpec(
        r.obj,
        spec,
        (value, pointer) => {
          if (!isPlainObject(value)) return undefined;
          entries.forEach((e, i) => {
            value[e.key] = e.value;
            const p = `${pointer}/${pointerToken(e.key)}`;
            r.fieldOrigins[p] = e.at;
            groups[i]!.push(p);
          });
          return value;
        },
        { createLeaf: () => ({}) },
      );
    }
    for (const g of groups) {
      if (g.length < 2) continue;
      r.shared ??= new Map();
      for (const p of g) r.shared.set(p, g);
    }
  }
}
