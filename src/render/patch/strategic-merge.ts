/**
 * Strategic merge patch, as Kustomize applies it (kyaml's merge2 with list elements from the patch first, then
 * Kustomize's ApplySmPatch keeping the target's kind, name and namespace).
 *
 *   strategicMerge(target, patch, schema, options?): Record<string, unknown> | "deleted"
 *
 * Pure: `target` and `patch` are not changed; the result is a new object, or "deleted" when the patch deletes the
 * object (`$patch: delete` at its top). `schema` is the merge schema (kubernetesMergeSchema(), possibly
 * withCustomResourceDefinitions); undefined means no kind is known (every list is replaced).
 *
 * Rules (verified against kustomize v5.5.0, see test/render/patch/strategic-merge.test.ts):
 * - maps merge by key; `null` in the patch removes the key; untouched fields stay as they are (nulls included);
 * - a list whose schema has patch strategy `merge` merges its elements by the merge keys (`x-kubernetes-list-map-keys`
 *   or `x-kubernetes-patch-merge-key`): patch elements first in patch order, then the target's other elements. With
 *   several keys (Service ports: port + protocol) a missing key value matches any, and the target's elements keep
 *   their order after the patch-only ones. A merged list without merge keys (finalizers) is a union, patch values
 *   first. Elements left empty are dropped; duplicate keys in the target collapse into one element, as in kyaml;
 * - every other list (no schema, other strategies, unknown kinds) is replaced by the patch's;
 * - `$patch: delete` (a map, a list element, the whole object), `$patch: replace` (a map; on a merged list element
 *   or the whole object it has no effect in Kustomize, nor here), `$patch: merge`; another `$patch` value is error `render_patch_directive`;
 * - `$setElementOrder/…`, `$retainKeys`, `$deleteFromPrimitiveList/…` are plain fields to Kustomize (kept in the
 *   output); `options.apimachineryDirectives` applies them as kubectl's strategic merge does instead;
 * - a field that is a map in one and a list or scalar in the other is error `render_patch_kind_mismatch`.
 * - afterwards the target's kind and name are restored (unless allowKindChange / allowNameChange), and its apiVersion
 *   and namespace always (removed when the target had none): Kustomize gives a targeted patch the target's
 *   group/version, and an untargeted one has them already.
 *
 * `onSet(pointer, patchPointer)` is called, after the merge, for each field of the result the patch changed (with
 * where that value is in the patch document, for its line: list indexes differ between the two): a scalar it set to a new
 * value, a list it replaced, a subtree it added whole (its pointer covers everything under it). Values the patch
 * repeats (the id fields, merge keys) are not reported, nor identity fields restored afterwards.
 */
import { RenderError } from "../render-error.js";
import { listMergeStrategy, type MergeSchema, type SchemaNode } from "../openapi/merge-schema.js";
import { applyDirectives, takeDirectives } from "./apimachinery-directives.js";
import {
  appendList,
  cloneJson,
  elementValuesList,
  findElement,
  isEmptyMap,
  isMap,
  mergeValues,
  scalarText,
  setElement,
  validateKeys,
  type Json,
  type JsonMap,
} from "./kyaml-lists.js";
import { reportPatchedFields } from "./patched-fields.js";
import { pointerOf } from "../kyaml.js";

export interface StrategicMergeOptions {
  /** Called with the JSON pointer of each field the patch set in the result, and where that value is in the patch (see the header). */
  onSet?: (pointer: string, patchPointer: string) => void;
  /** Keep a kind the patch sets (Kustomize's `allowKindChange` patch option). */
  allowKindChange?: boolean;
  /** Keep a name the patch sets (Kustomize's `allowNameChange` patch option). */
  allowNameChange?: boolean;
  /** Apply `$setElementOrder`, `$retainKeys` and `$deleteFromPrimitiveList` as kubectl does (Kustomize keeps them as fields). */
  apimachineryDirectives?: boolean;
}

const REMOVE = Symbol("remove");

/** Where the merge is, for error messages (a parent chain: no array copied per field). */
type FieldPath = { parent: FieldPath; name: string } | undefined;

function describe(path: FieldPath): string {
  const names: string[] = [];
  for (let p = path; p !== undefined; p = p.parent) names.unshift(p.name);
  return names.join(".") || "the object";
}
type Walked = Json | typeof REMOVE;

type NodeKind = "map" | "seq" | "scalar";

function kindOf(v: Json): NodeKind | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return "seq";
  return isMap(v) ? "map" : "scalar";
}

const KIND_NAMES: Record<NodeKind, string> = { map: "a map", seq: "a list", scalar: "a scalar" };

