/**
 * The merge schema strategic merge patches need: for each list, its patch strategy and merge keys, found in an
 * OpenAPI document the way Kustomize (kyaml/openapi) finds them.
 *
 *   createMergeSchema(doc: OpenApiDocument): MergeSchema                       pure; doc is not kept mutable
 *   schema.forType(apiVersion, kind): SchemaNode | undefined                  the top-level schema of a kind
 *   schema.field(node, name): SchemaNode | undefined                          a property (or additionalProperties)
 *   schema.items(node): SchemaNode | undefined                                the element schema of a list
 *   listMergeStrategy(node): { strategies: string[]; keys: string[] }         x-kubernetes-patch-strategy (split on
 *       ","), and the merge keys: x-kubernetes-list-map-keys when a strategy is present, else the patch merge key
 *   schema.withCustomResourceDefinitions(docs): MergeSchema                   a new schema that also knows custom
 *       kinds: CustomResourceDefinition objects (v1 `spec.versions[].schema.openAPIV3Schema`, v1beta1
 *       `spec.validation`) and OpenAPI documents (`definitions` with `x-kubernetes-group-version-kind`)
 *
 * What Kustomize (v5.5.0, checked with kubectl kustomize) does with custom schemas, for the caller to choose:
 * - `openapi: {path: schema.json}` in a kustomization REPLACES the built-in Kubernetes schema: use
 *   `createMergeSchema(thatDocument)` alone (Deployments' containers are then replaced, not merged, as in Kustomize);
 * - `crds:` files (OpenAPI definitions documents only; a CRD YAML is an error there) do NOT change merges in
 *   Kustomize, only name references. `withCustomResourceDefinitions` is Fleetward's opt-in extension on top of the
 *   built-in schema, for repositories that want their custom kinds merged by key.
 *
 * Lookup is by group/version/kind (`x-kubernetes-group-version-kind` of each definition, and the `resources` table
 * of the committed document), then by field through `$ref`s (`#/definitions/<name>`). As in kyaml, a property that
 * is a `$ref` takes the referenced schema whole. Custom resource schemas declare list semantics the structural way
 * (`x-kubernetes-list-type: map` + `x-kubernetes-list-map-keys`, or `set`) more often than with patch extensions:
 * for them (and only them) those are read as the merge strategy with those keys (`set`: a merged primitive list),
 * which is what the API server's apply does; Kubernetes' own document is read exactly as Kustomize reads it.
 */
import { RenderError } from "../render-error.js";

export type SchemaNode = Readonly<Record<string, unknown>>;

export interface OpenApiDocument {
  definitions?: Record<string, unknown>;
  /** The committed document's table of kinds: apiVersion + kind → definition name. */
  resources?: { apiVersion: string; kind: string; definition: string }[];
}

export interface ListMergeStrategy {
  strategies: string[];
  keys: string[];
}

const REF_PREFIX = "#/definitions/";
const MAX_REF_HOPS = 64;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

function apiVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

export class MergeSchema {
  private constructor(
    private readonly definitions: ReadonlyMap<string, SchemaNode>,
    private readonly kinds: ReadonlyMap<string, SchemaNode>,
  ) {}

  /** @internal use createMergeSchema */
  static build(definitions: Map<string, SchemaNode>, kinds: Map<string, SchemaNode>): MergeSchema {
    return new MergeSchema(definitions, kinds);
  }

  /** The schema of a kind, or undefined when the document does not know it. */
  forType(apiVersion: string, kind: string): SchemaNode | undefined {
    return this.kinds.get(gvkKey(apiVersion, kind));
  }

  /** The schema of a property of an object schema: `properties[name]`, else `additionalProperties`, `$ref`s resolved. */
  field(node: SchemaNode, name: string): SchemaNode | undefined {
    const props = node["properties"];
    let child: unknown = isRecord(props) && Object.hasOwn(props, name) ? props[name] : undefined;
    if (child === undefined && isRecord(node["additionalProperties"])) child = node["additionalProperties"];
    return isRecord(child) ? this.resolve(child) : undefined;
  }

  /** The element schema of an array schema, `$ref`s resolved. */
  items(node: SchemaNode): SchemaNode | undefined {
    const items = node["items"];
    return isRecord(items) ? this.resolve(items) : undefined;
  }

  /** Follows `$ref` chains; undefined when a reference cannot be resolved (kyaml then has no schema either). */
  resolve(node: SchemaNode): SchemaNode | undefined {
    let current: SchemaNode | undefined = node;
    for (let hops = 0; current !== undefined && typeof current["$ref"] === "string"; hops++) {
      const ref = current["$ref"];
      if (hops >= MAX_REF_HOPS || !ref.startsWith(REF_PREFIX)) return undefined;
      current = this.definitions.get(ref.slice(REF_PREFIX.length));
    }
    return current;
  }

