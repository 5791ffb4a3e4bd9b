/**
 * `images`, `replicas`, `replacements` and `vars` substitution, dispatched to the transformer layer
 * (`src/render/transformers/`), with the kustomization line that set each field recorded as its origin: an image's
 * `newName:` line (else `newTag:`, else `digest:`), a replica entry's `count:` line, a replacement entry's line.
 */
import type { SourcePos } from "./api.js";
import type { Accumulator } from "./accumulator.js";
import { isPlainObject } from "./fieldspec/fieldspec.js";
import type { FieldSpec } from "./fieldspec/fieldspec.js";
import { parseKYaml } from "./kyaml.js";
import { getList, posOf } from "./kustomization.js";
import type { KEntry, Kustomization } from "./kustomization.js";
import { RenderError } from "./render-error.js";
import { getAtPointer, setAtPointer } from "./resource.js";
import type { Resource } from "./resource.js";
import type { BuildContext } from "./target.js";
import { at } from "./target.js";
import { applyImage } from "./transformers/images.js";
import type { ImageEntry } from "./transformers/images.js";
import { applyReplacements as applyReplacementList, loadReplacements } from "./transformers/replacements.js";
import type { Replacement } from "./transformers/replacements.js";
import { applyReplicas as applyReplicaEntry } from "./transformers/replicas.js";
import type { TargetResource } from "./transformers/selector.js";
import { substituteVars as substituteIn } from "./transformers/vars.js";

/** The resources as the transformer layer sees them (same objects, so its changes land in place). */
export function asTargets(resources: readonly Resource[]): TargetResource[] {
  return resources.map((r) => ({ object: r.obj, previousIds: r.prevIds }));
}

const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** One `images` entry as the transformer layer takes it. */
export function imageEntry(v: Record<string, unknown>): ImageEntry {
  const e: ImageEntry = { name: text(v["name"]) ?? "" };
  for (const f of ["newName", "newTag", "digest", "tagSuffix"] as const) {
    const t = text(v[f]);
    if (t !== undefined) e[f] = t;
  }
  return e;
}

export function applyImageEntries(resources: readonly Resource[], entries: readonly { entry: ImageEntry; at: SourcePos }[], specs: readonly FieldSpec[]): void {
  for (const { entry, at: pos } of entries) {
    for (const r of resources) at(pos, () => applyImage(r.obj, entry, specs, (pointer) => (r.fieldOrigins[pointer] = pos)));
  }
}

export function applyImages(k: Kustomization, acc: Accumulator): void {
  const entries = [...getList(k, "images"), ...getList(k, "imageTags")].map((e: KEntry<unknown>) => {
    if (!isPlainObject(e.value)) throw new RenderError("render_invalid_kustomization", `${k.file}: an images entry must be a map`, e.at);
    const field = ["newName", "newTag", "digest", "tagSuffix"].find((f) => e.value && (e.value as Record<string, unknown>)[f] !== undefined);
    return { entry: imageEntry(e.value), at: field ? posOf(k, `${e.pointer}/${field}`) : e.at };
  });
  applyImageEntries(acc.resources, entries, acc.config.images);
}

export function applyReplicas(k: Kustomization, acc: Accumulator): void {
  for (const e of getList(k, "replicas")) {
    if (!isPlainObject(e.value)) throw new RenderError("render_invalid_kustomization", `${k.file}: a replicas entry must be a map`, e.at);
    const pos = e.value["count"] !== undefined ? posOf(k, `${e.pointer}/count`) : e.at;
    const entry = { name: String(e.value["name"] ?? ""), count: e.value["count"] as number };
    at(pos, () => applyReplicaEntry(asTargets(acc.resources), entry, acc.config.replicas, (i, pointer) => (acc.resources[i]!.fieldOrigins[pointer] = pos)));
  }
}

/** Applies replacements whose entries are at `positions` (one per entry, files expanded to their entry's line). */
export function runReplacements(resources: readonly Resource[], list: readonly Replacement[], positions: readonly SourcePos[], fallback: SourcePos): void {
  at(fallback, () =>
    applyReplacementList(asTargets(resources), list, (i, pointer, ri) => {
      resources[i]!.fieldOrigins[pointer] = positions[ri] ?? fallback;
    }),
  );
}

export function applyReplacements(ctx: BuildContext, k: Kustomization, acc: Accumulator): void {
  const entries = getList(k, "replacements");
  if (entries.length === 0) return;
  const list: Replacement[] = [];
  const positions: SourcePos[] = [];
  for (const e of entries) {
    const read = (path: string): string => ctx.loader.readRestricted(k.dir, path, e.at).text;
    const loaded = at(e.at, () => loadReplacements([e.value], read, (t, path) => parseKYaml(t, path).map((d) => d.value)));
    list.push(...loaded);
    positions.push(...loaded.map(() => e.at));
  }
  runReplacements(acc.resources, list, positions, entries[0]!.at);
}

/** Substitutes `$(VAR)` in the fields `specs` reach; a field changed gets the line of the (first) var it names as origin. */
export function substituteVars(resources: Resource[], values: Map<string, { value: unknown; at: SourcePos }>, specs: readonly FieldSpec[]): void {
  const plain = new Map([...values].map(([name, v]) => [name, v.value]));
  const first = [...values.values()][0]!.at;
  for (const r of resources) {
    const changed: string[] = [];
    const before = new Map<string, unknown>();
    at(first, () =>
      substituteIn(r.obj, plain, specs, (pointer) => {
        const old = getAtPointer(r.obj, pointer);
        const name = typeof old === "string" ? /\$\(([^)]*)\)/.exec(old)?.[1] : undefined;
        r.fieldOrigins[pointer] = (name !== undefined ? values.get(name)?.at : undefined) ?? first;
        changed.push(pointer);
        before.set(pointer, old);
      }),
    );
    for (const p of changed) {
      for (const other of r.shared?.get(p) ?? []) {
        if (other !== p && getAtPointer(r.obj, other) === before.get(p)) setAtPointer(r.obj, other, getAtPointer(r.obj, p));
      }
    }
  }
}
