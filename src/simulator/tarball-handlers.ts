/**
 * Repository archives, as GitHub serves them: `GET /repos/{owner}/{repo}/tarball/{ref}` (`repos/download-tarball-archive`,
 * OpenAPI-checked like every REST call) answers `302` to a short-lived download URL; GitHub's is on
 * codeload.github.com, the simulator's on its own origin (`/_codeload/{owner}/{repo}/legacy.tar.gz/{sha}?token=…`,
 * valid 5 minutes of the sim clock, logged as `codeload` — a download, not an API call). The archive is gzip'd tar
 * with every file under `{owner}-{repo}-{short sha}/`, as `git archive` lays it out; symbolic links and submodules
 * are left out (the simulator's tar writer writes regular files only).
 */
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { writeTarArchive } from "../rego/bundle/write-tar-archive.js";
import type { GitHubSimulator, SimResponse } from "./github-simulator.js";
import { HttpError } from "./http-error.js";
import { repoOf, type RestContext, type RestResult } from "./rest-handlers.js";

const DOWNLOAD_TTL_MS = 5 * 60_000;

interface Download {
  owner: string;
  repo: string;
  sha: string;
  expires: number;
}

const downloads = new WeakMap<GitHubSimulator, Map<string, Download>>();

export const tarballHandlers: Record<string, (ctx: RestContext) => RestResult> = {
  "repos/download-tarball-archive": (ctx) => {
    const r = repoOf(ctx);
    const ref = ctx.params["ref"] ?? r.defaultBranch;
    const sha = ctx.sim.resolveCommitish(r, ref === "" ? r.defaultBranch : ref);
    if (sha === undefined) throw new HttpError(404, "Not Found");
    const token = randomBytes(16).toString("hex");
    const table = downloads.get(ctx.sim) ?? new Map<string, Download>();
    downloads.set(ctx.sim, table);
    table.set(token, { owner: r.owner.login, repo: r.name, sha, expires: ctx.sim.clock.now().getTime() + DOWNLOAD_TTL_MS });
    const location = `${new URL(ctx.base).origin}/_codeload/${r.owner.login}/${r.name}/legacy.tar.gz/${sha}?token=${token}`;
    return { status: 302, headers: { location } };
  },
};

/** The gzip'd tarball of a commit's files, laid out as GitHub's archives are. */
export function commitTarball(sim: GitHubSimulator, where: { owner: string; repo: string; sha: string }): Buffer {
  const commit = sim.git.commit(where.sha);
  if (commit === undefined) throw new Error(`no commit ${where.sha}`);
  const root = `${where.owner}-${where.repo}-${where.sha.slice(0, 7)}/`;
  const files = sim.git
    .walk(commit.tree)
    .filter((e) => e.type === "blob" && (e.mode === "100644" || e.mode === "100755"))
    .map((e) => ({ path: `${root}${e.path}`, data: new Uint8Array(sim.git.blob(e.sha)?.content ?? Buffer.alloc(0)) }));
  return gzipSync(writeTarArchive(files, { mode: 0o644, mtime: Math.floor(Date.parse(commit.committer.date) / 1000) }));
}

/** Answers a download URL that `repos/download-tarball-archive` handed out, or undefined for any other path. */
export function handleCodeload(sim: GitHubSimulator, method: string, url: URL): SimResponse | undefined {
  const m = /^\/_codeload\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/([0-9a-f]{40})$/.exec(url.pathname);
  if (m === null) return undefined;
  const download = downloads.get(sim)?.get(url.searchParams.get("token") ?? "");
  const valid = method === "GET" && download !== undefined && download.expires >= sim.clock.now().getTime() && download.owner === m[1] && download.repo === m[2] && download.sha === m[3];
  sim.requestLog.push({ method, operationId: "codeload", url: url.pathname, status: valid ? 200 : 404 });
  if (!valid) return { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: "404: Not Found" };
  const bytes = commitTarball(sim, download);
  const name = `${download.owner}-${download.repo}-${download.sha.slice(0, 7)}.tar.gz`;
  return { status: 200, headers: { "content-type": "application/x-gzip", "content-disposition": `attachment; filename=${name}`, "content-length": String(bytes.length) }, body: "", bytes };
}
