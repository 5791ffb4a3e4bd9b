/**
 * Content-addressed git object store: blobs, trees and commits hashed exactly as git hashes them
 * (`sha1("<type> <byte length>\0" + body)`), so SHAs match a real repository with the same content.
 */
import { createHash } from "node:crypto";

export type TreeMode = "100644" | "100755" | "040000" | "160000" | "120000";

export interface TreeEntry {
  path: string;
  mode: TreeMode;
  type: "blob" | "tree" | "commit";
  sha: string;
}

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO-8601 date, e.g. 2026-01-01T00:00:00Z */
  date: string;
}

export interface BlobObject {
  kind: "blob";
  sha: string;
  content: Buffer;
}
export interface TreeObject {
  kind: "tree";
  sha: string;
  entries: TreeEntry[];
}
export interface CommitObject {
  kind: "commit";
  sha: string;
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}
export type GitObject = BlobObject | TreeObject | CommitObject;

/** One change of a flat file list: `null` content deletes the path. */
export type FileChanges = Record<string, string | Buffer | null>;

export interface FileDiff {
  filename: string;
  status: "added" | "modified" | "removed";
  oldSha: string | null;
  newSha: string | null;
}

export class GitStoreError extends Error {}

function gitTimestamp(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `${seconds} +0000`;
}

/** Git sorts tree entries by name, comparing a tree's name as if it ended in "/". */
function treeSortKey(e: TreeEntry): string {
  return e.type === "tree" ? `${e.path}/` : e.path;
}

export class GitStore {
  private readonly objects = new Map<string, GitObject>();

