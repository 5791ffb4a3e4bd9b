/**
 * The rendering side of a pull request's policy check: which roots it affects, their renders at the head (to judge)
 * and at the base (to diff), and the blast radius. Pure apart from CPU work; runs inside `planPolicyCheck`, so in the
 * policy worker when there is one.
 *
 *   renderPullRequest({ config, inputs, renderer }) → RenderedPullRequest
 *
 * 1. Roots of each commit (`findRoots`). A root is a candidate when a changed path lies in the tree of a kustomization
 *    it reaches (the only files its render can read); only candidates are rendered.
 * 2. A candidate is affected when its render read a changed path (head or base), fails at the head, or exists on one
 *    side only. Affected roots present at the head are judged (`judgeRenderedRoots`); every candidate is diffed.
 * 3. Changed files inside any kustomization folder of the head are not judged as files: their objects are judged as
 *    their roots render them (a patch file is not an object).
 */
import type { FleetwardConfig } from "../../config/schema.js";
import { buildFleet, type Fleet } from "../../fleet/build-fleet.js";
import { classifyPath } from "../../fleet/classify-path.js";
import type { RenderResult } from "../../render/api.js";
import type { PolicyProblem } from "../check/policy-check-types.js";
import { findRoots, kustomizationFolders, type RenderRoot, renderReadSet, withinAny } from "./find-roots.js";
import { rootLabel } from "./judge-rendered-roots.js";
import { blastRadius, type BlastRadius, diffRoot, type RootDiff, type RootTarget, unchangedRoot } from "./render-diff.js";
import { type Renderer, renderRoots } from "./render-roots.js";

/** What the caller read for rendering. Plain data (structured-cloneable). */
export interface RenderInputs {
  /** The head's files renders may read (`renderFilesToRead`), path → text; every kustomization file of the head among them. */
  head: ReadonlyMap<string, string>;
  /** The same of the base commit, for the diff; absent: no diff. */
  base?: ReadonlyMap<string, string>;
  /** Paths the pull request touches: added, modified and removed files, and the old paths of renamed ones. */
  changedPaths: readonly string[];
}

export interface RenderedPullRequest {
  fleet: Fleet;
  /** Affected roots present at the head, with their head renders: what the policy check judges. */
  judge: { roots: RenderRoot[]; renders: Map<string, RenderResult> };
  /** Every candidate root, base → head (unaffected ones `unchanged`). */
  diffs: RootDiff[];
  radius: BlastRadius;
  /** How many roots the two commits have (head and base together). */
  rootCount: number;
  /** Whether a path of the head lies inside a kustomization folder (not judged as a file). */
  isRendered(path: string): boolean;
  problems: PolicyProblem[];
}

interface Side {
  files: ReadonlyMap<string, string>;
  folders: Map<string, string>;
  roots: Map<string, RenderRoot>;
  problems: PolicyProblem[];
}

function side(config: FleetwardConfig, fleet: Fleet, files: ReadonlyMap<string, string>): Side {
  const folders = kustomizationFolders(files.keys());
  const found = findRoots({ config, fleet, folders, readFile: (p) => files.get(p) });
  return { files, folders, roots: new Map(found.roots.map((r) => [r.dir, r])), problems: found.problems };
}

/** Whether a changed path lies in the tree of a kustomization the root reaches on this side. */
function reaches(s: Side | undefined, dir: string, changed: readonly string[]): boolean {
  const root = s?.roots.get(dir);
  if (s === undefined || root === undefined) return false;
  const trees = new Set(renderReadSet({ roots: [root], folders: s.folders, readFile: (p) => s.files.get(p), paths: [] }).folders);
  return changed.some((p) => withinAny(p, trees));
}

/** The roots a changed path may reach (through the trees of the kustomizations they load, at the head or the base). */
function candidateRoots(all: ReadonlyMap<string, RenderRoot>, head: Side, base: Side | undefined, changed: readonly string[]): RenderRoot[] {
  return [...all.values()].filter((r) => reaches(head, r.dir, changed) || reaches(base, r.dir, changed));
}

