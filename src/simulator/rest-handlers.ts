/** The simulator's REST operations, keyed by GitHub's operation id (from the OpenAPI description). */
import type { GitHubSimulator } from "./github-simulator.js";
import type { OpenApiOperation } from "./openapi-index.js";
import { HttpError } from "./http-error.js";
import { API, WEB } from "./github-views.js";
import { GitStoreError, type TreeMode } from "./git-store.js";
import type { SimUserToken } from "./oauth.js";
import { repoKey, type SimAnnotation, type SimCheckRun, type SimInstallation, type SimReaction, type SimRepo, type SimToken, type SimUser } from "./sim-model.js";

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type JsonBody = { [key: string]: JsonValue };

export interface RestContext {
  sim: GitHubSimulator;
  method: string;
  path: string;
  /** Origin + prefix the client used (for Link headers). */
  base: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: JsonBody | undefined;
  accept: string;
  installation: SimInstallation | undefined;
  token: SimToken | undefined;
  appId?: number;
  /** Set for a user-to-server token (oauth.ts). */
  userToken?: SimUserToken;
  operation: OpenApiOperation;
}

export interface RestResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (ctx: RestContext) => RestResult | Promise<RestResult>;

const notFound = (): HttpError => new HttpError(404, "Not Found");
const invalid = (field: string, code = "invalid", resource = "Resource"): HttpError => new HttpError(422, "Validation Failed", [{ resource, field, code }]);

function q(ctx: RestContext, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function param(ctx: RestContext, name: string): string {
  const v = ctx.params[name];
  if (v === undefined) throw notFound();
  return v;
}

function num(ctx: RestContext, name: string): number {
  const n = Number(param(ctx, name));
  if (!Number.isInteger(n)) throw notFound();
  return n;
}

function str(body: JsonBody | undefined, key: string): string | undefined {
  const v = body?.[key];
  return typeof v === "string" ? v : undefined;
}

function strOrNull(body: JsonBody | undefined, key: string): string | null | undefined {
  const v = body?.[key];
  return typeof v === "string" || v === null ? v : undefined;
}

function strList(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.flatMap((x) => (typeof x === "string" ? [x] : typeof x === "object" && x !== null && !Array.isArray(x) && typeof x["name"] === "string" ? [x["name"]] : [])) : [];
}

function bodyObj(v: JsonValue | undefined): JsonBody | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;
}

/** The repository named in the path, if the caller's token may see it (GitHub answers 404 otherwise). */
export function repoOf(ctx: RestContext): SimRepo {
  const r = ctx.sim.repos.get(repoKey(param(ctx, "owner"), param(ctx, "repo")));
  if (!r) throw notFound();
  const inst = ctx.installation;
  if (inst && (!ctx.sim.installationCovers(inst, r) || (ctx.token?.repoKeys && !ctx.token.repoKeys.has(repoKey(r.owner.login, r.name))))) throw notFound();
  if (ctx.userToken && !ctx.sim.oauth.tokenSees(ctx.userToken, r)) throw notFound();
  return r;
}

/** The acting user: the app's bot for installation tokens. */
function actor(ctx: RestContext): SimUser {
  const appId = ctx.installation?.appId ?? ctx.appId;
  const app = appId !== undefined ? ctx.sim.apps.get(appId) : undefined;
  if (!app) throw new HttpError(401, "Bad credentials");
  return app.bot;
}

/** GitHub writes repository-scoped `Link` URLs as `/repositories/{id}/…`. */
function linkPath(ctx: RestContext): string {
  const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(ctx.path);
  const r = m ? ctx.sim.repos.get(repoKey(decodeURIComponent(m[1] ?? ""), decodeURIComponent(m[2] ?? ""))) : undefined;
  return r && m ? `/repositories/${r.id}${m[3] ?? ""}` : ctx.path;
}

/** Page of `items` with GitHub's `Link` header (per_page ≤ 100, default 30). */
export function paginate<T>(ctx: RestContext, items: T[], options: { cap?: number; maxPerPage?: number } = {}): { body: T[]; headers: Record<string, string> } {
  const all = options.cap !== undefined ? items.slice(0, options.cap) : items;
  const perPage = Math.min(Math.max(Number(q(ctx, "per_page") ?? 30) || 30, 1), options.maxPerPage ?? 100);
  const page = Math.max(Number(q(ctx, "page") ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(all.length / perPage), 1);
  const body = all.slice((page - 1) * perPage, page * perPage);
  const link = (p: number): string => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(ctx.query)) {
      if (k === "page") continue;
      for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
    }
    params.set("page", String(p));
    return `<${ctx.base}${linkPath(ctx)}?${params.toString()}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${link(page - 1)}; rel="prev"`);
  if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) rels.push(`${link(1)}; rel="first"`);
  return { body, headers: rels.length ? { link: rels.join(", ") } : {} };
}

