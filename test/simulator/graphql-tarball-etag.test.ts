/**
 * The simulator's GraphQL endpoint (a validated subset of GitHub's schema), its repository tarballs (302 to a download
 * URL on itself) and conditional GETs (ETag → 304).
 */
import { gunzipSync } from "node:zlib";
import { readTarArchive } from "../../src/rego/bundle/read-tar-archive.js";
import { GRAPHQL_TEXT_LIMIT } from "../../src/simulator/graphql-handler.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import { createSimFixture } from "./sim-fixture.js";

const ctx = useGitHubSimulator();

const big = "x".repeat(GRAPHQL_TEXT_LIMIT + 10);
const FILES = { "a.yaml": "kind: A\n", "dir/b.yaml": "kind: B\n", "big.txt": big };

async function setup() {
  const fixture = await createSimFixture(ctx.sim, { files: FILES });
  ctx.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "main", files: { "bin.dat": Buffer.from([1, 0, 2]) }, user: "alice" });
  return fixture;
}

test("blobs by oid and by expression, with text, isBinary, isTruncated and byteSize; every query is logged", async () => {
  const { octokit } = await setup();
  const sha = (path: string) => ctx.sim.git.walk(ctx.sim.git.commit(ctx.sim.resolveCommitish(ctx.sim.repo("acme", "fleet"), "main") ?? "")?.tree ?? "").find((e) => e.path === path)?.sha;
  const before = ctx.sim.callCount("graphql");
  const data = await octokit.graphql<Record<string, Record<string, unknown>>>(
    `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {
      a: object(oid: "${sha("a.yaml")}") { ... on Blob { text byteSize isBinary isTruncated oid } }
      b: object(expression: "main:dir/b.yaml") { ... on Blob { text } }
      big: object(expression: "main:big.txt") { ... on Blob { byteSize isTruncated text } }
      bin: object(expression: "main:bin.dat") { ... on Blob { isBinary text } }
      none: object(expression: "main:missing.yaml") { oid }
      dir: object(expression: "main:dir") { ... on Tree { entries { name path type } } }
    } rateLimit { cost remaining } }`,
    { owner: "acme", name: "fleet" },
  );
  const repo = data.repository as Record<string, Record<string, unknown> | null>;
  expect(repo.a).toEqual({ text: "kind: A\n", byteSize: 8, isBinary: false, isTruncated: false, oid: sha("a.yaml") });
  expect(repo.b).toEqual({ text: "kind: B\n" });
  expect(repo.big).toEqual({ byteSize: big.length, isTruncated: true, text: big.slice(0, GRAPHQL_TEXT_LIMIT) });
  expect(repo.bin).toEqual({ isBinary: true, text: null });
  expect(repo.none).toBeNull();
  expect(repo.dir).toEqual({ entries: [{ name: "b.yaml", path: "dir/b.yaml", type: "blob" }] });
  expect(data.rateLimit?.cost).toBe(1);
  expect(ctx.sim.callCount("graphql") - before).toBe(1);
});

test("an unknown field fails validation as on GitHub (errors, no data, a violation); an unreadable repository resolves to null", async () => {
  const { octokit } = await setup();
  await expect(octokit.graphql(`{ repository(owner: "acme", name: "fleet") { object(oid: "${"0".repeat(40)}") { ... on Blob { contents } } } }`)).rejects.toThrow(
    /Cannot query field "contents" on type "Blob"/,
  );
  expect(ctx.sim.violations.splice(0).map((v) => v.operationId)).toEqual(["graphql"]);
  await expect(octokit.graphql(`{ repository(owner: "acme", name: "other") { name } }`)).rejects.toThrow(/Could not resolve to a Repository with the name 'acme\/other'/);
  const anonymous = await ctx.sim.handle({ method: "POST", url: "/graphql", headers: {}, body: JSON.stringify({ query: "{ rateLimit { cost } }" }) });
  expect(anonymous.status).toBe(401);
});

test("a tarball: 302 to a one-off download on the simulator, gzip'd tar under owner-repo-sha/", async () => {
  const { octokit } = await setup();
  const head = ctx.sim.resolveCommitish(ctx.sim.repo("acme", "fleet"), "main") ?? "";
  const res = await octokit.rest.repos.downloadTarballArchive({ owner: "acme", repo: "fleet", ref: "main", request: { redirect: "manual" } });
  expect(res.status as number).toBe(302);
  const location = new URL(String(res.headers.location));
  expect(location.pathname).toBe(`/_codeload/acme/fleet/legacy.tar.gz/${head}`);
  const download = await fetch(location);
  expect(download.status).toBe(200);
  const entries = readTarArchive(new Uint8Array(gunzipSync(Buffer.from(await download.arrayBuffer()))), { maxEntries: 100 });
  const root = `acme-fleet-${head.slice(0, 7)}/`;
  expect(new Map(entries.map((e) => [e.path, Buffer.from(e.data).toString("latin1")]))).toEqual(
    new Map([...Object.entries({ ...FILES, "bin.dat": "\u0001\u0000\u0002" })].map(([p, t]) => [`${root}${p}`, t])),
  );
  const forged = await fetch(`${location.origin}${location.pathname}?token=forged`);
  expect(forged.status).toBe(404);
  expect(ctx.sim.requestLog.filter((c) => c.operationId === "codeload").map((c) => c.status)).toEqual([200, 404]);
});

test("a GET carries an ETag; If-None-Match with it answers 304, and a changed file 200 with a new tag", async () => {
  const { octokit } = await setup();
  const read = (etag?: string) =>
    octokit.rest.repos.getContent({ owner: "acme", repo: "fleet", path: "a.yaml", mediaType: { format: "raw" }, ...(etag ? { headers: { "if-none-match": etag } } : {}) });
  const first = await read();
  const etag = String(first.headers.etag);
  expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
  await expect(read(etag)).rejects.toMatchObject({ status: 304 });
  await expect(read(`W/${etag}`)).rejects.toMatchObject({ status: 304 });
  ctx.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "main", files: { "a.yaml": "kind: A2\n" }, user: "alice" });
  const changed = await read(etag);
  expect(changed.status).toBe(200);
  expect(changed.headers.etag).not.toBe(etag);
  expect(ctx.sim.requestLog.filter((c) => c.operationId === "repos/get-content").map((c) => c.status)).toEqual([200, 304, 304, 200]);
});
