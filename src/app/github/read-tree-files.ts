import type { GitHubClient, RepoRef } from "./github-client.js";

/** Every file path of a commit's tree (blobs only), and whether GitHub truncated the listing. */
export interface TreeListing {
  /** The tree's paths with their blob SHAs. */
  blobs: Map<string, string>;
  /** The blobs' sizes in bytes, added up. */
  bytes: number;
  truncated: boolean;
}

/** Lists the files of `ref` (a commit SHA or branch) with one recursive `git.getTree` call. */
export async function listTree(gh: GitHubClient, where: RepoRef & { ref: string }): Promise<TreeListing> {
  const res = await gh.rest.git.getTree({ owner: where.owner, repo: where.repo, tree_sha: where.ref, recursive: "1" });
  const blobs = new Map<string, string>();
  let bytes = 0;
  for (const entry of res.data.tree) {
    if (entry.type === "blob" && entry.path !== undefined && entry.sha !== undefined) blobs.set(entry.path, entry.sha);
    if (entry.type === "blob") bytes += entry.size ?? 0;
  }
  return { blobs, bytes, truncated: res.data.truncated };
}

/** The UTF-8 text of one blob (one `git.getBlob` call). */
export async function readBlob(gh: GitHubClient, where: RepoRef & { sha: string }): Promise<string> {
  const res = await gh.rest.git.getBlob({ owner: where.owner, repo: where.repo, file_sha: where.sha });
  return res.data.encoding === "base64" ? Buffer.from(res.data.content, "base64").toString("utf8") : res.data.content;
}

/**
 * The exact bytes of one blob (one `git.getBlob` call), for binary files such as OPA bundles. GitHub answers with
 * base64 (line-wrapped; `Buffer` ignores the newlines); a `utf-8` answer is encoded back to bytes.
 */
export async function readBlobBytes(gh: GitHubClient, where: RepoRef & { sha: string }): Promise<Uint8Array> {
  const res = await gh.rest.git.getBlob({ owner: where.owner, repo: where.repo, file_sha: where.sha });
  const bytes = res.data.encoding === "base64" ? Buffer.from(res.data.content, "base64") : Buffer.from(res.data.content, "utf8");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The files of `ref` whose paths `wanted` accepts, as path → text: one tree listing plus one blob read per
 * distinct blob (identical files are read once). Throws when GitHub truncated the tree, rather than
 * answering with a partial repository.
 */
export async function readTreeFiles(
  gh: GitHubClient,
  where: RepoRef & { ref: string },
  wanted: (path: string) => boolean = () => true,
): Promise<Map<string, string>> {
  const listing = await listTree(gh, where);
  if (listing.truncated) throw new Error(`the tree of ${where.owner}/${where.repo}@${where.ref} is too large for one listing`);
  const texts = new Map<string, Promise<string>>();
  const files = new Map<string, string>();
  const picked = [...listing.blobs].filter(([path]) => wanted(path));
  for (const [, sha] of picked) {
    if (!texts.has(sha)) texts.set(sha, readBlob(gh, { ...where, sha }));
  }
  for (const [path, sha] of picked) files.set(path, await (texts.get(sha) as Promise<string>));
  return files;
}
