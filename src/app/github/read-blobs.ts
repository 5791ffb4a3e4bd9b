/**
 * Blob texts by SHA in few GitHub calls: GraphQL batches of `repository { bN: object(oid:) { ... on Blob } }`
 * (100 a query), or one tarball of the commit (tarball.ts) when a read is large and the tarball is not much bigger
 * than what it replaces; or one REST `git.getBlob` per blob (`FLEETWARD_BLOB_READS=per-file`, today's path).
 *
 * Binary blobs (a NUL byte among the first 8,000 bytes, git's rule and GitHub's `isBinary`) read as null on every
 * path: callers skip them. A blob GraphQL answers truncated (GitHub cuts large texts) is read again by REST.
 * Which transport a read takes is `chooseBlobTransport`, a pure function of the counts (docs/policy-checks.md).
 */
import type { Logger } from "pino";
import type { GitHubClient, RepoRef } from "./github-client.js";
import { readCommitTarball } from "./tarball.js";

/** A blob's text, or null for a binary blob. */
export type BlobText = string | null;

export type BlobReads = "auto" | "per-file" | "graphql" | "tarball";
export type BlobTransport = "none" | "per-file" | "graphql" | "tarball";

/** Blobs per GraphQL query (aliases). */
export const GRAPHQL_BATCH = 100;
/** The tarball is chosen only when GraphQL would need more than this many queries. */
export const TARBALL_MIN_QUERIES = 1;
/** … and the commit has at most this many files per blob to read (the tarball carries every file of the commit). */
export const TARBALL_FILES_PER_BLOB = 2;
/** Tarballs larger than this (compressed download, and unpacked) are not read; GraphQL batches read instead. */
export const MAX_TARBALL_BYTES = 256 * 1024 * 1024;
/** How many GraphQL queries (or REST reads) run at the same time. */
const CONCURRENCY = 8;

/** The transport of one read: `blobs` distinct blobs wanted from a commit of `commitFiles` files (`commitBytes` in all). */
export function chooseBlobTransport(input: { mode: BlobReads; blobs: number; commitFiles: number; commitBytes: number }): BlobTransport {
  if (input.blobs === 0) return "none";
  if (input.mode !== "auto") return input.mode;
  const queries = Math.ceil(input.blobs / GRAPHQL_BATCH);
  const tarball = queries > TARBALL_MIN_QUERIES && input.commitFiles <= TARBALL_FILES_PER_BLOB * input.blobs && input.commitBytes <= MAX_TARBALL_BYTES;
  return tarball ? "tarball" : "graphql";
}

/** `FLEETWARD_BLOB_READS` (default `auto`); anything else is an error naming the variable. */
export function blobReadsFromEnv(env: NodeJS.ProcessEnv): BlobReads {
  const value = env.FLEETWARD_BLOB_READS ?? "auto";
  if (value === "auto" || value === "per-file" || value === "graphql" || value === "tarball") return value;
  throw new Error(`FLEETWARD_BLOB_READS must be auto, per-file, graphql or tarball, not "${value}"`);
}

/** Git's binary rule: a NUL byte among the first 8,000 bytes. */
export function isBinaryBlob(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** The text of blob bytes, or null when they are binary. */
export function blobText(bytes: Uint8Array): BlobText {
  return isBinaryBlob(bytes) ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

async function readBlobRest(gh: GitHubClient, where: RepoRef, sha: string): Promise<BlobText> {
  const res = await gh.rest.git.getBlob({ owner: where.owner, repo: where.repo, file_sha: sha });
  return blobText(res.data.encoding === "base64" ? Buffer.from(res.data.content, "base64") : Buffer.from(res.data.content, "utf8"));
}

interface GraphqlBlob {
  text: string | null;
  isBinary: boolean | null;
  isTruncated: boolean;
}

/** One GraphQL query for up to 100 blobs; truncated texts are read again by REST. */
async function readBatchGraphql(gh: GitHubClient, where: RepoRef, shas: readonly string[]): Promise<Map<string, BlobText>> {
  for (const sha of shas) if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`not a blob SHA: "${sha}"`);
  const fields = shas.map((sha, i) => `b${i}: object(oid: "${sha}") { ... on Blob { text isBinary isTruncated } }`).join("\n");
  const query = `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {\n${fields}\n} }`;
  const data = await gh.graphql<{ repository: Record<string, GraphqlBlob | null> | null }>(query, { owner: where.owner, name: where.repo });
  const out = new Map<string, BlobText>();
  await Promise.all(
    shas.map(async (sha, i) => {
      const blob = data.repository?.[`b${i}`];
      if (blob === null || blob === undefined) throw new Error(`blob ${sha} of ${where.owner}/${where.repo} was not found`);
      out.set(sha, blob.isBinary === true || blob.text === null ? null : blob.isTruncated ? await readBlobRest(gh, where, sha) : blob.text);
    }),
  );
  return out;
}

/** Runs `work` over `items` with at most CONCURRENCY at a time. */
async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
}

/** Where a read comes from: the commit (for a tarball) and its size, from its tree listing. */
export interface BlobReadTarget {
  ref: string;
  commitFiles: number;
  commitBytes: number;
}

/**
 * The blob reads of one check run: every blob read (or found in a tarball) is kept for the run, so a blob is read
 * once whatever asks for it; each read picks its transport by `chooseBlobTransport`. `transports` records the
 * choices (for logs and tests).
 */
export class BlobReader {
  readonly #known = new Map<string, BlobText>();
  readonly #tarballs = new Set<string>();
  readonly transports: BlobTransport[] = [];

  constructor(
    private readonly gh: GitHubClient,
    private readonly where: RepoRef,
    private readonly mode: BlobReads,
    private readonly log?: Logger,
  ) {}

  /** The texts of `shas` (distinct or not) at `target`: sha → text, null for binary blobs. */
  async texts(shas: Iterable<string>, target: BlobReadTarget): Promise<Map<string, BlobText>> {
    const wanted = [...new Set(shas)];
    let missing = wanted.filter((sha) => !this.#known.has(sha));
    const transport = chooseBlobTransport({ mode: this.mode, blobs: missing.length, ...target });
    this.transports.push(transport);
    if (transport === "tarball" && !this.#tarballs.has(target.ref)) {
      this.#tarballs.add(target.ref);
      try {
        for (const [sha, text] of await readCommitTarball(this.gh, { ...this.where, ref: target.ref }, MAX_TARBALL_BYTES)) this.#known.set(sha, text);
      } catch (error) {
        this.log?.warn({ err: error, ref: target.ref }, "tarball read failed; reading the blobs by GraphQL");
      }
      missing = missing.filter((sha) => !this.#known.has(sha));
    }
    if (transport === "per-file") {
      await eachLimited(missing, async (sha) => void this.#known.set(sha, await readBlobRest(this.gh, this.where, sha)));
    } else if (missing.length > 0) {
      const batches = Array.from({ length: Math.ceil(missing.length / GRAPHQL_BATCH) }, (_, i) => missing.slice(i * GRAPHQL_BATCH, (i + 1) * GRAPHQL_BATCH));
      await eachLimited(batches, async (batch) => {
        for (const [sha, text] of await readBatchGraphql(this.gh, this.where, batch)) this.#known.set(sha, text);
      });
    }
    return new Map(wanted.map((sha) => [sha, this.#known.get(sha) ?? null]));
  }
}
