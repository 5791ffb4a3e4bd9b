/**
 * One commit's files in two requests: `repos.downloadTarballArchive` (one API call; GitHub answers 302 to a
 * short-lived codeload URL) and the download itself, read with a byte cap while it streams, unpacked in process
 * (node:zlib with an output cap, then the tar reader of src/rego/bundle), each file keyed by its git blob SHA (so
 * callers that know SHAs from a listing find their texts). Symbolic links are left out; a caller that misses a SHA
 * reads it another way.
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { readTarArchive } from "../../rego/bundle/read-tar-archive.js";
import type { GitHubClient, RepoRef } from "./github-client.js";
import { type BlobText, blobText } from "./read-blobs.js";

/** At most this many archive entries. */
const MAX_ENTRIES = 500_000;

/** Git's blob id of `bytes`. */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
}

/** The response body, failing as soon as it grows past `maxBytes`. */
async function download(url: string, maxBytes: number): Promise<Buffer> {
  const res = await fetch(url);
  if (res.status !== 200 || res.body === null) throw new Error(`the tarball download answered ${res.status}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Uint8Array).byteLength;
    if (size > maxBytes) throw new Error(`the tarball is larger than ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

/** The bytes of a gzip'd tarball → blob SHA → text (null: binary), the archive's top folder dropped. */
export function tarballBlobs(gzipped: Uint8Array, maxBytes: number): Map<string, BlobText> {
  const tar = gunzipSync(gzipped, { maxOutputLength: maxBytes });
  const out = new Map<string, BlobText>();
  for (const entry of readTarArchive(new Uint8Array(tar.buffer, tar.byteOffset, tar.byteLength), { maxEntries: MAX_ENTRIES, skipLinks: true })) {
    if (entry.path.endsWith("/")) continue;
    out.set(gitBlobSha(entry.data), blobText(entry.data));
  }
  return out;
}

/** Every file of `ref` as blob SHA → text (null for binary files); throws on any failure or above `maxBytes`. */
export async function readCommitTarball(gh: GitHubClient, where: RepoRef & { ref: string }, maxBytes: number): Promise<Map<string, BlobText>> {
  const res = await gh.rest.repos.downloadTarballArchive({ owner: where.owner, repo: where.repo, ref: where.ref, request: { redirect: "manual" } });
  const status = res.status as number;
  const location = res.headers.location;
  if (status === 200 && res.data instanceof ArrayBuffer) return tarballBlobs(new Uint8Array(res.data), maxBytes);
  if (status !== 302 || typeof location !== "string") throw new Error(`the tarball request answered ${status} without a location`);
  return tarballBlobs(await download(location, maxBytes), maxBytes);
}
