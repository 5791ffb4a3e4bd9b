/**
 * Reads what the policy check renders (`render:` in the configuration, src/policy/render/): the files Kustomize roots
 * may read at the head (to judge) and at the base (to diff). Only reads; rendering happens in the policy sandbox.
 *
 * - Nothing is read when `render.kustomize` is `off`, or when the base has no kustomization and the pull request adds
 *   none (the base's tree listing is the one the policy files were found with): repositories without Kustomize make
 *   no extra call.
 * - Otherwise: one recursive tree listing of the head, the kustomization files of both commits, then the files in the
 *   trees of the kustomizations that the roots a change may reach load (`renderFilesToRead`); blobs by SHA through a
 *   cache that outlives the run, each distinct blob read once.
 *
 * GitHub calls: 1 git.getTree (head) + one git.getBlob per distinct blob not cached (kustomizations, then the
 * candidate roots' trees). A truncated listing renders nothing and says so (a warning on `fleetward/policy`).
 */
import { kustomizationFolders } from "../policy/render/find-roots.js";
import { type CommitListing, type RenderInputs, renderFilesToRead } from "../policy/render/render-pull-request.js";
import type { PolicyProblem } from "../policy/check/policy-check-types.js";
import type { FleetwardConfig } from "../config/schema.js";
import { KUSTOMIZATION_FILE_NAMES } from "../render/api.js";
import type { GitHubClient, RepoRef } from "./github/github-client.js";
import type { ChangedFile } from "./github/list-pull-request-files.js";
import { readBlob, type TreeListing } from "./github/read-tree-files.js";
import { LruCache } from "./lru-cache.js";

/** Texts of the blobs renders read, by SHA, kept across runs up to 64 Mi UTF-16 code units in all. */
const blobCache = new LruCache<string>(64 * 1024 * 1024, (text) => text.length);
const READ_CONCURRENCY = 8;

async function readTexts(gh: GitHubClient, where: RepoRef, listing: TreeListing, paths: readonly string[]): Promise<Map<string, string>> {
  const shas = [...new Set(paths.map((p) => listing.blobs.get(p)).filter((sha): sha is string => sha !== undefined && !blobCache.has(sha)))];
  const read = new Map<string, string>();
  const worker = async () => {
    for (let sha = shas.pop(); sha !== undefined; sha = shas.pop()) read.set(sha, await readBlob(gh, { ...where, sha }));
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, shas.length) }, worker));
  const out = new Map<string, string>();
  for (const path of paths) {
    const sha = listing.blobs.get(path);
    if (sha === undefined) continue;
    const text = read.get(sha) ?? blobCache.get(sha) ?? "";
    blobCache.set(sha, text);
    out.set(path, text);
  }
  return out;
}

const isKustomization = (path: string) => (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(path.slice(path.lastIndexOf("/") + 1));

export async function readRenderInputs(
  gh: GitHubClient,
  where: RepoRef,
  trees: (ref: string) => Promise<TreeListing>,
  config: FleetwardConfig,
  target: { headSha: string; baseSha: string },
  files: readonly ChangedFile[],
): Promise<{ inputs?: RenderInputs; problems: PolicyProblem[] }> {
  if (config.render.kustomize === "off") return { problems: [] };
  const baseListing = await trees(target.baseSha);
  const changedPaths = files.flatMap((f) => (f.previousPath !== undefined ? [f.path, f.previousPath] : [f.path]));
  if (![...baseListing.blobs.keys()].some(isKustomization) && !changedPaths.some(isKustomization)) return { problems: [] };
  const headListing = await trees(target.headSha);
  const truncated = [headListing, baseListing].some((l) => l.truncated);
  if (truncated) {
    const message = "Kustomize roots were not rendered: the repository's tree is too large for one listing; changed files are judged as files.";
    return { problems: [{ code: "render_tree_too_large", severity: "warning", message, file: ".github/fleetward.yml", line: 1, column: 1 }] };
  }
  const listed = async (listing: TreeListing): Promise<CommitListing> => {
    const paths = [...listing.blobs.keys()];
    return { paths, kustomizations: await readTexts(gh, where, listing, [...kustomizationFolders(paths).values()]) };
  };
  const head = await listed(headListing);
  const base = await listed(baseListing);
  const wanted = renderFilesToRead({ config, head, base, changedPaths });
  return {
    inputs: { head: await readTexts(gh, where, headListing, wanted.head), base: await readTexts(gh, where, baseListing, wanted.base), changedPaths },
    problems: [],
  };
}