export function strategicMerge(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
  schema: MergeSchema | undefined,
  options: StrategicMergeOptions = {},
): Record<string, unknown> | "deleted" {
  const dest = cloneJson(target);
  const origin = cloneJson(patch);
  const merger = new Merger(schema, options.apimachineryDirectives ?? false, origin);
  const walked = merger.walk(dest, origin, undefined, undefined);
  if (walked === REMOVE || !isMap(walked)) return "deleted";
  // Kustomize keeps its resource node and drops the node the merge returns: a top-level `$patch: replace` changes nothing.
  const merged = walked === dest ? walked : cloneJson(target);
  restoreIdentity(merged, target, options, merger.fromPatch);
  if (options.onSet) reportPatchedFields(merged, merger.fromPatch, options.onSet);
  return merged;
}

function restoreIdentity(result: JsonMap, target: JsonMap, options: StrategicMergeOptions, marks: PatchedMarks): void {
  const setOrDelete = (obj: JsonMap, key: string, value: Json): void => {
    marks.keys.get(obj)?.delete(key);
    if (value === undefined) delete obj[key];
    else obj[key] = value;
  };
  setOrDelete(result, "apiVersion", target["apiVersion"]);
  if (!options.allowKindChange) setOrDelete(result, "kind", target["kind"]);
  const targetMeta = isMap(target["metadata"]) ? target["metadata"] : {};
  if (!isMap(result["metadata"])) {
    if (Object.keys(targetMeta).length === 0) return;
    result["metadata"] = {};
  }
  const meta = result["metadata"] as JsonMap;
  if (!options.allowNameChange) setOrDelete(meta, "name", targetMeta["name"]);
  setOrDelete(meta, "namespace", targetMeta["namespace"]);
}

/** What the patch set: objects/lists taken whole, and per container the keys (or indexes) whose value it set. */
export interface PatchedMarks {
  /** Objects and lists of the result taken whole from the patch → their pointer in the patch. */
  whole: Map<object, string>;
  /** Per container of the result, the keys whose scalar the patch set → that scalar's pointer in the patch. */
  keys: Map<object, Map<string, string>>;
}

class Merger {
  readonly fromPatch: PatchedMarks = { whole: new Map(), keys: new Map() };
  /** Where each object and list of the patch is in the patch document. */
  private readonly patchPointers = new Map<object, string>();

  constructor(
    private readonly schema: MergeSchema | undefined,
    private readonly apimachinery: boolean,
    patch: JsonMap,
  ) {
    this.indexPatch(patch, "");
  }

  private indexPatch(value: Json, pointer: string): void {
    if (typeof value !== "object" || value === null) return;
    this.patchPointers.set(value, pointer);
    for (const [k, v] of Object.entries(value)) this.indexPatch(v, pointer + pointerOf([k]));
  }

  private readonly resolve = {
    ofObject: (v: Json): SchemaNode | undefined => {
      if (this.schema === undefined || !isMap(v)) return undefined;
      const { apiVersion, kind } = v;
      return typeof apiVersion === "string" && typeof kind === "string" ? this.schema.forType(apiVersion, kind) : undefined;
    },
    field: (node: SchemaNode | undefined, name: string) => (node && this.schema ? this.schema.field(node, name) : undefined),
    items: (node: SchemaNode | undefined) => (node && this.schema ? this.schema.items(node) : undefined),
  };

  walk(dest: Json, origin: Json, node: SchemaNode | undefined, path: FieldPath): Walked {
    node ??= this.resolve.ofObject(dest) ?? this.resolve.ofObject(origin);
    const kind = kindOf(dest) ?? kindOf(origin);
    if (kind === undefined) return origin === undefined ? dest : REMOVE;
    for (const source of [dest, origin]) {
      const k = kindOf(source);
      if (k !== undefined && k !== kind) {
        throw new RenderError(
          "render_patch_kind_mismatch",
          `strategic merge patch: ${describe(path)} is ${KIND_NAMES[kind]} in the target but ${KIND_NAMES[k]} in the patch`,
        );
      }
    }
    if (kind === "map") return this.walkMap(dest as JsonMap | null | undefined, origin as JsonMap | null | undefined, node, path);
    if (kind === "seq") return this.walkList(dest as Json[] | null | undefined, origin as Json[] | null | undefined, node, path);
    if (origin === null) return REMOVE;
    return origin === undefined ? dest : origin;
  }

  private walkMap(dest: JsonMap | null | undefined, origin: JsonMap | null | undefined, node: SchemaNode | undefined, path: FieldPath): Walked {
    let into: JsonMap;
    if (dest === null || dest === undefined) {
      if (directive(origin, path, false) === "delete") return REMOVE;
      into = origin as JsonMap;
    } else if (origin === null) {
      return REMOVE;
    } else if (origin === undefined) {
      into = dest;
    } else {
      const d = directive(origin, path, true);
      if (d === "delete") return REMOVE;
      into = d === "replace" ? origin : dest;
    }
    const directives = this.apimachinery && isMap(origin) ? takeDirectives(origin) : undefined;
    const names = new Set([...Object.keys(into), ...(isMap(origin) ? Object.keys(origin) : [])]);
    for (const name of [...names].sort()) {
      const patchValue = isMap(origin) ? origin[name] : undefined;
      const value = this.walk(into[name], patchValue, this.resolve.field(node, name), { parent: path, name });
      if (value === REMOVE || value === undefined) {
        delete into[name];
        continue;
      }
      const before = into[name];
      into[name] = value;
      if (patchValue !== undefined && value === patchValue && value !== before) this.mark(into, name, value, origin);
    }
    if (directives) applyDirectives(into, directives, (field) => listMergeStrategy(this.resolve.field(node, field)).keys);
    return into;
  }

