/**
 * The patch steps of a kustomization, dispatched to the patch layer (`src/render/patch/`):
 * - `patchesStrategicMerge`: each entry a file (several documents allowed) or inline YAML; each patch document
 *   applies to the object with its id (any previous id counts);
 * - `patches`: `path` or inline `patch`, optional `target` selector and `options` (allowNameChange,
 *   allowKindChange); a JSON 6902 list needs a target; a strategic merge patch without a target applies by its id;
 * - `patchesJson6902`: `target` and `path` or inline `patch`.
 * Patch files are read through the loader (load restrictions). The fields a patch sets get the patch's line as
 * their origin.
 */
import type { SourcePos } from "./api.js";
import type { Accumulator } from "./accumulator.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import { parseKYamlCached } from "./kyaml.js";
import type { KDocument } from "./kyaml.js";
import { getList } from "./kustomization.js";
import type { KEntry, Kustomization } from "./kustomization.js";
import { kubernetesMergeSchema } from "./openapi/kubernetes-schema.js";
import { applyJson6902, parseJson6902 } from "./patch/json6902.js";
import { strategicMerge } from "./patch/strategic-merge.js";
import { selectTargets } from "./patch-targets.js";
import type { PatchTarget } from "./patch-targets.js";
import { RenderError } from "./render-error.js";
import { allIds, curId, idEquals, idOf, idString, storePreviousId } from "./resource.js";
import type { JsonObject, Resource } from "./resource.js";
import type { BuildContext } from "./target.js";
import { at, stringifyMetadataMaps } from "./target.js";

interface PatchText {
  text: string;
  file: string;
  /** Line of the text's first line in `file` (1 for a patch file, the entry's line + 1 for an inline patch). */
  line: number;
}

function patchText(ctx: BuildContext, k: Kustomization, e: KEntry<unknown>, path: unknown, inline: unknown): PatchText {
  if (typeof path === "string" && path !== "") {
    const { path: file, text } = ctx.loader.readRestricted(k.dir, path, e.at);
    return { text, file, line: 1 };
  }
  if (typeof inline === "string") return { text: inline, file: k.file, line: e.at.line };
  throw new RenderError("render_invalid_patch", `${k.file}: a patch needs 'path' or 'patch'`, e.at);
}

function parseDocs(p: PatchText, pos: SourcePos): KDocument[] {
  return at(pos, () => parseKYamlCached(p.text, p.file));
}

/** The origin of a field a patch set: the patch document's line for that field (inline patches: the entry's line). */
function originFor(p: PatchText, doc: KDocument | undefined, pointer: string, pos: SourcePos): SourcePos {
  if (p.file !== pos.file && doc) return { file: p.file, line: doc.lineOf(pointer) };
  if (doc) return { file: p.file, line: p.line + doc.lineOf(pointer) - 1 + (p.line === pos.line ? 1 : 0) };
  return pos;
}

function applySmp(ctx: BuildContext, r: Resource, patch: JsonObject, p: PatchText, doc: KDocument | undefined, pos: SourcePos, options: JsonObject = {}): "deleted" | undefined {
  const allowNameChange = options["allowNameChange"] === true;
  const allowKindChange = options["allowKindChange"] === true;
  if (allowNameChange || allowKindChange) storePreviousId(r);
  // The line is looked up where the value sits in the patch (list positions differ in the result).
  const onSet = (pointer: string, patchPointer: string): void => {
    r.fieldOrigins[pointer] = originFor(p, doc, patchPointer, pos);
  };
  const result = at(pos, () => strategicMerge(r.obj, patch, ctx.schema ?? kubernetesMergeSchema(), { onSet, allowNameChange, allowKindChange }));
  if (result === "deleted") return "deleted";
  r.obj = result;
  stringifyMetadataMaps(r.obj);
  return undefined;
}

function removeDeleted(acc: Accumulator, deleted: Set<Resource>): void {
  if (deleted.size > 0) acc.resources = acc.resources.filter((r) => !deleted.has(r));
}

