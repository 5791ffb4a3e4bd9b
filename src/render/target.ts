/**
 * One kustomization's build, in the order of Kustomize's accumulator (api/internal/target): its `resources` and
 * `bases` (files and nested kustomizations, each built into a fresh accumulator and merged), its `components`
 * (applied to the accumulated set), its `configurations` and `crds`, its generators, its transformers, its `vars`.
 */
import type { RenderDiagnostic, RenderFs, SourcePos } from "./api.js";
import { appendAll, emptyAccumulator, mergeAccumulator, mergeVars } from "./accumulator.js";
import type { Accumulator } from "./accumulator.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import { runGenerators } from "./generators-step.js";
import { findKustomizationFile, getList, getObject, getStringList, parseKustomization, posOf } from "./kustomization.js";
import { kubernetesMergeSchema } from "./openapi/kubernetes-schema.js";
import { createMergeSchema } from "./openapi/merge-schema.js";
import type { MergeSchema, OpenApiDocument } from "./openapi/merge-schema.js";
import type { KEntry, Kustomization } from "./kustomization.js";
import { Loader } from "./loader.js";
import { RenderError } from "./render-error.js";
import { newResource } from "./resource.js";
import type { Resource } from "./resource.js";
import { loadCrdConfig } from "./crds.js";
import { defaultTransformerConfig, emptyTransformerConfig, mergeTransformerConfig, parseTransformerConfig } from "./transformer-config.js";
import { runTransformers } from "./transformers-step.js";
import { markVarTargets, parseVars } from "./vars.js";
import { checkUnsupported } from "./unsupported.js";

export interface BuildContext {
  loader: Loader;
  /** Folders whose kustomization is being built (outermost first): a folder met again is a cycle. */
  building: string[];
  kustomizationDirs: Set<string>;
  warnings: RenderDiagnostic[];
  maxResources: number;
  /** The root's `buildMetadata` (applies to every level). */
  buildMetadata: Set<string>;
  /** The merge schema an `openapi: {path}` set (it replaces the builtin one from there on, as in Kustomize). */
  schema?: MergeSchema;
}

export function newBuildContext(fs: RenderFs, maxResources: number): BuildContext {
  return { loader: new Loader(fs), building: [], kustomizationDirs: new Set(), warnings: [], maxResources, buildMetadata: new Set() };
}

/** Reads the kustomization of folder `dir` (`at`: the line that named the folder). */
export function loadKustomization(ctx: BuildContext, dir: string, at?: SourcePos): Kustomization {
  const file = findKustomizationFile(ctx.loader.fs, dir, at);
  const k = parseKustomization(ctx.loader.read(file), file, dir);
  ctx.kustomizationDirs.add(dir);
  return k;
}

/** Re-throws a RenderError that has no position at `at`, and YAML errors of a named file at the naming line. */
export function at<T>(pos: SourcePos, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RenderError && (!e.at || e.code.startsWith("render_yaml"))) {
      const where = e.at ? `${e.at.file}:${e.at.line}: ` : "";
      throw new RenderError(e.code, where + e.message, pos);
    }
    throw e;
  }
}

function checkLimit(ctx: BuildContext, acc: Accumulator, pos: SourcePos): void {
  if (acc.resources.length > ctx.maxResources) {
    throw new RenderError("render_resource_limit", `more than ${ctx.maxResources} resources (the limit of one root)`, pos);
  }
}

/** The objects of one resource file: documents in order, `…List` kinds with `items` flattened. */
export function resourcesFromFile(ctx: BuildContext, k: Kustomization, entry: KEntry<string>): Resource[] {
  const { path, docs } = at(entry.at, () => ctx.loader.readYaml(k.dir, entry.value, entry.at));
  const out: Resource[] = [];
  for (const doc of docs) {
    const add = (value: unknown, pointer: string): void => {
      const line = doc.lineOf(pointer);
      if (!isPlainObject(value)) throw new RenderError("render_invalid_resource", `${path}:${line}: a resource must be a map`, entry.at);
      const kind = value["kind"];
      if (typeof kind === "string" && kind.endsWith("List") && Array.isArray(value["items"])) {
        value["items"].forEach((item, i) => add(item, `${pointer}/items/${i}`));
        return;
      }
      if (typeof kind !== "string" || kind === "") throw new RenderError("render_invalid_resource", `${path}:${line}: missing 'kind' in a resource`, entry.at);
      const meta = value["metadata"];
      if (!isPlainObject(meta) || typeof meta["name"] !== "string" || meta["name"] === "") {
        throw new RenderError("render_invalid_resource", `${path}:${line}: missing metadata.name in a ${kind} resource`, entry.at);
      }
      stringifyMetadataMaps(value);
      out.push(newResource(value, { file: path, line }));
    };
    add(doc.value, "");
  }
  return out;
}

/**
 * Metadata as Kustomize reads a resource (from a file, after a patch): label and annotation values are strings
 * (`port: 8080` reads as "8080"), and an empty or null `annotations` is dropped (an empty `labels` stays), as
 * kubectl kustomize v5.5.0 does.
 */
