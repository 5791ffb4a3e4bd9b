/**
 * Blob reads in few calls (read-blobs.ts, tarball.ts) and conditional configuration reads (read-file.ts), against the
 * simulator: the transport decision, GraphQL batches of 100, the tarball keyed by blob SHA, binary and truncated
 * blobs, and a 304 for a file read again.
 */
import { BlobReader, blobReadsFromEnv, chooseBlobTransport, GRAPHQL_BATCH, MAX_TARBALL_BYTES } from "../../../src/app/github/read-blobs.js";
import { readFile } from "../../../src/app/github/read-file.js";
import { listTree } from "../../../src/app/github/read-tree-files.js";
import { GRAPHQL_TEXT_LIMIT } from "../../../src/simulator/graphql-handler.js";
import { installAppClient } from "../../helpers/install-app-client.js";
import { useGitHubSimulator } from "../../helpers/use-github-simulator.js";

const ctx = useGitHubSimulator();
const where = { owner: "acme", repo: "gitops" };

describe("chooseBlobTransport", () => {
  const commit = { commitFiles: 1000, commitBytes: 1 << 20 };
  test.each([
    [{ mode: "auto", blobs: 0 }, "none"],
    [{ mode: "auto", blobs: 100 }, "graphql"],
    [{ mode: "auto", blobs: 101, commitFiles: 1000 }, "graphql"],
    [{ mode: "auto", blobs: 500 }, "tarball"],
    [{ mode: "auto", blobs: 500, commitFiles: 1001 }, "graphql"],
    [{ mode: "auto", blobs: 900, commitBytes: MAX_TARBALL_BYTES + 1 }, "graphql"],
    [{ mode: "per-file", blobs: 900 }, "per-file"],
    [{ mode: "tarball", blobs: 1 }, "tarball"],
  ] as const)("%j → %s", (input, expected) => {
    expect(chooseBlobTransport({ ...commit, ...input })).toBe(expected);
  });

  test("FLEETWARD_BLOB_READS: auto by default, an unknown value names the variable", () => {
    expect(blobReadsFromEnv({})).toBe("auto");
    expect(blobReadsFromEnv({ FLEETWARD_BLOB_READS: "graphql" })).toBe("graphql");
    expect(() => blobReadsFromEnv({ FLEETWARD_BLOB_READS: "batch" })).toThrow('FLEETWARD_BLOB_READS must be auto, per-file, graphql or tarball, not "batch"');
  });
});

function repository(n: number): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = { "bin/blob.yaml": Buffer.from([0x61, 0x00, 0x62]), "big.yaml": `a: "${"x".repeat(GRAPHQL_TEXT_LIMIT)}"\n` };
  for (let i = 0; i < n; i++) files[`envs/app-${i}.yaml`] = `name: app-${i}\n`;
  return files;
}

test.each(["graphql", "tarball", "per-file"] as const)("%s reads give every text, null for binary, the whole oversize text", async (mode) => {
  const { sim } = ctx;
  const files = repository(250);
  const { gh, head } = installAppClient(sim, { ...where, files });
  const listing = await listTree(gh, { ...where, ref: head });
  const reader = new BlobReader(gh, where, mode);
  const before = sim.requestLog.length;
  const texts = await reader.texts(listing.blobs.values(), { ref: head, commitFiles: listing.blobs.size, commitBytes: listing.bytes });
  for (const [path, content] of Object.entries(files)) {
    expect(texts.get(listing.blobs.get(path) ?? "")).toBe(Buffer.isBuffer(content) ? null : content);
  }
  const ops = sim.requestLog.slice(before).map((c) => c.operationId);
  const count = (op: string) => ops.filter((o) => o === op).length;
  if (mode === "graphql") expect([count("graphql"), count("git/get-blob")]).toEqual([Math.ceil(252 / GRAPHQL_BATCH), 1]);
  if (mode === "tarball") expect([count("repos/download-tarball-archive"), count("codeload"), count("graphql"), count("git/get-blob")]).toEqual([1, 1, 0, 0]);
  if (mode === "per-file") expect(count("git/get-blob")).toBe(252);
  // Read once per run: asking again costs nothing.
  const again = sim.requestLog.length;
  await reader.texts(listing.blobs.values(), { ref: head, commitFiles: listing.blobs.size, commitBytes: listing.bytes });
  expect(sim.requestLog.length).toBe(again);
});

test("a tarball that cannot be read falls back to GraphQL batches", async () => {
  const { sim } = ctx;
  const { gh, head } = installAppClient(sim, { ...where, files: repository(150) });
  const listing = await listTree(gh, { ...where, ref: head });
  sim.failNext({ operationId: "repos/download-tarball-archive", status: 502 });
  const texts = await new BlobReader(gh, where, "auto").texts(listing.blobs.values(), { ref: head, commitFiles: listing.blobs.size, commitBytes: listing.bytes });
  expect(texts.get(listing.blobs.get("envs/app-7.yaml") ?? "")).toBe("name: app-7\n");
  expect(sim.callCount("graphql")).toBe(2);
});

test("readFile: a second read of the same file is a conditional request answered 304, a changed file is read again", async () => {
  const { sim } = ctx;
  const { gh } = installAppClient(sim, { ...where, files: { ".github/fleetward.yml": "environments: []\n" } });
  const read = () => readFile(gh, { ...where, path: ".github/fleetward.yml" });
  expect(await read()).toBe("environments: []\n");
  expect(await read()).toBe("environments: []\n");
  sim.commitFiles({ ...where, branch: "main", files: { ".github/fleetward.yml": "environments: [] # 2\n" }, user: "alice" });
  expect(await read()).toBe("environments: [] # 2\n");
  expect(await readFile(gh, { ...where, path: "missing.yml" })).toBeNull();
  expect(sim.requestLog.filter((c) => c.operationId === "repos/get-content").map((c) => c.status)).toEqual([200, 304, 200, 404]);
});
