/**
 * Field specs as Kustomize's transformer configurations write them: which field (`path`) of which resources
 * (`group`/`version`/`kind`, empty = any) a transformer touches, and whether a missing field is created.
 *
 * API (pure functions over plain JSON objects):
 * - `parseApiVersion(apiVersion) → { group, version }`: `apps/v1` → `apps`,`v1`; `v1` → ``,`v1`.
 * - `gvkMatches(selector, object) → boolean`: each non-empty of the selector's group, version, kind equals the
 *   object's (from its `apiVersion` and `kind`).
 * - `splitFieldPath(path) → string[]`: `/`-separated, `\/` keeps a `/` inside a name
 *   (`metadata/annotations/a.io\/b` → `metadata`, `annotations`, `a.io/b`).
 * - `visitFieldSpec(object, spec, visit, options?)`: walks `spec.path` in an object the spec matches and calls
 *   `visit(value, pointer)` for every field the path reaches; when `visit` returns a value other than `undefined`,
 *   that value is stored in the field. Lists met on the way are walked element by element (a trailing `[]` on a
 *   path element only says the field is a list, and such a field is never created). A missing or null field is
 *   created as a map (and the last one as `options.createLeaf`'s value, default: left to `visit`, which then gets
 *   `undefined`) only when `spec.create`; otherwise the walk stops there. A scalar met where the path goes on is a
 *   `RenderError` `render_fieldspec_not_container`, as in Kustomize ("expected sequence or mapping node").
 *   `pointer` is the JSON pointer (RFC 6901) of the field, e.g. `/spec/template/metadata/labels`.
 * - `visitFieldSpecs(object, specs, visit, options?)`: the same for each spec of a list, in order.
 */
import { RenderError } from "../render-error.js";

/** A group/version/kind selector; an empty or missing member matches anything. */
export interface Gvk {
  group?: string;
  version?: string;
  kind?: string;
}

/** One field of some resources, as in Kustomize's `fieldSpecs` (`create` is Kustomize's `create:`). */
export interface FieldSpec extends Gvk {
  path: string;
  create?: boolean;
}

/** A kind that others refer to by name, and the fields (`fieldSpecs`) of the referrers that hold that name. */
export interface NameBackReference extends Gvk {
  fieldSpecs: FieldSpec[];
}

export type JsonObject = Record<string, unknown>;

/** Called for each field a spec reaches; returns the new value, or `undefined` to leave the field as it is. */
export type FieldVisitor = (value: unknown, pointer: string) => unknown;

export function parseApiVersion(apiVersion: unknown): { group: string; version: string } {
  if (typeof apiVersion !== "string") return { group: "", version: "" };
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function gvkMatches(selector: Gvk, object: JsonObject): boolean {
  if (selector.kind && selector.kind !== object["kind"]) return false;
  if (!selector.group && !selector.version) return true;
  const { group, version } = parseApiVersion(object["apiVersion"]);
  if (selector.group && selector.group !== group) return false;
  return !(selector.version && selector.version !== version);
}

export function splitFieldPath(path: string): string[] {
  const parts: string[] = [];
  for (const piece of path.split("/")) {
    const last = parts.length - 1;
    if (last >= 0 && parts[last]!.endsWith("\\")) parts[last] = `${parts[last]!.slice(0, -1)}/${piece}`;
    else parts.push(piece);
  }
  return parts;
}

/** One JSON pointer token (RFC 6901). */
export function pointerToken(name: string | number): string {
  const text = String(name);
  return text.includes("~") || text.includes("/") ? text.replace(/~/g, "~0").replace(/\//g, "~1") : text;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface VisitOptions {
  /** Value stored in a created last field before `visit` sees it (e.g. `() => ({})` for labels). */
  createLeaf?: () => unknown;
}

/** One path element, parsed once: the field name, its JSON pointer token, and whether `[]` marks it a list. */
interface PathPart {
  name: string;
  token: string;
  isList: boolean;
}

/** Parsed paths, kept: the same specs are walked over every object of every render. */
const parsedPaths = new Map<string, readonly PathPart[]>();
function pathOf(path: string): readonly PathPart[] {
  let parts = parsedPaths.get(path);
  if (!parts) {
    if (parsedPaths.size >= 4096) parsedPaths.clear();
    parts = splitFieldPath(path).map((raw) => {
      const isList = raw.endsWith("[]");
      const name = isList ? raw.slice(0, -2) : raw;
      return { name, token: pointerToken(name), isList };
    });
    parsedPaths.set(path, parts);
  }
  return parts;
}

export function visitFieldSpec(object: JsonObject, spec: FieldSpec, visit: FieldVisitor, options: VisitOptions = {}): void {
  if (!gvkMatches(spec, object)) return;
  walk(object, pathOf(spec.path), 0, "", spec, visit, options);
}

export function visitFieldSpecs(object: JsonObject, specs: readonly FieldSpec[], visit: FieldVisitor, options: VisitOptions = {}): void {
  for (const spec of specs) visitFieldSpec(object, spec, visit, options);
}

function walk(
  node: unknown,
  path: readonly PathPart[],
  at: number,
  pointer: string,
  spec: FieldSpec,
  visit: FieldVisitor,
  options: VisitOptions,
): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) walk(node[i], path, at, `${pointer}/${i}`, spec, visit, options);
    return;
  }
  if (!isPlainObject(node)) {
    throw new RenderError(
      "render_fieldspec_not_container",
      `field spec '${spec.path}': expected a map or a list at '${pointer || "/"}', found ${node === null ? "null" : typeof node}`,
    );
  }
  const { name, token, isList } = path[at]!;
  const last = at === path.length - 1;
  let value = Object.hasOwn(node, name) ? node[name] : undefined;
  if (value === undefined || value === null) {
    if (!spec.create || isList) {
      if (value === null && last) setIfDefined(node, name, visit(value, `${pointer}/${token}`));
      return;
    }
    if (!last) value = node[name] = {};
    else if (options.createLeaf) value = node[name] = options.createLeaf();
  }
  if (last) setIfDefined(node, name, visit(value, `${pointer}/${token}`));
  else walk(value, path, at + 1, `${pointer}/${token}`, spec, visit, options);
}

function setIfDefined(node: JsonObject, name: string, value: unknown): void {
  if (value !== undefined) node[name] = value;
}