  /** A new schema that also knows the kinds these CRDs or OpenAPI documents define (later ones win). */
  withCustomResourceDefinitions(docs: readonly unknown[], file = "<crds>"): MergeSchema {
    const definitions = new Map(this.definitions);
    const kinds = new Map(this.kinds);
    docs.forEach((doc, index) => addCustomDocument(doc, definitions, kinds, `${file}#${index}`));
    return new MergeSchema(definitions, kinds);
  }
}

/** Builds the merge schema of an OpenAPI document (Kubernetes' own: read exactly as kyaml reads it). */
export function createMergeSchema(doc: OpenApiDocument): MergeSchema {
  const definitions = new Map<string, SchemaNode>();
  const kinds = new Map<string, SchemaNode>();
  addDefinitions(doc, definitions, kinds);
  for (const r of doc.resources ?? []) {
    const def = definitions.get(r.definition);
    if (def !== undefined && !kinds.has(gvkKey(r.apiVersion, r.kind))) kinds.set(gvkKey(r.apiVersion, r.kind), def);
  }
  return MergeSchema.build(definitions, kinds);
}

function addDefinitions(doc: OpenApiDocument, definitions: Map<string, SchemaNode>, kinds: Map<string, SchemaNode>): void {
  for (const [name, def] of Object.entries(doc.definitions ?? {})) {
    if (!isRecord(def)) continue;
    definitions.set(name, def);
    const gvks = def["x-kubernetes-group-version-kind"];
    if (!Array.isArray(gvks)) continue;
    for (const gvk of gvks) {
      if (!isRecord(gvk) || typeof gvk["kind"] !== "string" || typeof gvk["version"] !== "string") continue;
      const group = typeof gvk["group"] === "string" ? gvk["group"] : "";
      kinds.set(gvkKey(apiVersionOf(group, gvk["version"]), gvk["kind"]), def);
    }
  }
}

function addCustomDocument(doc: unknown, definitions: Map<string, SchemaNode>, kinds: Map<string, SchemaNode>, at: string): void {
  if (!isRecord(doc)) throw new RenderError("render_crd_invalid", `${at}: a CRD or OpenAPI document must be an object`);
  if (doc["kind"] === "CustomResourceDefinition") {
    addCrd(doc, kinds, at);
    return;
  }
  if (isRecord(doc["definitions"])) {
    const structural: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(doc["definitions"])) structural[name] = withStructuralListStrategies(def);
    addDefinitions({ definitions: structural }, definitions, kinds);
    return;
  }
  throw new RenderError("render_crd_invalid", `${at}: neither a CustomResourceDefinition nor an OpenAPI document with definitions`);
}

function addCrd(crd: Record<string, unknown>, kinds: Map<string, SchemaNode>, at: string): void {
  const spec = isRecord(crd["spec"]) ? crd["spec"] : {};
  const group = typeof spec["group"] === "string" ? spec["group"] : "";
  const names = isRecord(spec["names"]) ? spec["names"] : {};
  const kind = names["kind"];
  if (group === "" || typeof kind !== "string" || kind === "") {
    throw new RenderError("render_crd_invalid", `${at}: CustomResourceDefinition without spec.group or spec.names.kind`);
  }
  const shared = schemaIn(spec["validation"]);
  const versions = Array.isArray(spec["versions"]) ? spec["versions"] : [];
  const listed = versions.filter(isRecord).filter((v) => typeof v["name"] === "string");
  if (listed.length === 0 && typeof spec["version"] === "string") listed.push({ name: spec["version"] });
  for (const v of listed) {
    const schema = schemaIn(v["schema"]) ?? shared;
    if (schema !== undefined) kinds.set(gvkKey(`${group}/${String(v["name"])}`, kind), withStructuralListStrategies(schema) as SchemaNode);
  }
}

function schemaIn(holder: unknown): Record<string, unknown> | undefined {
  return isRecord(holder) && isRecord(holder["openAPIV3Schema"]) ? holder["openAPIV3Schema"] : undefined;
}

/** A copy of a custom schema where `x-kubernetes-list-type: map|set` also reads as a merge patch strategy. */
function withStructuralListStrategies(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withStructuralListStrategies);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = withStructuralListStrategies(v);
  const listType = node["x-kubernetes-list-type"];
  if (out["x-kubernetes-patch-strategy"] === undefined && (listType === "map" || listType === "set")) {
    out["x-kubernetes-patch-strategy"] = "merge";
  }
  return out;
}

/** kyaml's PatchStrategyAndKeyList: no strategy → no keys; list-map-keys win over the single merge key. */
export function listMergeStrategy(node: SchemaNode | undefined): ListMergeStrategy {
  const strategy = node?.["x-kubernetes-patch-strategy"];
  if (node === undefined || typeof strategy !== "string") return { strategies: [], keys: [] };
  const strategies = strategy.split(",");
  const mapKeys = node["x-kubernetes-list-map-keys"];
  if (Array.isArray(mapKeys)) return { strategies, keys: mapKeys.filter((k): k is string => typeof k === "string") };
  const key = node["x-kubernetes-patch-merge-key"];
  return { strategies, keys: typeof key === "string" ? [key] : [] };
}