/** The one object a target-less strategic merge patch applies to, by any of its ids. */
function byPatchId(acc: Accumulator, patch: JsonObject, pos: SourcePos): Resource {
  const pid = idOf(patch);
  const matches = acc.resources.filter((r) => allIds(r).some((id) => idEquals(id, pid)));
  if (matches.length === 0) throw new RenderError("render_patch_target_missing", `no object matches the patch for ${idString(pid)}`, pos);
  if (matches.length > 1) throw new RenderError("render_patch_target_ambiguous", `the patch for ${idString(pid)} matches ${matches.map((m) => idString(curId(m))).join(", ")}`, pos);
  return matches[0]!;
}

export function applyStrategicMergePatches(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  for (const e of getList(k, "patchesStrategicMerge")) {
    if (typeof e.value !== "string") throw new RenderError("render_invalid_patch", `${k.file}: a patchesStrategicMerge entry must be a path or inline YAML`, e.at);
    const inline = e.value.includes("\n");
    const p = inline ? { text: e.value, file: k.file, line: e.at.line } : patchText(ctx, k, e, e.value, undefined);
    for (const doc of parseDocs(p, e.at)) {
      if (!isPlainObject(doc.value)) throw new RenderError("render_invalid_patch", `${p.file}:${doc.line}: a patch must be a map`, e.at);
      const target = byPatchId(acc, doc.value, e.at);
      if (applySmp(ctx, target, doc.value, p, doc, e.at) === "deleted") removeDeleted(acc, new Set([target]));
    }
  }
}

function parseTarget(raw: unknown, pos: SourcePos): PatchTarget | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw new RenderError("render_invalid_patch", "a patch 'target' must be a map", pos);
  return raw as PatchTarget;
}

function isJsonPatch(docs: readonly KDocument[]): boolean {
  return docs.length === 1 && Array.isArray(docs[0]!.value);
}

function applyJsonPatchTo(targets: Resource[], p: PatchText, pos: SourcePos): void {
  const ops = at(pos, () => parseJson6902(p.text, p.file));
  for (const r of targets) {
    const before = curId(r);
    r.obj = at(pos, () => applyJson6902(r.obj, ops, { onSet: (pointer: string) => (r.fieldOrigins[pointer] = pos) }));
    // Kustomize re-reads a JSON-patched object as a resource: label and annotation values become strings.
    stringifyMetadataMaps(r.obj);
    const after = curId(r);
    if (before.name !== after.name || before.kind !== after.kind || before.namespace !== after.namespace) r.prevIds.push(before);
  }
}

export function applyPatches(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  for (const e of getList(k, "patches")) {
    if (!isPlainObject(e.value)) throw new RenderError("render_invalid_patch", `${k.file}: a patches entry must be a map`, e.at);
    const p = patchText(ctx, k, e, e.value["path"], e.value["patch"]);
    const options = isPlainObject(e.value["options"]) ? e.value["options"] : {};
    const target = parseTarget(e.value["target"], e.at);
    const docs = parseDocs(p, e.at);
    if (docs.length === 0) continue;
    if (isJsonPatch(docs)) {
      if (!target) throw new RenderError("render_invalid_patch", "a JSON 6902 patch must specify a target", e.at);
      applyJsonPatchTo(at(e.at, () => selectTargets(acc.resources, target)), p, e.at);
      continue;
    }
    for (const doc of docs) {
      if (!isPlainObject(doc.value)) throw new RenderError("render_invalid_patch", `${p.file}:${doc.line}: a patch must be a map`, e.at);
      const selected = target ? at(e.at, () => selectTargets(acc.resources, target)) : [byPatchId(acc, doc.value, e.at)];
      const deleted = new Set<Resource>();
      for (const r of selected) {
        const patch = target ? { ...doc.value, apiVersion: r.obj["apiVersion"] } : doc.value;
        if (applySmp(ctx, r, patch, p, doc, e.at, options) === "deleted") deleted.add(r);
      }
      removeDeleted(acc, deleted);
    }
  }
}

export function applyJson6902Patches(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  for (const e of getList(k, "patchesJson6902")) {
    if (!isPlainObject(e.value)) throw new RenderError("render_invalid_patch", `${k.file}: a patchesJson6902 entry must be a map`, e.at);
    const target = parseTarget(e.value["target"], e.at);
    if (!target) throw new RenderError("render_invalid_patch", "a patchesJson6902 entry must specify a target", e.at);
    const p = patchText(ctx, k, e, e.value["path"], e.value["patch"]);
    applyJsonPatchTo(at(e.at, () => selectTargets(acc.resources, target)), p, e.at);
  }
}