  static hash(type: string, body: Buffer): string {
    return createHash("sha1").update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body])).digest("hex");
  }

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha);
  }
  has(sha: string): boolean {
    return this.objects.has(sha);
  }
  blob(sha: string): BlobObject | undefined {
    const o = this.objects.get(sha);
    return o?.kind === "blob" ? o : undefined;
  }
  tree(sha: string): TreeObject | undefined {
    const o = this.objects.get(sha);
    return o?.kind === "tree" ? o : undefined;
  }
  commit(sha: string): CommitObject | undefined {
    const o = this.objects.get(sha);
    return o?.kind === "commit" ? o : undefined;
  }

  writeBlob(content: string | Buffer): BlobObject {
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const sha = GitStore.hash("blob", buf);
    const obj: BlobObject = { kind: "blob", sha, content: buf };
    this.objects.set(sha, obj);
    return obj;
  }

  /** Writes one tree level; entries must reference existing objects (except submodule commits). */
  writeTree(entries: TreeEntry[]): TreeObject {
    const seen = new Set<string>();
    for (const e of entries) {
      if (!e.path || e.path.includes("/")) throw new GitStoreError(`invalid tree entry path "${e.path}"`);
      if (seen.has(e.path)) throw new GitStoreError(`duplicate tree entry "${e.path}"`);
      seen.add(e.path);
      if (e.type !== "commit" && !this.objects.has(e.sha)) throw new GitStoreError(`tree entry "${e.path}" references a missing object ${e.sha}`);
    }
    const sorted = [...entries].sort((a, b) => (treeSortKey(a) < treeSortKey(b) ? -1 : treeSortKey(a) > treeSortKey(b) ? 1 : 0));
    const body = Buffer.concat(
      sorted.map((e) => Buffer.concat([Buffer.from(`${e.mode === "040000" ? "40000" : e.mode} ${e.path}\0`), Buffer.from(e.sha, "hex")])),
    );
    const sha = GitStore.hash("tree", body);
    const obj: TreeObject = { kind: "tree", sha, entries: sorted };
    this.objects.set(sha, obj);
    return obj;
  }

  writeCommit(c: Omit<CommitObject, "kind" | "sha">): CommitObject {
    if (!this.tree(c.tree)) throw new GitStoreError(`tree ${c.tree} does not exist`);
    for (const p of c.parents) if (!this.commit(p)) throw new GitStoreError(`parent ${p} does not exist`);
    const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`)];
    lines.push(`author ${c.author.name} <${c.author.email}> ${gitTimestamp(c.author.date)}`);
    lines.push(`committer ${c.committer.name} <${c.committer.email}> ${gitTimestamp(c.committer.date)}`);
    const body = Buffer.from(`${lines.join("\n")}\n\n${c.message}`, "utf8");
    const sha = GitStore.hash("commit", body);
    const obj: CommitObject = { kind: "commit", sha, ...c };
    this.objects.set(sha, obj);
    return obj;
  }

  /** All blobs of a tree, flattened: path → entry. */
  flatten(treeSha: string, prefix = ""): Map<string, TreeEntry> {
    const out = new Map<string, TreeEntry>();
    const tree = this.tree(treeSha);
    if (!tree) throw new GitStoreError(`tree ${treeSha} does not exist`);
    for (const e of tree.entries) {
      const full = prefix ? `${prefix}/${e.path}` : e.path;
      if (e.type === "tree") for (const [p, sub] of this.flatten(e.sha, full)) out.set(p, sub);
      else out.set(full, { ...e, path: full });
    }
    return out;
  }

  /** Every entry (trees included) of a tree, recursively, in git's order. */
  walk(treeSha: string, prefix = ""): TreeEntry[] {
    const tree = this.tree(treeSha);
    if (!tree) throw new GitStoreError(`tree ${treeSha} does not exist`);
    const out: TreeEntry[] = [];
    for (const e of tree.entries) {
      const full = prefix ? `${prefix}/${e.path}` : e.path;
      out.push({ ...e, path: full });
      if (e.type === "tree") out.push(...this.walk(e.sha, full));
    }
    return out;
  }

  /** Builds nested trees from a flat path → entry map. */
  buildTree(flat: Map<string, Omit<TreeEntry, "path">>): TreeObject {
    const here: TreeEntry[] = [];
    const sub = new Map<string, Map<string, Omit<TreeEntry, "path">>>();
    for (const [path, entry] of flat) {
      const slash = path.indexOf("/");
      if (slash < 0) {
        here.push({ ...entry, path });
        continue;
      }
      const dir = path.slice(0, slash);
      const inner = sub.get(dir) ?? new Map<string, Omit<TreeEntry, "path">>();
      inner.set(path.slice(slash + 1), entry);
      sub.set(dir, inner);
    }
    for (const [dir, inner] of sub) {
      const t = this.buildTree(inner);
      here.push({ path: dir, mode: "040000", type: "tree", sha: t.sha });
    }
    return this.writeTree(here);
  }

  /**
   * Applies GitHub's `POST /git/trees` semantics: entries (paths may contain "/") are laid over `baseTree`;
   * `sha: null` deletes a path; `content` writes a new blob.
   */
  applyTreeEntries(
    baseTree: string | undefined,
    entries: Array<{ path: string; mode: TreeMode; type: "blob" | "tree" | "commit"; sha?: string | null; content?: string }>,
  ): TreeObject {
    const flat = new Map<string, Omit<TreeEntry, "path">>();
    if (baseTree) for (const [p, e] of this.flatten(baseTree)) flat.set(p, { mode: e.mode, type: e.type, sha: e.sha });
    for (const e of entries) {
      const path = e.path.replace(/^\/+|\/+$/g, "");
      if (!path || path.split("/").some((s) => s === "" || s === "." || s === "..")) throw new GitStoreError(`invalid tree path "${e.path}"`);
      if (e.sha === null) {
        flat.delete(path);
        for (const key of [...flat.keys()]) if (key.startsWith(`${path}/`)) flat.delete(key);
        continue;
      }
      if (e.type === "tree") {
        const sha = e.sha;
        if (!sha || !this.tree(sha)) throw new GitStoreError(`tree ${String(sha)} does not exist`);
        for (const key of [...flat.keys()]) if (key === path || key.startsWith(`${path}/`)) flat.delete(key);
        for (const [p, sub] of this.flatten(sha, path)) flat.set(p, { mode: sub.mode, type: sub.type, sha: sub.sha });
        continue;
      }
      let sha = e.sha ?? undefined;
      if (e.content !== undefined) sha = this.writeBlob(e.content).sha;
      if (!sha) throw new GitStoreError(`tree entry "${path}" needs a sha or content`);
      if (e.type === "blob" && !this.blob(sha)) throw new GitStoreError(`blob ${sha} does not exist`);
      for (const key of [...flat.keys()]) if (key.startsWith(`${path}/`)) flat.delete(key);
      flat.set(path, { mode: e.mode, type: e.type, sha });
    }
    return this.buildTree(flat);
  }

  /** Tree with file changes applied (string/Buffer = write, null = delete). */
  applyFiles(baseTree: string | undefined, files: FileChanges): TreeObject {
    return this.applyTreeEntries(
      baseTree,
      Object.entries(files).map(([path, content]) =>
        content === null
          ? { path, mode: "100644" as const, type: "blob" as const, sha: null }
          : { path, mode: "100644" as const, type: "blob" as const, sha: this.writeBlob(content).sha },
      ),
    );
  }

  /** Files that differ between two trees (either may be undefined = empty). */
  diffTrees(oldTree: string | undefined, newTree: string | undefined): FileDiff[] {
    const a = oldTree ? this.flatten(oldTree) : new Map<string, TreeEntry>();
    const b = newTree ? this.flatten(newTree) : new Map<string, TreeEntry>();
    const out: FileDiff[] = [];
    for (const [p, e] of b) {
      const old = a.get(p);
      if (!old) out.push({ filename: p, status: "added", oldSha: null, newSha: e.sha });
      else if (old.sha !== e.sha || old.mode !== e.mode) out.push({ filename: p, status: "modified", oldSha: old.sha, newSha: e.sha });
    }
    for (const [p, e] of a) if (!b.has(p)) out.push({ filename: p, status: "removed", oldSha: e.sha, newSha: null });
    return out.sort((x, y) => (x.filename < y.filename ? -1 : x.filename > y.filename ? 1 : 0));
  }

  /** Whether `ancestor` is reachable from `descendant` (or equal). */
  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const stack = [descendant];
    while (stack.length) {
      const sha = stack.pop() as string;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      stack.push(...(this.commit(sha)?.parents ?? []));
    }
    return false;
  }

  /** Commits reachable from `head`, newest first (by committer date, then traversal order). */
  history(head: string): CommitObject[] {
    const out: CommitObject[] = [];
    const seen = new Set<string>();
    const queue = [head];
    while (queue.length) {
      const sha = queue.shift() as string;
      if (seen.has(sha)) continue;
      seen.add(sha);
      const c = this.commit(sha);
      if (!c) continue;
      out.push(c);
      queue.push(...c.parents);
    }
    return out.sort((x, y) => Date.parse(y.committer.date) - Date.parse(x.committer.date));
  }

  /** Commits reachable from head but not from base, oldest first (as GitHub's compare lists them). */
  commitsBetween(base: string, head: string): CommitObject[] {
    const excluded = new Set(this.history(base).map((c) => c.sha));
    return this.history(head)
      .filter((c) => !excluded.has(c.sha))
      .reverse();
  }

  mergeBase(a: string, b: string): string | undefined {
    const ancestorsOfA = new Set(this.history(a).map((c) => c.sha));
    return this.history(b).find((c) => ancestorsOfA.has(c.sha))?.sha;
  }
}
