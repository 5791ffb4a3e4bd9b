import { type GitHubClient, type RepoRef, isHttpStatus } from "./github-client.js";
import { LruCache } from "../lru-cache.js";

/**
 * The last answer per installation, repository, ref and path with its ETag (an entry weighs its length, at least 16 Ki characters: at most 256 entries and 4 Mi characters), so a
 * repeated read is a conditional request: GitHub answers `304 Not Modified`, which does not count against the rate
 * limit, and the text comes from here.
 */
const answers = new LruCache<{ etag: string; text: string }>(256 * 16 * 1024, (a) => Math.max(16 * 1024, a.text.length));

/** The installation a client acts as (undefined for other clients: their reads are not cached). */
async function installationOf(gh: GitHubClient): Promise<number | undefined> {
  try {
    const auth = (await gh.auth({ type: "installation" })) as { installationId?: unknown };
    return typeof auth.installationId === "number" ? auth.installationId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The text of one file at a ref (default branch when `ref` is omitted), or null when the file, the
 * ref or the repository does not exist. One `repos.getContent` call with the raw media type, conditional
 * (`If-None-Match`) when this installation read the same file before.
 */
export async function readFile(gh: GitHubClient, where: RepoRef & { path: string; ref?: string }): Promise<string | null> {
  const installation = await installationOf(gh);
  const key = installation === undefined ? undefined : JSON.stringify([installation, where.owner.toLowerCase(), where.repo.toLowerCase(), where.ref ?? "", where.path]);
  const cached = key === undefined ? undefined : answers.get(key);
  try {
    const res = await gh.rest.repos.getContent({
      owner: where.owner,
      repo: where.repo,
      path: where.path,
      ...(where.ref ? { ref: where.ref } : {}),
      mediaType: { format: "raw" },
      ...(cached !== undefined ? { headers: { "if-none-match": cached.etag } } : {}),
    });
    const data: unknown = res.data;
    const text = typeof data === "string" ? data : data instanceof ArrayBuffer || data instanceof Uint8Array ? new TextDecoder().decode(data) : null;
    // A directory listing or a non-raw answer: not a file we can read.
    if (text === null) return null;
    const etag = res.headers.etag;
    if (key !== undefined && typeof etag === "string") answers.set(key, { etag, text });
    return text;
  } catch (error) {
    if (cached !== undefined && isHttpStatus(error, 304)) return cached.text;
    if (isHttpStatus(error, 404)) return null;
    throw error;
  }
}