function commitOr404(ctx: RestContext, r: SimRepo, ref: string): string {
  const sha = ctx.sim.resolveCommitish(r, ref);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

function refView(r: SimRepo, ref: string, sha: string): Record<string, unknown> {
  const api = `${API}/repos/${r.owner.login}/${r.name}`;
  return { ref, node_id: `REF_${Buffer.from(ref).toString("base64url")}`, url: `${api}/git/${ref}`, object: { sha, type: "commit", url: `${api}/git/commits/${sha}` } };
}

function validRefName(ref: string): boolean {
  return /^refs\/[^/]+\/.+/.test(ref) && !/(\.\.|\/\/|@\{|[\s~^:?*[\\]|\.lock$|\/$|\.$)/.test(ref);
}

function contentItem(ctx: RestContext, r: SimRepo, ref: string, path: string, type: "file" | "dir" | "symlink" | "submodule", sha: string, size: number): Record<string, unknown> {
  const full = `${r.owner.login}/${r.name}`;
  const url = `${API}/repos/${full}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = `${API}/repos/${full}/git/${type === "dir" ? "trees" : "blobs"}/${sha}`;
  const html = `${WEB}/${full}/${type === "dir" ? "tree" : "blob"}/${ref}/${path}`;
  return {
    type,
    size,
    name: path.split("/").pop() ?? path,
    path,
    sha,
    url,
    git_url: git,
    html_url: html,
    download_url: type === "file" ? `https://raw.githubusercontent.com/${full}/${ref}/${path}` : null,
    _links: { self: url, git, html },
  };
}

function treeView(ctx: RestContext, r: SimRepo, sha: string, recursive: boolean): Record<string, unknown> {
  const api = `${API}/repos/${r.owner.login}/${r.name}`;
  const entries = recursive ? ctx.sim.git.walk(sha) : (ctx.sim.git.tree(sha)?.entries ?? []);
  return {
    sha,
    url: `${api}/git/trees/${sha}`,
    tree: entries.map((e) => {
      const blob = e.type === "blob" ? ctx.sim.git.blob(e.sha) : undefined;
      return {
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(blob ? { size: blob.content.length } : {}),
        url: `${api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
      };
    }),
    truncated: false,
  };
}

function userView(ctx: RestContext, login: string): SimUser {
  const u = ctx.sim.users.get(login.toLowerCase());
  if (!u) throw notFound();
  return u;
}

const REACTIONS = new Set<SimReaction["content"]>(["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]);

function react(ctx: RestContext, list: SimReaction[]): RestResult {
  const content = str(ctx.body, "content") as SimReaction["content"];
  if (!REACTIONS.has(content)) throw invalid("content", "invalid", "Reaction");
  const u = actor(ctx);
  const existing = list.find((x) => x.content === content && x.user.login === u.login);
  if (existing) return { status: 200, body: ctx.sim.views.reaction(existing) };
  const id = ctx.sim.id();
  const x: SimReaction = { id, node_id: ctx.sim.nodeId("REA", id), content, user: u, created_at: ctx.sim.clock.iso() };
  list.push(x);
  return { status: 201, body: ctx.sim.views.reaction(x) };
}

function parseAnnotations(v: JsonValue | undefined): SimAnnotation[] {
  if (!Array.isArray(v)) return [];
  if (v.length > 50) throw new HttpError(422, "Invalid request.\n\nOnly 50 annotations are allowed per request.", [{ resource: "CheckRun", field: "output.annotations", code: "too_many" }]);
  return v.map((a) => {
    const o = bodyObj(a) ?? {};
    const startLine = Number(o["start_line"]);
    const endLine = Number(o["end_line"]);
    if (startLine > endLine) throw invalid("output.annotations.start_line", "invalid", "CheckRun");
    const sc = typeof o["start_column"] === "number" ? o["start_column"] : null;
    const ec = typeof o["end_column"] === "number" ? o["end_column"] : null;
    if ((sc !== null || ec !== null) && startLine !== endLine) throw invalid("output.annotations.start_column", "invalid", "CheckRun");
    return {
      path: String(o["path"]),
      start_line: startLine,
      end_line: endLine,
      start_column: sc,
      end_column: ec,
      annotation_level: o["annotation_level"] as SimAnnotation["annotation_level"],
      title: typeof o["title"] === "string" ? o["title"] : null,
      message: String(o["message"]),
      raw_details: typeof o["raw_details"] === "string" ? o["raw_details"] : null,
    };
  });
}

/** Applies create/update fields of the Checks API to a run. */
function applyCheckFields(ctx: RestContext, run: SimCheckRun, body: JsonBody): void {
  const now = ctx.sim.clock.iso();
  const name = str(body, "name");
  if (name !== undefined) run.name = name;
  const details = str(body, "details_url");
  if (details !== undefined) run.details_url = details;
  const ext = str(body, "external_id");
  if (ext !== undefined) run.external_id = ext;
  const started = str(body, "started_at");
  if (started !== undefined) run.started_at = started;
  const status = str(body, "status") as SimCheckRun["status"] | undefined;
  const conclusion = str(body, "conclusion") as SimCheckRun["conclusion"] | undefined;
  const completedAt = str(body, "completed_at");
  if (status !== undefined) run.status = status;
  if (conclusion !== undefined) {
    run.conclusion = conclusion;
    run.status = "completed";
  }
  if (run.status === "completed" && run.conclusion === null) throw new HttpError(422, "Invalid request.\n\n`conclusion` is required when `status` is `completed`.", [{ resource: "CheckRun", field: "conclusion", code: "missing_field" }]);
  if (completedAt !== undefined) run.completed_at = completedAt;
  else if (run.status === "completed" && run.completed_at === null) run.completed_at = now;
  if (run.status === "in_progress" && run.started_at === null) run.started_at = now;
  const output = bodyObj(body["output"]);
  if (output) {
    run.output = {
      title: str(output, "title") ?? run.output.title,
      summary: str(output, "summary") ?? run.output.summary,
      text: str(output, "text") ?? run.output.text,
    };
    run.annotations.push(...parseAnnotations(output["annotations"]));
  }
  const actions = body["actions"];
  if (Array.isArray(actions)) {
    if (actions.length > 3) throw invalid("actions", "too_many", "CheckRun");
    run.actions = actions.map((a) => {
      const o = bodyObj(a) ?? {};
      return { label: String(o["label"]), description: String(o["description"]), identifier: String(o["identifier"]) };
    });
  }
}

function combinedState(states: string[]): "failure" | "pending" | "success" {
  if (states.some((s) => s === "failure" || s === "error")) return "failure";
  if (states.length === 0 || states.some((s) => s === "pending")) return "pending";
  return "success";
}

function latestStatuses(r: SimRepo, sha: string): SimRepo["statuses"] {
  const latest = new Map<string, SimRepo["statuses"][number]>();
  for (const s of r.statuses) if (s.sha === sha) latest.set(s.context, s);
  return [...latest.values()];
}

export const restHandlers: Record<string, Handler> = {
  // ─────────── apps ───────────
  "apps/get-authenticated": (ctx) => ({ body: ctx.sim.views.app(ctx.appId ?? 0) }),
  "apps/list-installations": (ctx) => paginate(ctx, [...ctx.sim.installations.values()].filter((i) => i.appId === ctx.appId).map((i) => ctx.sim.views.installation(i))),
  "apps/get-installation": (ctx) => {
    const inst = ctx.sim.installations.get(num(ctx, "installation_id"));
    if (!inst || inst.appId !== ctx.appId) throw notFound();
    return { body: ctx.sim.views.installation(inst) };
  },
  "apps/create-installation-access-token": (ctx) => {
    const inst = ctx.sim.installations.get(num(ctx, "installation_id"));
    if (!inst || inst.appId !== ctx.appId) throw notFound();
    const names = strList(ctx.body?.["repositories"]);
    const ids = Array.isArray(ctx.body?.["repository_ids"]) ? (ctx.body?.["repository_ids"] as JsonValue[]).filter((x): x is number => typeof x === "number") : [];
    let limited: Set<string> | undefined;
    const covered = ctx.sim.reposOfInstallation(inst);
    if (names.length || ids.length) {
      limited = new Set();
      for (const n of names) {
        const r = covered.find((x) => x.name.toLowerCase() === n.toLowerCase());
        if (!r) throw new HttpError(422, `There is at least one repository that does not exist or is not accessible to the parent installation.`);
        limited.add(repoKey(r.owner.login, r.name));
      }
      for (const id of ids) {
        const r = covered.find((x) => x.id === id);
        if (!r) throw new HttpError(422, `There is at least one repository that does not exist or is not accessible to the parent installation.`);
        limited.add(repoKey(r.owner.login, r.name));
      }
    }
    const token = ctx.sim.issueToken(inst, limited);
    const body: Record<string, unknown> = {
      token: token.token,
      expires_at: token.expires_at,
      permissions: ctx.sim.views.installation(inst).permissions,
      repository_selection: limited ? "selected" : inst.repositorySelection,
    };
    if (limited) body["repositories"] = covered.filter((r) => limited?.has(repoKey(r.owner.login, r.name))).map((r) => ctx.sim.views.repo(r));
    return { status: 201, body };
  },
  "apps/get-repo-installation": (ctx) => {
    const r = ctx.sim.repos.get(repoKey(param(ctx, "owner"), param(ctx, "repo")));
    const inst = r ? ctx.sim.installationsFor(r).find((i) => i.appId === ctx.appId) : undefined;
    if (!inst) throw notFound();
    return { body: ctx.sim.views.installation(inst) };
  },
  "apps/get-org-installation": (ctx) => {
    const org = param(ctx, "org").toLowerCase();
    const inst = [...ctx.sim.installations.values()].find((i) => i.appId === ctx.appId && i.account.login.toLowerCase() === org);
    if (!inst) throw notFound();
    return { body: ctx.sim.views.installation(inst) };
  },
  "apps/get-user-installation": (ctx) => {
    const user = param(ctx, "username").toLowerCase();
    const inst = [...ctx.sim.installations.values()].find((i) => i.appId === ctx.appId && i.account.login.toLowerCase() === user);
    if (!inst) throw notFound();
    return { body: ctx.sim.views.installation(inst) };
  },
  "apps/list-repos-accessible-to-installation": (ctx) => {
    const inst = ctx.installation;
    if (!inst) throw new HttpError(401, "Bad credentials");
    const repos = ctx.sim.reposOfInstallation(inst).map((r) => ctx.sim.views.repo(r));
    const page = paginate(ctx, repos);
    return { body: { total_count: repos.length, repositories: page.body, repository_selection: inst.repositorySelection }, headers: page.headers };
  },

  // ─────────── repos ───────────
  "repos/get": (ctx) => {
    const r = repoOf(ctx);
    return { body: { ...ctx.sim.views.repo(r), permissions: { admin: false, maintain: false, push: true, triage: true, pull: true } } };
  },
  "repos/get-content": (ctx) => {
    const r = repoOf(ctx);
    const ref = q(ctx, "ref") ?? r.defaultBranch;
    const sha = ctx.sim.resolveCommitish(r, ref);
    if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const c = ctx.sim.git.commit(sha);
    const path = (ctx.params["path"] ?? "").replace(/^\/+|\/+$/g, "");
    const entry = path === "" ? { type: "tree" as const, sha: c?.tree ?? "", mode: "040000" as TreeMode, path: "" } : c ? ctx.sim.git.walk(c.tree).find((e) => e.path === path) : undefined;
    if (!entry) throw notFound();
    const raw = /application\/vnd\.github(\.v3)?\.raw/.test(ctx.accept);
    if (entry.type === "tree") {
      const tree = ctx.sim.git.tree(entry.sha);
      const items = (tree?.entries ?? []).map((e) => contentItem(ctx, r, ref, path ? `${path}/${e.path}` : e.path, e.type === "tree" ? "dir" : e.type === "commit" ? "submodule" : "file", e.sha, e.type === "blob" ? (ctx.sim.git.blob(e.sha)?.content.length ?? 0) : 0));
      if (/application\/vnd\.github(\.v3)?\.object/.test(ctx.accept)) return { body: { ...contentItem(ctx, r, ref, path, "dir", entry.sha, 0), entries: items } };
      return { body: items };
    }
    const blob = ctx.sim.git.blob(entry.sha);
    if (!blob) throw notFound();
    if (raw) return { body: blob.content.toString("utf8"), headers: { "content-type": "application/vnd.github.raw; charset=utf-8" } };
    const b64 = blob.content.toString("base64").replace(/(.{60})/g, "$1\n");
    return { body: { ...contentItem(ctx, r, ref, path, "file", entry.sha, blob.content.length), content: b64.endsWith("\n") ? b64 : `${b64}\n`, encoding: "base64" } };
  },
  "repos/get-branch": (ctx) => {
    const r = repoOf(ctx);
    const name = param(ctx, "branch");
    const sha = r.refs.get(`refs/heads/${name}`);
    const c = sha ? ctx.sim.git.commit(sha) : undefined;
    if (!sha || !c) throw new HttpError(404, "Branch not found");
    const api = `${API}/repos/${r.owner.login}/${r.name}`;
    return {
      body: {
        name,
        commit: ctx.sim.views.commit(r, c, false),
        _links: { self: `${api}/branches/${name}`, html: `${WEB}/${r.owner.login}/${r.name}/tree/${name}` },
        protected: false,
        protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
        protection_url: `${api}/branches/${name}/protection`,
      },
    };
  },
  "repos/list-branches": (ctx) => {
    const r = repoOf(ctx);
    const api = `${API}/repos/${r.owner.login}/${r.name}`;
    const branches = [...r.refs.entries()]
      .filter(([ref]) => ref.startsWith("refs/heads/"))
      .map(([ref, sha]) => ({ name: ref.slice(11), commit: { sha, url: `${api}/commits/${sha}` }, protected: false }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return paginate(ctx, branches);
  },
  "repos/list-commits": (ctx) => {
    const r = repoOf(ctx);
    const start = ctx.sim.resolveCommitish(r, q(ctx, "sha") ?? r.defaultBranch);
    if (!start) throw notFound();
    const path = q(ctx, "path")?.replace(/^\/+|\/+$/g, "");
    const since = q(ctx, "since");
    const until = q(ctx, "until");
    const entryAt = (tree: string | undefined, p: string): string | undefined => (tree ? ctx.sim.git.walk(tree).find((e) => e.path === p)?.sha : undefined);
    const commits = ctx.sim.git.history(start).filter((c) => {
      const t = Date.parse(c.committer.date);
      if (since && t < Date.parse(since)) return false;
      if (until && t > Date.parse(until)) return false;
      if (path) {
        const parent = c.parents[0] ? ctx.sim.git.commit(c.parents[0]) : undefined;
        if (entryAt(c.tree, path) === entryAt(parent?.tree, path)) return false;
      }
      return true;
    });
    return paginate(ctx, commits.map((c) => ctx.sim.views.commit(r, c, false)));
  },
  "repos/get-commit": (ctx) => {
    const r = repoOf(ctx);
    const sha = commitOr404(ctx, r, param(ctx, "ref"));
    const c = ctx.sim.git.commit(sha);
    if (!c) throw notFound();
    return { body: ctx.sim.views.commit(r, c, true) };
  },
  "repos/compare-commits": (ctx) => {
    const r = repoOf(ctx);
    const basehead = ctx.params["basehead"] ?? `${param(ctx, "base")}...${param(ctx, "head")}`;
    const [baseRef, headRef] = basehead.split("...");
    if (!baseRef || !headRef) throw notFound();
    const base = ctx.sim.resolveCommitish(r, baseRef.replace(/^[^:]+:/, ""));
    const head = ctx.sim.resolveCommitish(r, headRef.replace(/^[^:]+:/, ""));
    if (!base || !head) throw notFound();
    const mb = ctx.sim.git.mergeBase(base, head);
    const ahead = mb ? ctx.sim.git.commitsBetween(mb, head) : ctx.sim.git.history(head).reverse();
    const behind = mb ? ctx.sim.git.commitsBetween(mb, base) : ctx.sim.git.history(base);
    const status = ahead.length === 0 && behind.length === 0 ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
    const baseCommit = ctx.sim.git.commit(base);
    const mbCommit = mb ? ctx.sim.git.commit(mb) : undefined;
    const diff = ctx.sim.git.diffTrees(mbCommit?.tree, ctx.sim.git.commit(head)?.tree);
    const full = `${r.owner.login}/${r.name}`;
    const page = paginate(ctx, ahead.map((c) => ctx.sim.views.commit(r, c, false)), { maxPerPage: 250 });
    return {
      body: {
        url: `${API}/repos/${full}/compare/${baseRef}...${headRef}`,
        html_url: `${WEB}/${full}/compare/${baseRef}...${headRef}`,
        permalink_url: `${WEB}/${full}/compare/${r.owner.login}:${base.slice(0, 7)}...${r.owner.login}:${head.slice(0, 7)}`,
        diff_url: `${WEB}/${full}/compare/${baseRef}...${headRef}.diff`,
        patch_url: `${WEB}/${full}/compare/${baseRef}...${headRef}.patch`,
        base_commit: baseCommit ? ctx.sim.views.commit(r, baseCommit, false) : null,
        merge_base_commit: mbCommit ? ctx.sim.views.commit(r, mbCommit, false) : null,
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: page.body,
        files: ctx.sim.views.diffEntries(r, head, diff).slice(0, 300),
      },
      headers: page.headers,
    };
  },
  "repos/list-pull-requests-associated-with-commit": (ctx) => {
    const r = repoOf(ctx);
    const sha = commitOr404(ctx, r, param(ctx, "commit_sha"));
    return paginate(ctx, ctx.sim.pullsForSha(r, sha).map((p) => ctx.sim.views.pullSimple(r, p)));
  },
  "repos/create-commit-status": (ctx) => {
    const r = repoOf(ctx);
    const sha = param(ctx, "sha");
    if (!ctx.sim.git.commit(sha)) throw new HttpError(422, `No commit found for SHA: ${sha}`);
    const s = ctx.sim.addStatus(r, sha, actor(ctx), {
      state: str(ctx.body, "state") as "success",
      context: str(ctx.body, "context"),
      description: strOrNull(ctx.body, "description"),
      target_url: strOrNull(ctx.body, "target_url"),
    });
    return { status: 201, body: ctx.sim.views.status(r, s) };
  },
  "repos/get-combined-status-for-ref": (ctx) => {
    const r = repoOf(ctx);
    const sha = ctx.sim.resolveCommitish(r, param(ctx, "ref"));
    if (!sha) throw notFound();
    const statuses = latestStatuses(r, sha);
    const full = `${r.owner.login}/${r.name}`;
    const page = paginate(ctx, statuses.map((s) => ({ ...ctx.sim.views.status(r, s), required: false })));
    return {
      body: {
        state: combinedState(statuses.map((s) => s.state)),
        statuses: page.body,
        sha,
        total_count: statuses.length,
        repository: ctx.sim.views.minimalRepo(r),
        commit_url: `${API}/repos/${full}/commits/${sha}`,
        url: `${API}/repos/${full}/commits/${sha}/status`,
      },
      headers: page.headers,
    };
  },
  "repos/list-commit-statuses-for-ref": (ctx) => {
    const r = repoOf(ctx);
    const sha = ctx.sim.resolveCommitish(r, param(ctx, "ref"));
    if (!sha) throw notFound();
    return paginate(ctx, r.statuses.filter((s) => s.sha === sha).reverse().map((s) => ctx.sim.views.status(r, s)));
  },
  "repos/get-collaborator-permission-level": (ctx) => {
    const r = repoOf(ctx);
    const u = userView(ctx, param(ctx, "username"));
    const isOwner = u.login.toLowerCase() === r.owner.login.toLowerCase();
    const role = isOwner ? "admin" : (r.collaborators.get(u.login) ?? [...r.collaborators.entries()].find(([k]) => k.toLowerCase() === u.login.toLowerCase())?.[1]);
    const legacy = role === "admin" ? "admin" : role === "maintain" || role === "write" ? "write" : role === "triage" || role === "read" ? "read" : "none";
    const perms = {
      admin: role === "admin",
      maintain: role === "admin" || role === "maintain",
      push: role === "admin" || role === "maintain" || role === "write",
      triage: role !== undefined && role !== "read",
      pull: role !== undefined,
    };
    return { body: { permission: legacy, role_name: role ?? "none", user: { ...ctx.sim.views.user(u), permissions: perms, role_name: role ?? "none" } } };
  },

  // ─────────── git ───────────
  "git/get-blob": (ctx) => {
    const r = repoOf(ctx);
    const b = ctx.sim.git.blob(param(ctx, "file_sha"));
    if (!b) throw notFound();
    return { body: { sha: b.sha, node_id: `B_${b.sha.slice(0, 20)}`, size: b.content.length, url: `${API}/repos/${r.owner.login}/${r.name}/git/blobs/${b.sha}`, content: `${b.content.toString("base64").replace(/(.{60})/g, "$1\n")}\n`, encoding: "base64" } };
  },
  "git/create-blob": (ctx) => {
    const r = repoOf(ctx);
    const content = str(ctx.body, "content") ?? "";
    const encoding = str(ctx.body, "encoding") ?? "utf-8";
    if (encoding !== "utf-8" && encoding !== "base64") throw invalid("encoding", "invalid", "Blob");
    const b = ctx.sim.git.writeBlob(encoding === "base64" ? Buffer.from(content, "base64") : Buffer.from(content, "utf8"));
    return { status: 201, body: { sha: b.sha, url: `${API}/repos/${r.owner.login}/${r.name}/git/blobs/${b.sha}` } };
  },
  "git/get-tree": (ctx) => {
    const r = repoOf(ctx);
    const ref = param(ctx, "tree_sha");
    let sha = ctx.sim.git.tree(ref) ? ref : undefined;
    if (!sha) {
      const c = ctx.sim.resolveCommitish(r, ref);
      sha = c ? ctx.sim.git.commit(c)?.tree : undefined;
    }
    if (!sha) throw notFound();
    const recursive = q(ctx, "recursive");
    return { body: treeView(ctx, r, sha, recursive !== undefined && recursive !== "false" && recursive !== "0" ? true : recursive === "0" ? false : false) };
  },
  "git/create-tree": (ctx) => {
    const r = repoOf(ctx);
    const base = str(ctx.body, "base_tree");
    if (base !== undefined && !ctx.sim.git.tree(base)) throw new HttpError(422, "Invalid request.\n\nbase_tree is not a valid tree", [{ resource: "Tree", field: "base_tree", code: "invalid" }]);
    const raw = Array.isArray(ctx.body?.["tree"]) ? (ctx.body?.["tree"] as JsonValue[]) : [];
    const entries = raw.map((e) => {
      const o = bodyObj(e) ?? {};
      const sha = o["sha"];
      const content = o["content"];
      if (typeof sha === "string" && typeof content === "string") throw new HttpError(422, "Invalid request.\n\nOnly one of 'sha' or 'content' may be provided.");
      return {
        path: String(o["path"] ?? ""),
        mode: String(o["mode"] ?? "100644") as TreeMode,
        type: String(o["type"] ?? "blob") as "blob" | "tree" | "commit",
        ...(sha === null ? { sha: null } : typeof sha === "string" ? { sha } : {}),
        ...(typeof content === "string" ? { content } : {}),
      };
    });
    try {
      const t = ctx.sim.git.applyTreeEntries(base, entries);
      return { status: 201, body: treeView(ctx, r, t.sha, false) };
    } catch (e) {
      if (e instanceof GitStoreError) throw new HttpError(422, `Invalid tree info: ${e.message}`, [{ resource: "Tree", field: "tree", code: "invalid" }]);
      throw e;
    }
  },
  "git/get-commit": (ctx) => {
    const r = repoOf(ctx);
    const c = ctx.sim.git.commit(param(ctx, "commit_sha"));
    if (!c) throw notFound();
    return { body: ctx.sim.views.gitCommit(r, c) };
  },
  "git/create-commit": (ctx) => {
    const r = repoOf(ctx);
    const tree = str(ctx.body, "tree") ?? "";
    const parents = strList(ctx.body?.["parents"]);
    if (!ctx.sim.git.tree(tree)) throw new HttpError(422, "Tree SHA does not exist", [{ resource: "Commit", field: "tree", code: "invalid" }]);
    for (const p of parents) if (!ctx.sim.git.commit(p)) throw new HttpError(422, "Parent SHA does not exist or is not a commit object", [{ resource: "Commit", field: "parents", code: "invalid" }]);
    const bot = actor(ctx);
    const ident = (v: JsonValue | undefined): { name: string; email: string; date: string } | undefined => {
      const o = bodyObj(v);
      if (!o) return undefined;
      return { name: String(o["name"]), email: String(o["email"]), date: typeof o["date"] === "string" ? new Date(o["date"]).toISOString().replace(/\.\d{3}Z$/, "Z") : ctx.sim.clock.iso() };
    };
    const author = ident(ctx.body?.["author"]) ?? { name: bot.login, email: `${bot.id}+${bot.login}@users.noreply.github.com`, date: ctx.sim.clock.iso() };
    const committer = ident(ctx.body?.["committer"]) ?? author;
    const c = ctx.sim.git.writeCommit({ tree, parents, author, committer, message: str(ctx.body, "message") ?? "" });
    return { status: 201, body: ctx.sim.views.gitCommit(r, c) };
  },
  "git/get-ref": (ctx) => {
    const r = repoOf(ctx);
    const ref = `refs/${param(ctx, "ref")}`;
    const sha = r.refs.get(ref);
    if (!sha) throw notFound();
    return { body: refView(r, ref, sha) };
  },
  "git/list-matching-refs": (ctx) => {
    const r = repoOf(ctx);
    const prefix = `refs/${param(ctx, "ref")}`;
    const refs = [...r.refs.entries()].filter(([ref]) => ref.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
    return paginate(ctx, refs.map(([ref, sha]) => refView(r, ref, sha)));
  },
  "git/create-ref": (ctx) => {
    const r = repoOf(ctx);
    const ref = str(ctx.body, "ref") ?? "";
    const sha = str(ctx.body, "sha") ?? "";
    if (!validRefName(ref)) throw new HttpError(422, `${ref} is not a valid ref name.`);
    if (r.refs.has(ref)) throw new HttpError(422, "Reference already exists");
    if (!ctx.sim.git.commit(sha)) throw new HttpError(422, "Object does not exist");
    ctx.sim.setRef(r, ref, sha, actor(ctx), { created: true, baseFrom: sha });
    return { status: 201, body: refView(r, ref, sha) };
  },
  "git/update-ref": (ctx) => {
    const r = repoOf(ctx);
    const ref = `refs/${param(ctx, "ref")}`;
    const sha = str(ctx.body, "sha") ?? "";
    const old = r.refs.get(ref);
    if (!old) throw new HttpError(422, "Reference does not exist");
    if (!ctx.sim.git.commit(sha)) throw new HttpError(422, "Object does not exist");
    const force = ctx.body?.["force"] === true;
    if (!force && !ctx.sim.git.isAncestor(old, sha)) throw new HttpError(422, "Update is not a fast forward");
    if (old !== sha) ctx.sim.setRef(r, ref, sha, actor(ctx), { forced: !ctx.sim.git.isAncestor(old, sha) });
    return { body: refView(r, ref, sha) };
  },
  "git/delete-ref": (ctx) => {
    const r = repoOf(ctx);
    const ref = `refs/${param(ctx, "ref")}`;
    if (!r.refs.has(ref)) throw new HttpError(422, "Reference does not exist");
    ctx.sim.setRef(r, ref, null, actor(ctx));
    return { status: 204 };
  },

  // ─────────── pulls ───────────
  "pulls/create": (ctx) => {
    const r = repoOf(ctx);
    const p = ctx.sim.createPull(r, actor(ctx), {
      head: str(ctx.body, "head") ?? "",
      base: str(ctx.body, "base") ?? "",
      title: str(ctx.body, "title") ?? "",
      body: strOrNull(ctx.body, "body") ?? null,
      draft: ctx.body?.["draft"] === true,
    });
    return { status: 201, body: ctx.sim.views.pull(r, p) };
  },
  "pulls/get": (ctx) => {
    const r = repoOf(ctx);
    const p = r.pulls.get(num(ctx, "pull_number"));
    if (!p) throw notFound();
    return { body: ctx.sim.views.pull(r, p) };
  },
  "pulls/update": (ctx) => {
    const r = repoOf(ctx);
    const p = r.pulls.get(num(ctx, "pull_number"));
    if (!p) throw notFound();
    ctx.sim.updatePull(r, p, actor(ctx), { title: str(ctx.body, "title"), body: strOrNull(ctx.body, "body"), base: str(ctx.body, "base"), state: str(ctx.body, "state") as "open" | "closed" | undefined });
    return { body: ctx.sim.views.pull(r, p) };
  },
  "pulls/list": (ctx) => {
    const r = repoOf(ctx);
    const state = q(ctx, "state") ?? "open";
    const head = q(ctx, "head");
    const base = q(ctx, "base");
    const direction = q(ctx, "direction") ?? "desc";
    let pulls = [...r.pulls.values()].filter((p) => (state === "all" || p.issue.state === state) && (!base || p.baseRef === base));
    if (head) {
      const [owner, branch] = head.includes(":") ? (head.split(":", 2) as [string, string]) : [r.owner.login, head];
      pulls = pulls.filter((p) => owner.toLowerCase() === r.owner.login.toLowerCase() && p.headRef === branch);
    }
    pulls.sort((a, b) => (direction === "asc" ? a.number - b.number : b.number - a.number));
    return paginate(ctx, pulls.map((p) => ctx.sim.views.pullSimple(r, p)));
  },
  "pulls/list-files": (ctx) => {
    const r = repoOf(ctx);
    const p = r.pulls.get(num(ctx, "pull_number"));
    if (!p) throw notFound();
    const base = p.issue.state === "open" ? (r.refs.get(`refs/heads/${p.baseRef}`) ?? p.baseSha) : p.baseSha;
    const mb = ctx.sim.git.mergeBase(base, p.headSha);
    const diff = ctx.sim.git.diffTrees(mb ? ctx.sim.git.commit(mb)?.tree : undefined, ctx.sim.git.commit(p.headSha)?.tree);
    const page = paginate(ctx, diff, { cap: 3000 });
    return { body: ctx.sim.views.diffEntries(r, p.headSha, page.body), headers: page.headers };
  },
  "pulls/list-commits": (ctx) => {
    const r = repoOf(ctx);
    const p = r.pulls.get(num(ctx, "pull_number"));
    if (!p) throw notFound();
    const base = p.issue.state === "open" ? (r.refs.get(`refs/heads/${p.baseRef}`) ?? p.baseSha) : p.baseSha;
    return paginate(ctx, ctx.sim.git.commitsBetween(base, p.headSha).map((c) => ctx.sim.views.commit(r, c, false)), { cap: 250 });
  },
  "pulls/merge": (ctx) => {
    const r = repoOf(ctx);
    const p = r.pulls.get(num(ctx, "pull_number"));
    if (!p) throw notFound();
    const c = ctx.sim.mergePull(r, p, actor(ctx), {
      method: (str(ctx.body, "merge_method") ?? "merge") as "merge",
      sha: str(ctx.body, "sha"),
      commitTitle: str(ctx.body, "commit_title"),
      commitMessage: str(ctx.body, "commit_message"),
    });
    return { body: { sha: c.sha, merged: true, message: "Pull Request successfully merged" } };
  },
  "pulls/check-if-merged": (ctx) => {
    const r = repoOf(ctx);
    const p = r.pulls.get(num(ctx, "pull_number"));
    if (!p?.merged) throw notFound();
    return { status: 204 };
  },
  "pulls/list-reviews": (ctx) => {
    const r = repoOf(ctx);
    const n = num(ctx, "pull_number");
    if (!r.pulls.has(n)) throw notFound();
    return paginate(ctx, r.reviews.filter((v) => v.pullNumber === n).map((v) => ctx.sim.views.review(r, v)));
  },
  "pulls/create-review": (ctx) => {
    const r = repoOf(ctx);
    const p = r.pulls.get(num(ctx, "pull_number"));
    if (!p) throw notFound();
    const event = str(ctx.body, "event");
    const body = str(ctx.body, "body") ?? "";
    const state = event === "APPROVE" ? "APPROVED" : event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : event === "COMMENT" ? "COMMENTED" : "PENDING";
    if ((state === "CHANGES_REQUESTED" || state === "COMMENTED") && !body && !Array.isArray(ctx.body?.["comments"])) {
      throw new HttpError(422, "Unprocessable Entity", [`Review Can not request changes or comment on a pull request without a body`]);
    }
    const u = actor(ctx);
    if (u.login === p.issue.user.login && state !== "COMMENTED" && state !== "PENDING") throw new HttpError(422, "Unprocessable Entity", [`Review Can not ${state === "APPROVED" ? "approve" : "request changes on"} your own pull request`]);
    const v = ctx.sim.addReview(r, p, u, state, body, str(ctx.body, "commit_id"));
    return { body: ctx.sim.views.review(r, v) };
  },
  "pulls/request-reviewers": (ctx) => {
    const r = repoOf(ctx);
    const p = r.pulls.get(num(ctx, "pull_number"));
    if (!p) throw notFound();
    const reviewers = strList(ctx.body?.["reviewers"]).map((login) => {
      const u = ctx.sim.users.get(login.toLowerCase());
      if (!u || (!r.collaborators.has(u.login) && u.login !== r.owner.login)) throw new HttpError(422, "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the " + `${r.owner.login}/${r.name} repository.`);
      if (u.login === p.issue.user.login) throw new HttpError(422, "Review cannot be requested from pull request author.");
      return u;
    });
    for (const u of reviewers) ctx.sim.requestReview(r, p, u, actor(ctx));
    for (const t of strList(ctx.body?.["team_reviewers"])) if (!p.requested_teams.includes(t)) p.requested_teams.push(t);
    return { status: 201, body: ctx.sim.views.pullSimple(r, p) };
  },

  // ─────────── issues ───────────
  "issues/create": (ctx) => {
    const r = repoOf(ctx);
    const u = actor(ctx);
    const issue = ctx.sim.newIssue(r, u, String(ctx.body?.["title"] ?? ""), strOrNull(ctx.body, "body") ?? null, false);
    for (const l of strList(ctx.body?.["labels"])) issue.labels.push(ctx.sim.ensureLabel(r, l).name);
    issue.assignees = strList(ctx.body?.["assignees"]);
    ctx.sim.openIssueEvent(r, issue, u);
    return { status: 201, body: ctx.sim.views.issue(r, issue) };
  },
  "issues/get": (ctx) => {
    const r = repoOf(ctx);
    const issue = r.issues.get(num(ctx, "issue_number"));
    if (!issue) throw notFound();
    return { body: ctx.sim.views.issue(r, issue) };
  },
  "issues/update": (ctx) => {
    const r = repoOf(ctx);
    const issue = r.issues.get(num(ctx, "issue_number"));
    if (!issue) throw notFound();
    const u = actor(ctx);
    const rawTitle = ctx.body?.["title"];
    const title = typeof rawTitle === "string" || typeof rawTitle === "number" ? String(rawTitle) : undefined;
    const body = strOrNull(ctx.body, "body");
    ctx.sim.editIssue(r, issue, u, { title, body });
    if (Array.isArray(ctx.body?.["labels"])) {
      const wanted = strList(ctx.body?.["labels"]);
      issue.labels = issue.labels.filter((l) => wanted.some((w) => w.toLowerCase() === l.toLowerCase()));
      ctx.sim.addLabels(r, issue, wanted, u);
    }
    if (Array.isArray(ctx.body?.["assignees"])) issue.assignees = strList(ctx.body?.["assignees"]);
    issue.updated_at = ctx.sim.clock.iso();
    const state = str(ctx.body, "state");
    if (state === "closed") ctx.sim.closeIssue(r, issue, u, (str(ctx.body, "state_reason") ?? "completed") as "completed");
    if (state === "open") ctx.sim.reopenIssue(r, issue, u);
    return { body: ctx.sim.views.issue(r, issue) };
  },
  "issues/list-for-repo": (ctx) => {
    const r = repoOf(ctx);
    const state = q(ctx, "state") ?? "open";
    const labels = (q(ctx, "labels") ?? "").split(",").map((l) => l.trim().toLowerCase()).filter(Boolean);
    const direction = q(ctx, "direction") ?? "desc";
    const issues = [...r.issues.values()]
      .filter((i) => (state === "all" || i.state === state) && labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)))
      .sort((a, b) => (direction === "asc" ? a.number - b.number : b.number - a.number));
    return paginate(ctx, issues.map((i) => ctx.sim.views.issue(r, i)));
  },
  "issues/create-comment": (ctx) => {
    const r = repoOf(ctx);
    const u = actor(ctx);
    const c = ctx.sim.addComment(r, num(ctx, "issue_number"), str(ctx.body, "body") ?? "", u, ctx.installation?.appId ?? null);
    return { status: 201, body: ctx.sim.views.comment(r, c) };
  },
  "issues/list-comments": (ctx) => {
    const r = repoOf(ctx);
    const n = num(ctx, "issue_number");
    if (!r.issues.has(n)) throw notFound();
    const since = q(ctx, "since");
    return paginate(ctx, r.comments.filter((c) => c.issueNumber === n && (!since || Date.parse(c.updated_at) >= Date.parse(since))).map((c) => ctx.sim.views.comment(r, c)));
  },
  "issues/get-comment": (ctx) => {
    const r = repoOf(ctx);
    const c = r.comments.find((x) => x.id === num(ctx, "comment_id"));
    if (!c) throw notFound();
    return { body: ctx.sim.views.comment(r, c) };
  },
  "issues/update-comment": (ctx) => {
    const r = repoOf(ctx);
    const c = r.comments.find((x) => x.id === num(ctx, "comment_id"));
    if (!c) throw notFound();
    const u = actor(ctx);
    if (c.user.login !== u.login) throw new HttpError(403, "Resource not accessible by integration");
    ctx.sim.editComment(r, c, str(ctx.body, "body") ?? "", u);
    return { body: ctx.sim.views.comment(r, c) };
  },
  "issues/add-labels": (ctx) => {
    const r = repoOf(ctx);
    const issue = r.issues.get(num(ctx, "issue_number"));
    if (!issue) throw notFound();
    const raw = Array.isArray(ctx.body) ? (ctx.body as JsonValue[]) : ctx.body?.["labels"];
    ctx.sim.addLabels(r, issue, strList(raw), actor(ctx));
    return { body: issue.labels.flatMap((n) => { const l = r.labels.get(n.toLowerCase()); return l ? [ctx.sim.views.label(l, r)] : []; }) };
  },
  "issues/remove-label": (ctx) => {
    const r = repoOf(ctx);
    const issue = r.issues.get(num(ctx, "issue_number"));
    if (!issue) throw notFound();
    if (!ctx.sim.removeLabel(r, issue, param(ctx, "name"), actor(ctx))) throw new HttpError(404, "Label does not exist");
    return { body: issue.labels.flatMap((n) => { const l = r.labels.get(n.toLowerCase()); return l ? [ctx.sim.views.label(l, r)] : []; }) };
  },
  "issues/list-labels-on-issue": (ctx) => {
    const r = repoOf(ctx);
    const issue = r.issues.get(num(ctx, "issue_number"));
    if (!issue) throw notFound();
    return paginate(ctx, issue.labels.flatMap((n) => { const l = r.labels.get(n.toLowerCase()); return l ? [ctx.sim.views.label(l, r)] : []; }));
  },
  "issues/create-label": (ctx) => {
    const r = repoOf(ctx);
    const name = str(ctx.body, "name") ?? "";
    if (r.labels.has(name.toLowerCase())) throw new HttpError(422, "Validation Failed", [{ resource: "Label", code: "already_exists", field: "name" }]);
    const color = (str(ctx.body, "color") ?? "ededed").replace(/^#/, "");
    if (!/^[0-9a-fA-F]{6}$/.test(color)) throw invalid("color", "invalid", "Label");
    ctx.sim.createLabel(r, actor(ctx), name, color.toLowerCase(), str(ctx.body, "description") ?? null);
    const l = r.labels.get(name.toLowerCase());
    if (!l) throw notFound();
    return { status: 201, body: ctx.sim.views.label(l, r) };
  },
  "issues/get-label": (ctx) => {
    const r = repoOf(ctx);
    const l = r.labels.get(param(ctx, "name").toLowerCase());
    if (!l) throw notFound();
    return { body: ctx.sim.views.label(l, r) };
  },
  "issues/list-labels-for-repo": (ctx) => {
    const r = repoOf(ctx);
    return paginate(ctx, [...r.labels.values()].map((l) => ctx.sim.views.label(l, r)));
  },

  // ─────────── reactions ───────────
  "reactions/create-for-issue-comment": (ctx) => {
    const r = repoOf(ctx);
    const c = r.comments.find((x) => x.id === num(ctx, "comment_id"));
    if (!c) throw notFound();
    return react(ctx, c.reactions);
  },
  "reactions/create-for-issue": (ctx) => {
    const r = repoOf(ctx);
    const issue = r.issues.get(num(ctx, "issue_number"));
    if (!issue) throw notFound();
    return react(ctx, issue.reactions);
  },
  "reactions/list-for-issue-comment": (ctx) => {
    const r = repoOf(ctx);
    const c = r.comments.find((x) => x.id === num(ctx, "comment_id"));
    if (!c) throw notFound();
    const content = q(ctx, "content");
    return paginate(ctx, c.reactions.filter((x) => !content || x.content === content).map((x) => ctx.sim.views.reaction(x)));
  },

  // ─────────── checks ───────────
  "checks/create": (ctx) => {
    const r = repoOf(ctx);
    const appId = ctx.installation?.appId;
    if (appId === undefined) throw new HttpError(403, "You must authenticate via a GitHub App.");
    const body = ctx.body ?? {};
    const sha = str(body, "head_sha") ?? "";
    if (!ctx.sim.git.commit(sha)) throw new HttpError(422, "Validation Failed", [{ resource: "CheckRun", code: "invalid", field: "head_sha" }]);
    const suite = ctx.sim.suiteFor(r, appId, sha);
    const id = ctx.sim.id();
    const run: SimCheckRun = {
      id,
      node_id: ctx.sim.nodeId("CR", id),
      repoKey: repoKey(r.owner.login, r.name),
      appId,
      suiteId: suite.id,
      name: "",
      head_sha: sha,
      status: "queued",
      conclusion: null,
      started_at: null,
      completed_at: null,
      external_id: null,
      details_url: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
    };
    applyCheckFields(ctx, run, body);
    if (run.started_at === null) run.started_at = ctx.sim.clock.iso();
    ctx.sim.checkRuns.set(run.id, run);
    const bot = actor(ctx);
    ctx.sim.emitCheckRun(r, run, "created", bot);
    if (run.status === "completed") ctx.sim.emitCheckRun(r, run, "completed", bot);
    ctx.sim.refreshSuite(r, suite);
    return { status: 201, body: ctx.sim.views.checkRun(r, run) };
  },
  "checks/update": (ctx) => {
    const r = repoOf(ctx);
    const run = ctx.sim.checkRuns.get(num(ctx, "check_run_id"));
    if (!run || run.repoKey !== repoKey(r.owner.login, r.name)) throw notFound();
    if (run.appId !== ctx.installation?.appId) throw new HttpError(403, "Invalid app_id `" + String(ctx.installation?.appId) + "` - check run can only be modified by the GitHub App that created it.");
    const wasCompleted = run.status === "completed";
    applyCheckFields(ctx, run, ctx.body ?? {});
    if (run.status === "completed" && !wasCompleted) ctx.sim.emitCheckRun(r, run, "completed", actor(ctx));
    const suite = ctx.sim.checkSuites.get(run.suiteId);
    if (suite) ctx.sim.refreshSuite(r, suite);
    return { body: ctx.sim.views.checkRun(r, run) };
  },
  "checks/get": (ctx) => {
    const r = repoOf(ctx);
    const run = ctx.sim.checkRuns.get(num(ctx, "check_run_id"));
    if (!run || run.repoKey !== repoKey(r.owner.login, r.name)) throw notFound();
    return { body: ctx.sim.views.checkRun(r, run) };
  },
  "checks/list-annotations": (ctx) => {
    const r = repoOf(ctx);
    const run = ctx.sim.checkRuns.get(num(ctx, "check_run_id"));
    if (!run || run.repoKey !== repoKey(r.owner.login, r.name)) throw notFound();
    return paginate(ctx, run.annotations.map((a) => ctx.sim.views.annotation(r, run, a)));
  },
  "checks/list-for-ref": (ctx) => {
    const r = repoOf(ctx);
    const sha = ctx.sim.resolveCommitish(r, param(ctx, "ref"));
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${param(ctx, "ref")}`);
    const name = q(ctx, "check_name");
    const status = q(ctx, "status");
    const appId = q(ctx, "app_id");
    let runs = ctx.sim.checkRunsOf(r.owner.login, r.name, sha).filter((c) => (!name || c.name === name) && (!status || c.status === status) && (!appId || c.appId === Number(appId)));
    if ((q(ctx, "filter") ?? "latest") === "latest") {
      const latest = new Map<string, SimCheckRun>();
      for (const c of runs) latest.set(`${c.appId}:${c.name}`, c);
      runs = [...latest.values()];
    }
    runs.sort((a, b) => b.id - a.id);
    const page = paginate(ctx, runs.map((c) => ctx.sim.views.checkRun(r, c)));
    return { body: { total_count: runs.length, check_runs: page.body }, headers: page.headers };
  },
  "checks/list-suites-for-ref": (ctx) => {
    const r = repoOf(ctx);
    const sha = ctx.sim.resolveCommitish(r, param(ctx, "ref"));
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${param(ctx, "ref")}`);
    const appId = q(ctx, "app_id");
    const suites = [...ctx.sim.checkSuites.values()].filter((s) => s.repoKey === repoKey(r.owner.login, r.name) && s.head_sha === sha && (!appId || s.appId === Number(appId)));
    const page = paginate(ctx, suites.map((s) => ctx.sim.views.checkSuite(r, s)));
    return { body: { total_count: suites.length, check_suites: page.body }, headers: page.headers };
  },
  "checks/rerequest-run": (ctx) => {
    const r = repoOf(ctx);
    const run = ctx.sim.checkRuns.get(num(ctx, "check_run_id"));
    if (!run || run.repoKey !== repoKey(r.owner.login, r.name)) throw notFound();
    if (run.appId !== ctx.installation?.appId) throw new HttpError(403, "Resource not accessible by integration");
    ctx.sim.emitCheckRun(r, run, "rerequested", actor(ctx));
    return { status: 201, body: {} };
  },

  // ─────────── teams ───────────
  "teams/get-membership-for-user-in-org": (ctx) => {
    const org = param(ctx, "org");
    const inst = ctx.installation;
    if (inst && inst.account.login.toLowerCase() !== org.toLowerCase()) throw notFound();
    const slug = param(ctx, "team_slug");
    const role = ctx.sim.teams.get(org.toLowerCase())?.get(slug)?.get(param(ctx, "username").toLowerCase());
    if (!role) throw notFound();
    const o = ctx.sim.users.get(org.toLowerCase());
    return { body: { url: `${API}/organizations/${o?.id ?? 0}/team/${slug}/memberships/${param(ctx, "username")}`, role, state: "active" } };
  },
};