  /** Records that the patch set `container[key]`; `patchContainer[patchKey]` is where the value is in the patch. */
  private mark(container: object, key: string, value: Json, patchContainer: Json, patchKey = key): void {
    if (typeof value === "object" && value !== null) {
      this.fromPatch.whole.set(value, this.patchPointers.get(value) ?? "");
      return;
    }
    let keys = this.fromPatch.keys.get(container);
    if (keys === undefined) this.fromPatch.keys.set(container, (keys = new Map()));
    const base = typeof patchContainer === "object" && patchContainer !== null ? (this.patchPointers.get(patchContainer) ?? "") : "";
    keys.set(key, base + pointerOf([patchKey]));
  }

  private walkList(dest: Json[] | null | undefined, origin: Json[] | null | undefined, node: SchemaNode | undefined, path: FieldPath): Walked {
    const { strategies, keys } = listMergeStrategy(node);
    if (!strategies.includes("merge")) return origin === null ? REMOVE : origin === undefined ? dest : origin;
    let list: Json[];
    if (dest === null || dest === undefined) list = origin as Json[];
    else if (origin === null) return REMOVE;
    else list = dest;
    const patchList = origin ?? undefined;
    const itemSchema = this.resolve.items(node);
    const values = uniqueLists([...(patchList ? elementValuesList(patchList, keys) : []), ...elementValuesList(list, keys)]);
    if (values.length > 0 || keys.length > 0) return this.setElements(values, keys, list, patchList, itemSchema, path);
    const primitives = uniqueLists([...(patchList ?? []), ...list].map((e) => [scalarText(e)]));
    const merged = this.setElements(primitives, [""], list, patchList, itemSchema, path);
    if (patchList) this.markPrimitives(merged, patchList);
    return merged;
  }

  private setElements(valuesList: string[][], keys: string[], list: Json[], patchList: Json[] | undefined, itemSchema: SchemaNode | undefined, path: FieldPath): Json[] {
    const items: Json[] = [];
    if (keys.length > 1) mergeValues(valuesList);
    let lastKeys = keys;
    for (const values of valuesList) {
      if (values.length === 0) continue;
      const [validKeys, validValues] = validateKeys(valuesList, values, keys);
      lastKeys = validKeys;
      const [matchKeys, matchValues] = validateKeys([validValues], validValues, validKeys);
      const d = findElement(list, matchKeys, matchValues);
      const o = findElement(patchList, matchKeys, matchValues);
      const val = this.walk(d, o, itemSchema, { parent: path, name: `[${validValues.join(",")}]` });
      if (val === REMOVE || val === null || val === undefined || isEmptyMap(val)) {
        setElement(list, undefined, validKeys, validValues);
        continue;
      }
      if (isMap(val)) {
        validKeys.forEach((k, i) => {
          if (!Object.hasOwn(val, k) && validValues[i] !== "") val[k] = validValues[i];
        });
      }
      if (o !== undefined && val === o && typeof val === "object") this.fromPatch.whole.set(val, this.patchPointers.get(val) ?? "");
      setElement(items, val, validKeys, validValues);
    }
    return valuesList.length > 0 ? appendList(items, list, lastKeys) : list;
  }

  private markPrimitives(merged: Json[], patchList: Json[]): void {
    const inPatch = new Map<string, number>();
    patchList.forEach((e, i) => inPatch.has(scalarText(e)) || inPatch.set(scalarText(e), i));
    merged.forEach((e, i) => {
      const at = inPatch.get(scalarText(e));
      if (at !== undefined) this.mark(merged, String(i), e, patchList, String(at));
    });
  }
}

function uniqueLists(lists: string[][]): string[][] {
  const seen = new Set<string>();
  return lists.filter((l) => {
    const key = JSON.stringify(l);
    if (l.length === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The `$patch` directive of a patch map, removed from it once read (kyaml's determineSmpDirective). */
function directive(origin: JsonMap | null | undefined, path: FieldPath, strict: boolean): "merge" | "replace" | "delete" | undefined {
  if (!isMap(origin) || !Object.hasOwn(origin, "$patch")) return "merge";
  const value = scalarText(origin["$patch"]);
  if (value === "merge" || value === "replace" || value === "delete") {
    delete origin["$patch"];
    return value;
  }
  if (!strict) return undefined;
  throw new RenderError("render_patch_directive", `strategic merge patch: unknown patch strategy '${value}' at ${describe(path)}`);
}
