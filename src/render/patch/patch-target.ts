/**
 * Patch targets: which objects a patch's `target:` selects (Kustomize's Selector and resmap Select).
 *
 *   compilePatchTarget(selector, at?): CompiledPatchTarget        regexps and selectors compiled once; errors
 *       `render_selector_invalid` (bad regexp, bad label/annotation selector) with `at` when given
 *   matchesPatchTarget(resource, target): boolean                  target: a selector or a compiled one
 *
 * `group`, `version`, `kind`, `name`, `namespace` are Go regular expressions (RE2 semantics, via re2js) matched
 * whole (`^(?:…)$`); empty or absent fields match everything. Name and namespace match the object's current id or
 * its original one (the first of `previousIds`, Kustomize's OrgId), the namespace as Kustomize's effective
 * namespace ("default" for a namespaced object without one). `labelSelector` / `annotationSelector` use Kubernetes
 * selector syntax (label-selector.ts) on the object's current labels / annotations.
 */
import { compileRe2 } from "../re2-cache.js";
import type { SourcePos } from "../api.js";
import { RenderError } from "../render-error.js";
import { idOf, isNamespaceable, type ResId } from "../resource.js";
import { isMap } from "./kyaml-lists.js";
import { matchesLabelSelector, parseLabelSelector, type LabelRequirement } from "./label-selector.js";

export interface PatchTargetSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchTargetResource {
  object: Record<string, unknown>;
  /** Ids the object had before renames, oldest first (Kustomize's previous ids). */
  previousIds?: readonly ResId[];
}

type Matcher = (s: string) => boolean;

export interface CompiledPatchTarget {
  readonly compiled: true;
  group?: Matcher;
  version?: Matcher;
  kind?: Matcher;
  name?: Matcher;
  namespace?: Matcher;
  labels: LabelRequirement[];
  annotations: LabelRequirement[];
}

function wholeMatch(field: string, pattern: string | undefined, at: SourcePos | undefined): Matcher | undefined {
  if (pattern === undefined || pattern === "") return undefined;
  try {
    const re = compileRe2(`^(?:${pattern})$`);
    return (s) => re.matches(s);
  } catch (e) {
    throw new RenderError("render_selector_invalid", `patch target ${field}: invalid regular expression "${pattern}": ${(e as Error).message}`, at);
  }
}

function selector(field: string, text: string | undefined, at: SourcePos | undefined): LabelRequirement[] {
  if (text === undefined || text.trim() === "") return [];
  try {
    return parseLabelSelector(text);
  } catch (e) {
    if (e instanceof RenderError) throw new RenderError(e.code, `patch target ${field}: ${e.message}`, at);
    throw e;
  }
}

export function compilePatchTarget(target: PatchTargetSelector, at?: SourcePos): CompiledPatchTarget {
  return {
    compiled: true,
    group: wholeMatch("group", target.group, at),
    version: wholeMatch("version", target.version, at),
    kind: wholeMatch("kind", target.kind, at),
    name: wholeMatch("name", target.name, at),
    namespace: wholeMatch("namespace", target.namespace, at),
    labels: selector("labelSelector", target.labelSelector, at),
    annotations: selector("annotationSelector", target.annotationSelector, at),
  };
}

/** Kustomize's EffectiveNamespace: "default" for a namespaced object without one, a placeholder for cluster-scoped kinds. */
function effectiveNamespace(id: ResId): string {
  if (!isNamespaceable(id)) return "_non_namespaceable_";
  return id.namespace === "" ? "default" : id.namespace;
}

function metaMap(object: Record<string, unknown>, field: "labels" | "annotations"): Record<string, unknown> {
  const meta = object["metadata"];
  return isMap(meta) && isMap(meta[field]) ? meta[field] : {};
}

export function matchesPatchTarget(resource: PatchTargetResource, target: PatchTargetSelector | CompiledPatchTarget): boolean {
  const t = "compiled" in target ? target : compilePatchTarget(target);
  const cur = idOf(resource.object);
  const org = resource.previousIds?.[0] ?? cur;
  if (t.namespace && !t.namespace(effectiveNamespace(org)) && !t.namespace(effectiveNamespace(cur))) return false;
  if (t.name && !t.name(org.name) && !t.name(cur.name)) return false;
  if (t.group && !t.group(cur.group)) return false;
  if (t.version && !t.version(cur.version)) return false;
  if (t.kind && !t.kind(cur.kind)) return false;
  return matchesLabelSelector(t.labels, metaMap(resource.object, "labels")) && matchesLabelSelector(t.annotations, metaMap(resource.object, "annotations"));
}
