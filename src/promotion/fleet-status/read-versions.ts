/**
 * The versions a component folder declares, from its files as written (no rendering): for `values`, the promoted
 * fields' values; for `copy`, the image tags of containers (`containers`, `initContainers` anywhere in a manifest),
 * Helm-style `image: {repository, tag}` maps, and a Kustomization's `images[].newTag`/`digest`, which override the
 * tag of the image they name. Pure.
 */
import { Minimatch } from "minimatch";
import { parseAllDocuments } from "yaml";
import type { ComponentPromotion } from "../../config/promotion-schema.js";
import { GLOB_OPTIONS } from "../../fleet/check-glob.js";
import type { VersionValue } from "./fleet-status-types.js";

/** Files of one folder: path relative to the folder → text. */
export type FolderFiles = ReadonlyMap<string, string>;

/** Files larger than this are not parsed for versions (a status must stay cheap). */
const MAX_FILE_CHARS = 512 * 1024;

const isYaml = (path: string) => /\.ya?ml$/i.test(path);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

function documentsOf(text: string): unknown[] {
  if (text.length > MAX_FILE_CHARS) return [];
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return [];
  return docs.filter((d) => d.errors.length === 0).map((d) => d.toJS() as unknown);
}

/** `registry:5000/team/api:1.4.0` → name `registry:5000/team/api`, tag `1.4.0`; `api@sha256:…` keeps the digest; no tag → `latest`. */
export function splitImage(image: string): VersionValue {
  const at = image.indexOf("@");
  if (at >= 0) return { name: image.slice(0, at), value: image.slice(at + 1) };
  const colon = image.lastIndexOf(":");
  if (colon > image.lastIndexOf("/")) return { name: image.slice(0, colon), value: image.slice(colon + 1) };
  return { name: image, value: "latest" };
}

function collectImages(node: unknown, into: Map<string, string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectImages(item, into);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === "containers" || key === "initContainers") && Array.isArray(value)) {
      for (const c of value) {
        if (isRecord(c) && typeof c.image === "string") {
          const { name, value: tag } = splitImage(c.image);
          into.set(name, tag);
        }
      }
    } else if (key === "image" && isRecord(value) && typeof value.repository === "string" && isScalar(value.tag)) {
      into.set(value.repository, String(value.tag));
    } else {
      collectImages(value, into);
    }
  }
}

function kustomizeImages(doc: unknown, into: Map<string, string>): void {
  if (!isRecord(doc) || doc.kind !== "Kustomization" || !Array.isArray(doc.images)) return;
  for (const entry of doc.images) {
    if (!isRecord(entry) || typeof entry.name !== "string") continue;
    const value = typeof entry.digest === "string" ? entry.digest : isScalar(entry.newTag) ? String(entry.newTag) : null;
    if (value !== null) into.set(entry.name, value);
  }
}

function imageVersions(files: FolderFiles): VersionValue[] {
  const images = new Map<string, string>();
  const overrides = new Map<string, string>();
  for (const [path, text] of files) {
    if (!isYaml(path)) continue;
    for (const doc of documentsOf(text)) {
      if (isRecord(doc) && doc.kind === "Kustomization") kustomizeImages(doc, overrides);
      else collectImages(doc, images);
    }
  }
  for (const [name, value] of overrides) images.set(name, value);
  return [...images].map(([name, value]) => ({ name, value }));
}

/** Values at a field path (`images[].newTag`): `[]` walks list elements, named by their `name` when they have one. */
function fieldValues(node: unknown, segments: readonly string[], label: string, into: VersionValue[]): void {
  const [seg, ...rest] = segments;
  if (seg === undefined) {
    if (isScalar(node)) into.push({ name: label, value: String(node) });
    return;
  }
  const each = seg.endsWith("[]");
  const key = each ? seg.slice(0, -2) : seg;
  if (!isRecord(node) || !(key in node)) return;
  const child = node[key];
  if (!each) {
    fieldValues(child, rest, label, into);
    return;
  }
  if (!Array.isArray(child)) return;
  child.forEach((item, i) => fieldValues(item, rest, isRecord(item) && typeof item.name === "string" ? item.name : `${label}[${i}]`, into));
}

function promotedFieldVersions(files: FolderFiles, rule: ComponentPromotion): VersionValue[] {
  const out: VersionValue[] = [];
  for (const field of rule.fields) {
    const matcher = new Minimatch(field.file, GLOB_OPTIONS);
    for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!matcher.match(path)) continue;
      for (const doc of documentsOf(text)) fieldValues(doc, field.path.split("."), `${path}: ${field.path}`, out);
    }
  }
  return out;
}

/** The versions of one component folder, sorted by name (duplicates of one name and value once). */
export function readVersions(files: FolderFiles, rule: ComponentPromotion): VersionValue[] {
  const found = rule.strategy === "values" ? promotedFieldVersions(files, rule) : imageVersions(files);
  const seen = new Set<string>();
  return found
    .filter((v) => {
      const key = `${v.name}\0${v.value}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** Merges a cluster folder's versions over the environment's shared folder's (a cluster overlay sets what it names). */
export function overlayVersions(shared: readonly VersionValue[], own: readonly VersionValue[]): VersionValue[] {
  const names = new Set(own.map((v) => v.name));
  return [...shared.filter((v) => !names.has(v.name)), ...own].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const shortName = (name: string) => name.slice(name.lastIndexOf("/") + 1);

/** One short text: the value when all agree, else `name=value` pairs; `?` when nothing was found. */
export function versionText(versions: readonly VersionValue[]): string {
  const values = [...new Set(versions.map((v) => v.value))];
  if (values.length === 0) return "?";
  if (values.length === 1) return values[0] as string;
  return versions.map((v) => `${shortName(v.name)}=${v.value}`).join(", ");
}

/** Whether two cells declare the same versions: the same set of values (names may differ per environment, e.g. registries). */
export function sameVersions(a: readonly VersionValue[], b: readonly VersionValue[]): boolean {
  const sa = [...new Set(a.map((v) => v.value))].sort();
  const sb = [...new Set(b.map((v) => v.value))].sort();
  return sa.length === sb.length && sa.every((v, i) => v === sb[i]);
}
