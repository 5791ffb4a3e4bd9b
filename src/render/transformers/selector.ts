/**
 * Selecting resources as Kustomize's replacement targets (and patch targets) do.
 *
 * - `ResIdLike`: an object's id (group, version, kind, name, namespace), as CORE's `ResId`.
 * - `TargetResource`: `{ object, previousIds? }`, a resource with the ids it had before renames (prefix, suffix,
 *   namespace, hash), so that a selector written against a base's names still selects it.
 * - `idsOf(resource) → ResIdLike[]`: its current id, then its previous ids.
 * - `compileSelector(selector) → (id, object) → boolean`: `group`, `version`, `kind`, `name`, `namespace` are RE2
 *   patterns that must match the whole value (`Deployment|.*Set`; a plain name matches itself), an empty one
 *   matches anything, `namespace` is compared with the id's effective namespace (none = `default`);
 *   `labelSelector` / `annotationSelector` use Kubernetes' selector syntax (PATCH's `patch/label-selector.ts`).
 * - `regexOrThrow(pattern, what)`: an RE2 pattern compiled for whole-value matching, or `RenderError`
 *   `render_selector_invalid`.
 */
import { compileRe2 } from "../re2-cache.js";
import { isPlainObject, parseApiVersion, type JsonObject } from "../fieldspec/fieldspec.js";
import { matchesLabelSelector, parseLabelSelector } from "../patch/label-selector.js";
import type { PatchTargetResource, PatchTargetSelector } from "../patch/patch-target.js";
import { RenderError } from "../render-error.js";
import type { ResId } from "../resource.js";

/** CORE's id; a resource with its previous ids; a selector: the same shapes as patch targets use. */
export type ResIdLike = ResId;
export type TargetResource = PatchTargetResource;
export type ResourceSelector = PatchTargetSelector;

const meta = (object: JsonObject): JsonObject => (isPlainObject(object["metadata"]) ? object["metadata"] : {});
const text = (v: unknown): string => (typeof v === "string" ? v : "");

export function currentId(object: JsonObject): ResIdLike {
  const { group, version } = parseApiVersion(object["apiVersion"]);
  const m = meta(object);
  return { group, version, kind: text(object["kind"]), name: text(m["name"]), namespace: text(m["namespace"]) };
}

export function idsOf(resource: TargetResource): ResIdLike[] {
  return [currentId(resource.object), ...(resource.previousIds ?? [])];
}

export function regexOrThrow(pattern: string, what: string): (value: string) => boolean {
  try {
    const re = compileRe2(`^(?:${pattern})$`);
    return (value) => re.matches(value);
  } catch (e) {
    throw new RenderError("render_selector_invalid", `${what}: invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
}

type IdTest = (id: ResIdLike, object: JsonObject) => boolean;

export function compileSelector(selector: ResourceSelector): IdTest {
  const tests: IdTest[] = [];
  for (const field of ["group", "version", "kind", "name"] as const) {
    const pattern = selector[field];
    if (!pattern) continue;
    const matches = regexOrThrow(pattern, `selector ${field}`);
    tests.push((id) => id[field] === pattern || matches(id[field]));
  }
  if (selector.namespace) {
    const pattern = selector.namespace;
    const matches = regexOrThrow(pattern, "selector namespace");
    tests.push((id) => {
      const ns = id.namespace || "default";
      return ns === pattern || matches(ns);
    });
  }
  for (const [field, text] of [["labels", selector.labelSelector], ["annotations", selector.annotationSelector]] as const) {
    if (!text) continue;
    const requirements = parseLabelSelector(text);
    tests.push((_id, object) => matchesLabelSelector(requirements, stringMap(meta(object)[field])));
  }
  return (id, object) => tests.every((test) => test(id, object));
}

function stringMap(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
