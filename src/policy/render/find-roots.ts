/**
 * Which folders are rendered, and which files a render may read. Pure, over paths and kustomization texts.
 *
 *   kustomizationFolders(paths) → Map<folder, kustomization file>
 *   referencedFolders(dir, text) → folders a kustomization names in resources/bases/components
 *   findRoots({ config, fleet, folders, readFile }) → { roots, problems }
 *   renderReadSet({ roots, folders, readFile, paths }) → the paths renders of those roots may read
 *
 * By default a root is a folder with a kustomization under an environment's or cluster's paths that no other
 * kustomization there includes (the overlays), plus one kustomization of each cycle there (so that it is reported);
 * `render.roots` lists them instead. A render can only read inside the
 * trees of the kustomizations it loads (Kustomize's load restrictions), and it loads only the kustomizations its root
 * reaches through `resources`, `bases` and `components`; so those folders' trees are all the app needs to read.
 */
import { parseDocument } from "yaml";
import type { FleetwardConfig } from "../../config/schema.js";
import type { Fleet } from "../../fleet/build-fleet.js";
import { classifyPath } from "../../fleet/classify-path.js";
import { KUSTOMIZATION_FILE_NAMES } from "../../render/api.js";
import { baseName, dirOf, joinPath } from "../../render/paths.js";
import type { PolicyProblem } from "../check/policy-check-types.js";

export interface RenderRoot {
  /** The folder that is built, e.g. `envs/prod-eu-1`. */
  dir: string;
  /** Its kustomization file, e.g. `envs/prod-eu-1/kustomization.yaml`. */
  file: string;
}

/** True when `path` is inside one of `dirs` (checked by its ancestors, so the cost does not grow with `dirs`). */
export function withinAny(path: string, dirs: ReadonlySet<string>): boolean {
  if (dirs.has("")) return true;
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) if (dirs.has(path.slice(0, i))) return true;
  return dirs.has(path);
}

/** Every folder holding a kustomization, with the file Kustomize would pick (its order of preference). */
export function kustomizationFolders(paths: Iterable<string>): Map<string, string> {
  const found = new Map<string, string>();
  const rank = (file: string) => KUSTOMIZATION_FILE_NAMES.indexOf(baseName(file) as (typeof KUSTOMIZATION_FILE_NAMES)[number]);
  for (const path of paths) {
    if (rank(path) < 0) continue;
    const dir = dirOf(path);
    const current = found.get(dir);
    if (current === undefined || rank(path) < rank(current)) found.set(dir, path);
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const isRemote = (ref: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(ref);

/**
 * The repository paths a kustomization names in `resources`, `bases` and `components` (files or folders), resolved
 * against its folder; remote references, absolute ones and those leaving the repository are left out (the renderer
 * reports them). An unreadable kustomization names nothing.
 */
export function referencedFolders(dir: string, text: string): readonly string[] {
  const key = `${dir}\u0000${text}`;
  let refs = referencesSeen.get(key);
  if (refs === undefined) {
    refs = readReferences(dir, text);
    if (referencesSeen.size >= 10_000) referencesSeen.clear();
    referencesSeen.set(key, refs);
  }
  return refs;
}

/** Kustomizations are read many times per check (roots, reach, read set): their references by folder and text. */
const referencesSeen = new Map<string, readonly string[]>();

function readReferences(dir: string, text: string): string[] {
  let doc: unknown;
  try {
    const parsed = parseDocument(text, { uniqueKeys: false });
    if (parsed.errors.length > 0) return [];
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch {
    return [];
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return [];
  const out: string[] = [];
  for (const field of ["resources", "bases", "components"]) {
    const list = (doc as Record<string, unknown>)[field];
    if (!Array.isArray(list)) continue;
    for (const ref of list) {
      if (typeof ref !== "string" || ref.startsWith("/") || isRemote(ref)) continue;
      const path = joinPath(dir, ref);
      if (path !== undefined) out.push(path);
    }
  }
  return out;
}

export interface FindRootsInput {
  config: FleetwardConfig;
  fleet: Fleet;
  /** `kustomizationFolders` of the commit. */
  folders: ReadonlyMap<string, string>;
  readFile(path: string): string | undefined;
}

/** The roots to render: `render.roots` when set, else the kustomizations under the fleet's paths that none there includes. */
export function findRoots(input: FindRootsInput): { roots: RenderRoot[]; problems: PolicyProblem[] } {
  const { config, folders } = input;
  if (config.render.kustomize === "off") return { roots: [], problems: [] };
  if (config.render.roots.length > 0) {
    const roots: RenderRoot[] = [];
    const problems: PolicyProblem[] = [];
    for (const dir of config.render.roots) {
      const file = folders.get(dir.replace(/\/+$/, ""));
      if (file !== undefined) roots.push({ dir: dirOf(file), file });
      else {
        const message = `render.roots names ${dir}, which holds no kustomization (${KUSTOMIZATION_FILE_NAMES.join(", ")}) in this commit`;
        problems.push({ code: "render_root_not_found", severity: "warning", message, file: ".github/fleetward.yml", line: 1, column: 1 });
      }
    }
    return { roots, problems };
  }
  const inFleet = [...folders].filter(([, file]) => classifyPath(input.fleet, file).environments.length > 0);
  const included = new Set<string>();
  for (const [dir, file] of inFleet) {
    const text = input.readFile(file);
    if (text === undefined) continue;
    for (const ref of referencedFolders(dir, text)) if (ref !== dir) included.add(ref);
  }
  const roots = inFleet.filter(([dir]) => !included.has(dir)).map(([dir, file]) => ({ dir, file }));
  // Kustomizations that only include each other (a cycle) are reached from no root: the first of each becomes one,
  // so that the cycle is rendered and reported rather than never judged.
  const reached = new Set(renderReadSet({ roots, folders, readFile: input.readFile, paths: [] }).folders);
  for (const [dir, file] of inFleet) {
    if (reached.has(dir)) continue;
    roots.push({ dir, file });
    for (const d of renderReadSet({ roots: [{ dir, file }], folders, readFile: input.readFile, paths: [] }).folders) reached.add(d);
  }
  return { roots: roots.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0)), problems: [] };
}

export interface RenderReadSetInput {
  roots: readonly RenderRoot[];
  folders: ReadonlyMap<string, string>;
  readFile(path: string): string | undefined;
  /** Every path of the commit. */
  paths: Iterable<string>;
}

/** The kustomization folders the roots reach, and every path inside their trees (what their renders may read), sorted. */
export function renderReadSet(input: RenderReadSetInput): { folders: string[]; paths: string[] } {
  const reached = new Set<string>();
  const named = new Set<string>();
  const queue = input.roots.map((r) => r.dir);
  for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
    if (reached.has(dir)) continue;
    const file = input.folders.get(dir);
    if (file === undefined) continue;
    reached.add(dir);
    const text = input.readFile(file);
    for (const ref of text !== undefined ? referencedFolders(dir, text) : []) {
      if (input.folders.has(ref)) queue.push(ref);
      else named.add(ref);
    }
  }
  const folders = [...reached].sort();
  // Files named outside the trees (`../../etc/passwd`) are read too, only so that the renderer can refuse them by
  // Kustomize's load restriction rather than call them missing.
  const paths = [...input.paths].filter((p) => withinAny(p, reached) || named.has(p)).sort();
  return { folders, paths };
}