/** One commit as the app or the CLI lists it: every path, and the texts of its kustomization files. */
export interface CommitListing {
  paths: readonly string[];
  kustomizations: ReadonlyMap<string, string>;
}

/**
 * The paths to read for rendering, at the head and the base: the trees of the kustomizations that the candidate
 * roots reach (what `renderPullRequest` will render), plus every kustomization file. The caller first reads the
 * kustomization files (`kustomizationFolders` of the paths), then these.
 */
export function renderFilesToRead(input: { config: FleetwardConfig; head: CommitListing; base?: CommitListing; changedPaths: readonly string[] }): { head: string[]; base: string[] } {
  const { config } = input;
  if (config.render.kustomize === "off") return { head: [], base: [] };
  const fleet = buildFleet(config);
  const head = side(config, fleet, input.head.kustomizations);
  const base = input.base !== undefined ? side(config, fleet, input.base.kustomizations) : undefined;
  const candidates = candidateRoots(new Map([...(base?.roots ?? []), ...head.roots]), head, base, input.changedPaths);
  const read = (s: Side, listing: CommitListing) => {
    const roots = candidates.filter((r) => s.roots.has(r.dir));
    const paths = renderReadSet({ roots, folders: s.folders, readFile: (p) => s.files.get(p), paths: listing.paths }).paths;
    return [...new Set([...paths, ...s.folders.values()])].sort();
  };
  return { head: read(head, input.head), base: base !== undefined && input.base !== undefined ? read(base, input.base) : [] };
}

export function rootTarget(fleet: Fleet, root: RenderRoot): RootTarget {
  const c = classifyPath(fleet, root.file);
  const targets = c.clusters.length > 0 ? c.clusters : c.environments.length > 0 ? c.environments : [root.dir];
  return { dir: root.dir, label: rootLabel(fleet, root), targets, environments: c.environments };
}

export function renderPullRequest(input: { config: FleetwardConfig; inputs: RenderInputs; renderer: Renderer }): RenderedPullRequest {
  const { config, inputs, renderer } = input;
  const fleet = buildFleet(config);
  const head = side(config, fleet, inputs.head);
  const base = inputs.base !== undefined ? side(config, fleet, inputs.base) : undefined;
  const changed = inputs.changedPaths;
  const all = new Map([...(base?.roots ?? []), ...head.roots]);
  const candidates = candidateRoots(all, head, base, changed);
  const options = { maxResources: config.render.maxResources };
  const headRenders = renderRoots(renderer, head.files, candidates.filter((r) => head.roots.has(r.dir)), options);
  const baseRenders = base !== undefined ? renderRoots(renderer, base.files, candidates.filter((r) => base.roots.has(r.dir)), options) : new Map<string, RenderResult>();

  const changedSet = new Set(changed);
  const readsChange = (r: RenderResult | undefined) => r !== undefined && r.files.some((f) => changedSet.has(f));
  const affected = candidates.filter((r) => {
    const h = headRenders.get(r.dir);
    const b = baseRenders.get(r.dir);
    return (h !== undefined && !h.ok) || readsChange(h) || readsChange(b) || (base !== undefined && (h === undefined) !== (b === undefined));
  });
  const affectedDirs = new Set(affected.map((r) => r.dir));
  const diffs = candidates.map((r) =>
    affectedDirs.has(r.dir) ? diffRoot(rootTarget(fleet, r), baseRenders.get(r.dir), headRenders.get(r.dir)) : unchangedRoot(rootTarget(fleet, r)),
  );
  const candidateDirs = new Set(candidates.map((r) => r.dir));
  const untouched = [...all.values()].filter((r) => !candidateDirs.has(r.dir)).map((r) => rootTarget(fleet, r));
  const folders = new Set(head.folders.keys());
  return {
    fleet,
    judge: { roots: affected.filter((r) => head.roots.has(r.dir)), renders: headRenders },
    diffs,
    radius: blastRadius(diffs, untouched),
    rootCount: all.size,
    isRendered: (path) => config.render.kustomize !== "off" && withinAny(path, folders),
    problems: [...head.problems],
  };
}
