import { type GitHubClient, type RepoRef, isHttpStatus } from "./github-client.js";

/**
 * The text of one file at a ref (default branch when `ref` is omitted), or null when the file, the
 * ref or the repository does not exist. One `repos.getContent` call with the raw media type.
 */
export async function readFile(gh: GitHubClient, where: RepoRef & { path: string; ref?: string }): Promise<string | null> {
  try {
    const res = await gh.rest.repos.getContent({
      owner: where.owner,
      repo: where.repo,
      path: where.path,
      ...(where.ref ? { ref: where.ref } : {}),
      mediaType: { format: "raw" },
    });
    const data: unknown = res.data;
    if (typeof data === "string") return data;
    if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
    if (data instanceof Uint8Array) return new TextDecoder().decode(data);
    // A directory listing or a non-raw answer: not a file we can read.
    return null;
  } catch (error) {
    if (isHttpStatus(error, 404)) return null;
    throw error;
  }
}
