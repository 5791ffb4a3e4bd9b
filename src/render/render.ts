/**
 * `renderKustomization`: `kustomize build` of one folder, in process. After the accumulation (target.ts) come the
 * steps Kustomize runs once at the root: generated names get their content hash, name references are fixed, vars
 * are substituted, objects marked `config.kubernetes.io/local-config` are dropped; then the output order (legacy unless `sortOptions` or the caller say otherwise) and the build
 * metadata Kustomize adds on request. Never throws: every failure is a diagnostic at the line that caused it.
 */
import type { RenderDiagnostic, RenderFs, RenderOptions, RenderResult, RenderedObject } from "./api.js";
import { emptyAccumulator } from "./accumulator.js";
import type { Accumulator } from "./accumulator.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import { contentHash } from "./generators/hash.js";
import { getObject, getStringList } from "./kustomization.js";
import type { Kustomization } from "./kustomization.js";
import { legacyOrder, DEFAULT_ORDER_FIRST, DEFAULT_ORDER_LAST } from "./legacy-order.js";
import { fixNameReferences } from "./name-reference.js";
import { relativePath } from "./paths.js";
import { RenderError } from "./render-error.js";
import { storePreviousId } from "./resource.js";
import type { Resource } from "./resource.js";
import { stringifyKYaml } from "./kyaml.js";
import { accumulateTarget, isLocalConfig, loadKustomization, newBuildContext } from "./target.js";
import { substituteVars } from "./value-transformers.js";
import { varValues } from "./vars.js";

export const DEFAULT_MAX_RESOURCES = 5000;
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
/** The version Fleetward's renderer follows, as Kustomize writes it in its managed-by label. */
export const MANAGED_BY_VALUE = "kustomize-v5.5.0";

function addHashes(resources: readonly Resource[]): void {
  for (const r of resources) {
    if (!r.generated?.hash) continue;
    storePreviousId(r);
    const meta = r.obj["metadata"] as Record<string, unknown>;
    meta["name"] = `${String(meta["name"])}-${contentHash(r.obj)}`;
  }
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
}

function order(k: Kustomization, resources: Resource[], reorder: "legacy" | "none" | undefined): Resource[] {
  const sort = getObject(k, "sortOptions");
  if (sort) {
    const o = sort.value["order"];
    if (o === "fifo") return resources;
    if (o !== "legacy") throw new RenderError("render_invalid_kustomization", `sortOptions.order must be legacy or fifo, not '${String(o)}'`, sort.at);
    const legacy = isPlainObject(sort.value["legacySortOptions"]) ? sort.value["legacySortOptions"] : {};
    return legacyOrder(resources, strings(legacy["orderFirst"]) ?? DEFAULT_ORDER_FIRST, strings(legacy["orderLast"]) ?? DEFAULT_ORDER_LAST);
  }
  return reorder === "none" ? resources : legacyOrder(resources);
}

function annotate(obj: Record<string, unknown>, key: string, value: string): void {
  const meta = isPlainObject(obj["metadata"]) ? obj["metadata"] : (obj["metadata"] = {});
  const annos = isPlainObject(meta["annotations"]) ? meta["annotations"] : (meta["annotations"] = {});
  annos[key] = value;
}

function applyBuildMetadata(root: string, flags: Set<string>, resources: readonly Resource[]): void {
  for (const r of resources) {
    if (flags.has("managedByLabel")) {
      const meta = isPlainObject(r.obj["metadata"]) ? r.obj["metadata"] : (r.obj["metadata"] = {});
      const labels = isPlainObject(meta["labels"]) ? meta["labels"] : (meta["labels"] = {});
      labels[MANAGED_BY_LABEL] = MANAGED_BY_VALUE;
    }
    if (flags.has("originAnnotations")) {
      const origin = r.origin
        ? { ...r.origin, configuredIn: relativePath(root, String(r.origin["configuredIn"])) }
        : { path: relativePath(root, r.source.file) };
      annotate(r.obj, "config.kubernetes.io/origin", stringifyKYaml(origin));
    }
    if (flags.has("transformerAnnotations") && r.transformations?.length) {
      const list = r.transformations.map((t) => ({ configuredIn: relativePath(root, t.configuredIn), configuredBy: { apiVersion: "builtin", kind: t.kind } }));
      annotate(r.obj, "alpha.config.kubernetes.io/transformations", stringifyKYaml(list));
    }
  }
}

function toRendered(r: Resource): RenderedObject {
  return { object: r.obj, source: r.source, fieldOrigins: r.fieldOrigins };
}

function diagnostic(e: unknown, root: string): RenderDiagnostic {
  if (e instanceof RenderError) {
    const d: RenderDiagnostic = { code: e.code, severity: "error", message: e.message, file: e.at?.file ?? root, line: e.at?.line ?? 1 };
    if (e.at?.column !== undefined) d.column = e.at.column;
    return d;
  }
  const message = e instanceof RangeError ? `render too deep or too large: ${e.message}` : `internal error: ${(e as Error)?.message ?? String(e)}`;
  return { code: "render_internal", severity: "error", message, file: root || ".", line: 1 };
}

function build(root: string, options: RenderOptions, ctx: ReturnType<typeof newBuildContext>): Resource[] {
  const k = loadKustomization(ctx, root);
  if (k.kind === "Component") throw new RenderError("render_component_as_root", `'${root || "."}' is a Component: it can only be used from a kustomization's components`, { file: k.file, line: 1 });
  for (const f of getStringList(k, "buildMetadata")) ctx.buildMetadata.add(f.value);
  const acc: Accumulator = emptyAccumulator();
  ctx.building.push(root);
  accumulateTarget(ctx, k, acc);
  addHashes(acc.resources);
  fixNameReferences(acc.resources, acc.config.nameReference);
  if (acc.vars.length > 0) substituteVars(acc.resources, varValues(acc.resources, acc.vars), acc.config.varReference);
  const out = order(k, acc.resources.filter((r) => !isLocalConfig(r)), options.reorder);
  applyBuildMetadata(root, ctx.buildMetadata, out);
  return out;
}

/** Builds the kustomization in folder `root` (repository path, `""` for the root folder). */
export function renderKustomization(fs: RenderFs, root: string, options: RenderOptions = {}): RenderResult {
  const ctx = newBuildContext(fs, options.maxResources ?? DEFAULT_MAX_RESOURCES);
  const result: RenderResult = { root, ok: true, objects: [], diagnostics: [], files: [], kustomizationDirs: [] };
  try {
    result.objects = build(root, options, ctx).map(toRendered);
  } catch (e) {
    result.ok = false;
    result.diagnostics.push(diagnostic(e, root));
  }
  result.diagnostics.unshift(...ctx.warnings);
  result.files = [...ctx.loader.files].sort();
  result.kustomizationDirs = [...ctx.kustomizationDirs].sort();
  return result;
}
