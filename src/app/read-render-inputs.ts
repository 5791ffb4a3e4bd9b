/**
 * Reads what the policy check renders (`render:` in the configuration, src/policy/render/): the files Kustomize roots
 * may read at the head (to judge) and at the base (to diff). Only reads; rendering happens in the policy sandbox.
 *
 * - Nothing is read when `render.kustomize` is `off`, or when the base has no kustomization and the pull request adds
 *   none (the base's tree listing is the one the policy files were found with): repositories without Kustomize make
 *   no extra call.
 * - Otherwise: one recursive tree listing of the head, the kustomization files of both commits, then the files in the
 *   trees of the kustomizations that the roots a change may reach load (`renderFilesToRead`); blobs by SHA through a
 *   cache that outlives the run, each distinct blob read once (in GraphQL batches, github/read-blobs.ts).
 *
 * GitHub calls: 1 git.getTree (head) + the blob reads of the distinct blobs not cached (kustomizations, then the
 * candidate roots' trees), through the run's BlobReader: ceil(R / 100) GraphQL queries, or the commit's tarball. A truncated listing renders nothing and says so (a warning on `fleetward/policy`).
 */
import { kustomizationFolders } from "../policy/render/find-roots.js";
import { type CommitListing, type RenderInputs, renderFilesToRead } from "../policy/render/render-pull-request.js";
import type { PolicyProblem } from "../policy/check/policy-check-types.js";
import type { FleetwardConfig } from "../config/schema.js";
import { KUSTOMIZATION_FILE_NAMES } from "../render/api.js";
import type { ChangedFile } from "./github/list-pull-request-files.js";
import type { BlobReader } from "./github/read-blobs.js";
import type { TreeListing } from "./github/read-tree-files.js";
import { LruCache } from "./lru-cache.js";

/** Texts of the blobs renders read, by SHA, kept across runs up to 64 Mi UTF-16 code units in all. */
const blobCache = new LruCache<string>(64 * 1024 * 1024, (text) => text.length);

/** The texts of `paths` in the listed commit `ref` (binary files left out), through the cross-run cache. */
async function readTexts(reader: BlobReader, ref: string, listing: TreeListing, paths: readonly string[]): Promise<Map<string, string>> {
  const shas = paths.map((p) => listing.blobs.get(p)).filter((sha): sha is string => sha !== undefined && !blobCache.has(sha));
  const read = await reader.texts(shas, { ref, commitFiles: listing.blobs.size, commitBytes: listing.bytes });
  const out = new Map<string, string>();
  for (const path of paths) {
    const sha = listing.blobs.get(path);
    const text = sha === undefined ? undefined : (read.get(sha) ?? blobCache.get(sha));
    if (sha === undefined || typeof text !== "string") continue;
    blobCache.set(sha, text);
    out.set(path, text);
  }
  return out;
}

const isKustomization = (path: string) => (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(path.slice(path.lastIndexOf("/") + 1));

export async function readRenderInputs(
  reader: BlobReader,
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
  const listed = async (ref: string, listing: TreeListing): Promise<CommitListing> => {
    const paths = [...listing.blobs.keys()];
    return { paths, kustomizations: await readTexts(reader, ref, listing, [...kustomizationFolders(paths).values()]) };
  };
  const head = await listed(target.headSha, headListing);
  const base = await listed(target.baseSha, baseListing);
  const wanted = renderFilesToRead({ config, head, base, changedPaths });
  return {
    inputs: {
      head: await readTexts(reader, target.headSha, headListing, wanted.head),
      base: await readTexts(reader, target.baseSha, baseListing, wanted.base),
      changedPaths,
    },
    problems: [],
  };
}