export function stringifyMetadataMaps(obj: Record<string, unknown>): void {
  const meta = obj["metadata"];
  if (!isPlainObject(meta)) return;
  const annotations = meta["annotations"];
  if (annotations === null || (isPlainObject(annotations) && Object.keys(annotations).length === 0)) delete meta["annotations"];
  for (const field of ["labels", "annotations"]) {
    const m = meta[field];
    if (!isPlainObject(m)) continue;
    for (const [k, v] of Object.entries(m)) if (typeof v === "number" || typeof v === "boolean") m[k] = String(v);
  }
}

/** Builds the kustomization folder `dir` named at `pos` (a base or a nested resource) into a fresh accumulator. */
export function buildSubKustomization(ctx: BuildContext, dir: string, pos: SourcePos, component: boolean, acc: Accumulator): Accumulator {
  if (ctx.building.includes(dir)) {
    throw new RenderError("render_cycle", `cycle: '${dir || "."}' includes itself (${[...ctx.building, dir].map((d) => d || ".").join(" → ")})`, pos);
  }
  const k = loadKustomization(ctx, dir, pos);
  if (component && k.kind !== "Component") throw new RenderError("render_not_a_component", `'${dir}' is listed in components but its kind is '${k.kind}'`, pos);
  if (!component && k.kind === "Component") throw new RenderError("render_component_as_resource", `'${dir}' is a Component: list it in components, not resources`, pos);
  ctx.building.push(dir);
  try {
    const sub = component ? acc : emptyAccumulator();
    accumulateTarget(ctx, k, sub);
    return sub;
  } finally {
    ctx.building.pop();
  }
}

/**
 * `openapi:` sets the merge schema once, as Kustomize's SetSchema: the first kustomization loaded with the field
 * wins (the root, else the first base in load order); `path` (a document in its tree) replaces the builtin schema,
 * `version` keeps the builtin one (and later bases' paths are then ignored).
 */
function loadOpenApi(ctx: BuildContext, k: Kustomization): void {
  const openapi = getObject(k, "openapi");
  if (!openapi || ctx.schema) return;
  const path = openapi.value["path"];
  if (typeof path !== "string" || path === "") {
    if (openapi.value["version"] !== undefined) ctx.schema = kubernetesMergeSchema();
    return;
  }
  const pos = posOf(k, `${openapi.pointer}/path`);
  const { docs } = at(pos, () => ctx.loader.readYaml(k.dir, path, pos));
  ctx.schema = at(pos, () => createMergeSchema((docs[0]?.value ?? {}) as OpenApiDocument));
}

export function accumulateTarget(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  checkUnsupported(k);
  loadOpenApi(ctx, k);
  const entries = [...getStringList(k, "resources"), ...getStringList(k, "bases")];
  for (const entry of entries) {
    const target = ctx.loader.resolve(k.dir, entry.value, entry.at);
    if (target.kind === "file") appendAll(acc, resourcesFromFile(ctx, k, entry), entry.at);
    else mergeAccumulator(acc, buildSubKustomization(ctx, target.path, entry.at, false, acc), entry.at);
    checkLimit(ctx, acc, entry.at);
  }
  for (const entry of getStringList(k, "components")) {
    const target = ctx.loader.resolve(k.dir, entry.value, entry.at);
    if (target.kind !== "dir") throw new RenderError("render_not_a_component", `component '${entry.value}' must be a folder with a kustomization`, entry.at);
    buildSubKustomization(ctx, target.path, entry.at, true, acc);
    checkLimit(ctx, acc, entry.at);
  }
  let custom = emptyTransformerConfig();
  for (const entry of getStringList(k, "configurations")) {
    const { docs } = at(entry.at, () => ctx.loader.readYaml(k.dir, entry.value, entry.at));
    for (const d of docs) custom = mergeTransformerConfig(custom, parseTransformerConfig(d.value, entry.at));
  }
  acc.config = mergeTransformerConfig(acc.config, mergeTransformerConfig(custom, defaultTransformerConfig()));
  for (const entry of getStringList(k, "crds")) {
    acc.config = mergeTransformerConfig(acc.config, loadCrdConfig(ctx, k, entry));
  }
  runGenerators(ctx, k, acc);
  checkLimit(ctx, acc, { file: k.file, line: 1 });
  runTransformers(ctx, k, acc);
  const vars = parseVars(k, getList(k, "vars"));
  markVarTargets(acc.resources, vars);
  mergeVars(acc, vars);
}

/** Objects annotated `config.kubernetes.io/local-config: "true"` are dropped from the output (after references were fixed). */
export function isLocalConfig(r: Resource): boolean {
  const meta = r.obj["metadata"];
  if (!isPlainObject(meta) || !isPlainObject(meta["annotations"])) return false;
  return meta["annotations"]["config.kubernetes.io/local-config"] === "true";
}
