/**
 * An in-memory GitHub for tests: state with real git semantics, the REST operations Fleetward uses
 * (validated against GitHub's OpenAPI description), webhooks, and two transports (nock, real HTTP server).
 * See src/simulator/README.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import nock from "nock";
import type { EmitterWebhookEvent, EmitterWebhookEventName } from "@octokit/webhooks";
import { GitStore, type CommitObject, type FileChanges, type FileDiff, type GitIdentity } from "./git-store.js";
import { GitHubViews, API } from "./github-views.js";
import { HttpError } from "./http-error.js";
import { OpenApiIndex, type OpenApiOperation } from "./openapi-index.js";
import { restHandlers, type RestContext, type RestResult } from "./rest-handlers.js";
import { SimClock } from "./sim-clock.js";
import { verifyAppJwt } from "./app-jwt.js";
import { SimOAuth, USER_TOKEN_OPERATIONS } from "./oauth.js";
import { oauthRestHandlers } from "./oauth-rest-handlers.js";
import { hookDeliveryHandlers } from "./hook-delivery-handlers.js";
import { handleGraphql } from "./graphql-handler.js";
import { handleCodeload, tarballHandlers } from "./tarball-handlers.js";
import { conditionalAnswer } from "./etag.js";
import { FaultInjector, type FaultOptions } from "./fault-injection.js";
import { WebhookDispatcher, type WebhookDelivery, type WebhookHandler } from "./webhook-dispatcher.js";
import {
  repoKey,
  type Permission,
  type SimApp,
  type SimCheckRun,
  type SimCheckSuite,
  type SimComment,
  type SimInstallation,
  type SimIssue,
  type SimPull,
  type SimRepo,
  type SimReview,
  type SimStatus,
  type SimToken,
  type SimUser,
} from "./sim-model.js";

export type WebhookPayload<E extends EmitterWebhookEventName> = EmitterWebhookEvent<E>["payload"];

export interface SimRequest {
  method: string;
  /** Path with query, optionally prefixed by `/api/v3`, or an absolute URL. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string | undefined;
  /** Origin (+ prefix) the client used, for `Link` headers; defaults to https://api.github.com */
  base?: string;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** A binary answer (a tarball), sent instead of `body`. */
  bytes?: Buffer;
}

export interface RequestLogEntry {
  method: string;
  operationId: string | null;
  url: string;
  status: number;
}

export interface Violation {
  method: string;
  url: string;
  operationId: string | null;
  message: string;
}

export interface FailureInjection {
  method?: string;
  operationId?: string;
  status: number;
  times?: number;
  message?: string;
  /** Extra response headers, e.g. `{ "x-ratelimit-remaining": "0", "retry-after": "60" }` for a rate limit. */
  headers?: Record<string, string>;
  /** Match only writes (any method but GET and HEAD), leaving out the app's own `apps/*` token requests. */
  writes?: boolean;
  /** Let this many matching requests through before failing (e.g. a crash before the fourth write: `skip: 3`). */
  skip?: number;
}

export interface CreatedApp {
  id: number;
  slug: string;
  privateKey: string;
  webhookSecret: string;
}

export interface RunningServer {
  /** "127.0.0.1:PORT" (GHE_HOST form) */
  host: string;
  /** "http://127.0.0.1:PORT/api/v3" */
  baseUrl: string;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  /** Start of the simulated clock (default 2026-01-01T00:00:00Z). */
  clockStart?: Date | string;
  /** Also validate the sim's own responses against the described response schemas (the sim's own tests turn it on). */
  validateResponses?: boolean;
}

type MergeMethod = "merge" | "squash" | "rebase";

const EMPTY_SHA = "0000000000000000000000000000000000000000";

/**
 * RSA key generation costs up to a second on a busy machine, so keys are reused across simulators of one
 * test process: the n-th app of every simulator gets the n-th key (apps of one simulator never share a key).
 */
const keyPool: KeyObject[] = [];
function appKey(index: number): KeyObject {
  while (keyPool.length <= index) keyPool.push(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);
  return keyPool[index] as KeyObject;
}

function lineCount(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function headerValue(headers: SimRequest["headers"], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(v) ? v[0] : v;
}

export class GitHubSimulator {
  readonly clock: SimClock;
  readonly git = new GitStore();
  readonly views: GitHubViews;
  readonly webhooks = new WebhookDispatcher(() => this.clock.now());
  readonly requestLog: RequestLogEntry[] = [];
  readonly violations: Violation[] = [];
  readonly validateResponses: boolean;

  /** Internal state (exposed for the REST handlers and for inspection in tests). */
  readonly users = new Map<string, SimUser>();
  readonly repos = new Map<string, SimRepo>();
  readonly apps = new Map<number, SimApp>();
  readonly installations = new Map<number, SimInstallation>();
  readonly tokens = new Map<string, SimToken>();
  readonly checkRuns = new Map<number, SimCheckRun>();
  readonly checkSuites = new Map<number, SimCheckSuite>();
  /** org login (lower case) → team slug → member login → role */
  readonly teams = new Map<string, Map<string, Map<string, "member" | "maintainer">>>();
  /** The OAuth web flow and user-to-server tokens (oauth.ts). */
  readonly oauth: SimOAuth = new SimOAuth(this);

  private nextId = 1000;
  private failures: Array<FailureInjection & { remaining: number }> = [];
  /** Random 5xx answers before or after operations (fault-injection.ts); undefined: none. */
  private faults: FaultInjector | undefined;
  private nockInterceptors: nock.Interceptor[] = [];

  constructor(options: SimulatorOptions = {}) {
    this.clock = new SimClock(options.clockStart);
    this.validateResponses = options.validateResponses ?? false;
    this.views = new GitHubViews({
      git: this.git,
      findRepoById: (id) => [...this.repos.values()].find((r) => r.id === id),
      findApp: (id) => this.apps.get(id),
      checkSuite: (id) => this.checkSuites.get(id),
      checkRunsOfSuite: (id) => [...this.checkRuns.values()].filter((c) => c.suiteId === id),
      pullsForSha: (r, sha) => this.pullsForSha(r, sha),
      user: (login) => this.users.get(login.toLowerCase()),
      commentsOf: (r, n) => r.comments.filter((c) => c.issueNumber === n),
      mergeable: (r, p) => this.mergeResult(r, p) !== undefined,
      diffStats: (d) => this.diffStats(d),
    });
  }

  // ───────────────────────────── ids, users ─────────────────────────────

  id(): number {
    return this.nextId++;
  }

  nodeId(prefix: string, id: number): string {
    return `${prefix}_kgDO${Buffer.from(String(id)).toString("base64url")}`;
  }

  /** Creates (or returns) a user; `type: "Organization"` makes an org, `"Bot"` a bot user. */
  user(login: string, type: SimUser["type"] = "User"): SimUser {
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const id = this.id();
    const u: SimUser = {
      login,
      id,
      node_id: this.nodeId(type === "Organization" ? "O" : type === "Bot" ? "BOT" : "U", id),
      type,
      name: login,
      email: `${id}+${login}@users.noreply.github.com`,
      site_admin: false,
    };
    this.users.set(login.toLowerCase(), u);
    return u;
  }

  org(login: string): SimUser {
    return this.user(login, "Organization");
  }

  /** A bot user (`name[bot]`). */
  bot(name: string): SimUser {
    return this.user(name.endsWith("[bot]") ? name : `${name}[bot]`, "Bot");
  }

  identity(u: SimUser): GitIdentity {
    return { name: u.name, email: u.email, date: this.clock.iso() };
  }

  // ───────────────────────────── apps & installations ─────────────────────────────

  /** Registers a GitHub App with a freshly generated RSA key (PEM) and webhook secret. */
  createApp(options: { slug?: string; name?: string; owner?: string } = {}): CreatedApp {
    const id = this.id();
    const slug = options.slug ?? `sim-app-${id}`;
    const privateKey = appKey(this.apps.size);
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const app: SimApp = {
      id,
      node_id: this.nodeId("A", id),
      slug,
      name: options.name ?? slug,
      client_id: `Iv1.${randomBytes(8).toString("hex")}`,
      owner: this.user(options.owner ?? "sim-app-owner", "Organization"),
      privateKey: pem,
      publicKey: createPublicKey(privateKey),
      webhookSecret: randomBytes(16).toString("hex"),
      bot: this.bot(slug),
      created_at: this.clock.iso(),
    };
    this.apps.set(id, app);
    return { id, slug, privateKey: pem, webhookSecret: app.webhookSecret };
  }

  private defaultApp(): SimApp {
    const first = this.apps.values().next();
    if (first.done) throw new Error("no app: call sim.createApp() first");
    return first.value;
  }

  /** Webhook secret of the first app created. */
  get webhookSecret(): string {
    return this.defaultApp().webhookSecret;
  }

  /**
   * Installs an app on an account (org or user). `repos` = names of the account's repositories the
   * installation covers; omitted = all (present and future). Emits `installation.created`.
   */
  install(options: { appId?: number; account: string; repos?: string[] }): SimInstallation {
    const app = options.appId !== undefined ? this.apps.get(options.appId) : this.defaultApp();
    if (!app) throw new Error(`unknown app ${String(options.appId)}`);
    const account = this.users.get(options.account.toLowerCase()) ?? this.org(options.account);
    const inst: SimInstallation = {
      id: this.id(),
      appId: app.id,
      account,
      repositorySelection: options.repos ? "selected" : "all",
      repoKeys: new Set((options.repos ?? []).map((r) => repoKey(account.login, r))),
      created_at: this.clock.iso(),
    };
    this.installations.set(inst.id, inst);
    const repos = this.reposOfInstallation(inst).map((r) => ({ id: r.id, node_id: r.node_id, name: r.name, full_name: `${r.owner.login}/${r.name}`, private: r.private }));
    const payload: WebhookPayload<"installation.created"> = {
      action: "created",
      installation: this.views.installation(inst) as WebhookPayload<"installation.created">["installation"],
      repositories: repos,
      sender: this.webhookUser(account),
    };
    this.emitTo(app, "installation", payload);
    return inst;
  }

  reposOfInstallation(inst: SimInstallation): SimRepo[] {
    return [...this.repos.values()].filter((r) => this.installationCovers(inst, r));
  }

  installationCovers(inst: SimInstallation, r: SimRepo): boolean {
    if (r.owner.login.toLowerCase() !== inst.account.login.toLowerCase()) return false;
    return inst.repositorySelection === "all" || inst.repoKeys.has(repoKey(r.owner.login, r.name));
  }

  installationsFor(r: SimRepo): SimInstallation[] {
    return [...this.installations.values()].filter((i) => this.installationCovers(i, r));
  }

  issueToken(inst: SimInstallation, repoKeys?: Set<string>): SimToken {
    const token: SimToken = {
      token: `ghs_${randomBytes(18).toString("base64url").replace(/[-_]/g, "x")}`,
      installationId: inst.id,
      expires_at: new Date(this.clock.now().getTime() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      repoKeys,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  /** Revokes every installation token (the next API call with one answers 401). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  // ───────────────────────────── repositories & git ─────────────────────────────

  /** Creates a repository with an initial commit of `files` on the default branch (no webhook, like a template import). */
  createRepo(options: { owner: string; name: string; private?: boolean; defaultBranch?: string; files?: Record<string, string | Buffer>; description?: string }): SimRepo {
    const key = repoKey(options.owner, options.name);
    if (this.repos.has(key)) throw new Error(`repository ${key} already exists`);
    const owner = this.users.get(options.owner.toLowerCase()) ?? this.org(options.owner);
    const id = this.id();
    const now = this.clock.iso();
    const repo: SimRepo = {
      id,
      node_id: this.nodeId("R", id),
      owner,
      name: options.name,
      private: options.private ?? true,
      defaultBranch: options.defaultBranch ?? "main",
      description: options.description ?? null,
      created_at: now,
      updated_at: now,
      pushed_at: now,
      refs: new Map(),
      issues: new Map(),
      pulls: new Map(),
      nextNumber: 1,
      comments: [],
      labels: new Map(),
      reviews: [],
      statuses: [],
      collaborators: new Map(),
    };
    if (owner.type !== "Organization") repo.collaborators.set(owner.login, "admin");
    this.repos.set(key, repo);
    const tree = this.git.applyFiles(undefined, options.files ?? { "README.md": `# ${options.name}\n` });
    const who = this.identity(owner.type === "Organization" ? this.user("sim-admin") : owner);
    const commit = this.git.writeCommit({ tree: tree.sha, parents: [], author: who, committer: who, message: "Initial commit" });
    repo.refs.set(`refs/heads/${repo.defaultBranch}`, commit.sha);
    return repo;
  }

  repo(owner: string, name: string): SimRepo {
    const r = this.repos.get(repoKey(owner, name));
    if (!r) throw new HttpError(404, "Not Found");
    return r;
  }

  /** Resolves a branch, tag, full ref or (abbreviated) commit sha to a commit sha. */
  resolveCommitish(r: SimRepo, ref: string): string | undefined {
    for (const candidate of [ref, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
      const sha = r.refs.get(candidate);
      if (sha) return sha;
    }
    if (/^[0-9a-f]{40}$/i.test(ref) && this.git.commit(ref.toLowerCase())) return ref.toLowerCase();
    if (/^[0-9a-f]{7,39}$/i.test(ref)) {
      const reachable = new Set<string>();
      for (const sha of r.refs.values()) for (const c of this.git.history(sha)) reachable.add(c.sha);
      const hits = [...reachable].filter((s) => s.startsWith(ref.toLowerCase()));
      if (hits.length === 1) return hits[0];
    }
    return undefined;
  }

  /** Files at a ref: path → content (utf-8). */
  filesAt(owner: string, name: string, ref?: string): Record<string, string> {
    const r = this.repo(owner, name);
    const sha = this.resolveCommitish(r, ref ?? r.defaultBranch);
    const c = sha ? this.git.commit(sha) : undefined;
    if (!c) throw new Error(`no commit for ${ref ?? r.defaultBranch}`);
    const out: Record<string, string> = {};
    for (const [p, e] of this.git.flatten(c.tree)) out[p] = this.git.blob(e.sha)?.content.toString("utf8") ?? "";
    return out;
  }

  /**
   * Commits `files` (null = delete) on top of `branch` as `user` and pushes (emits `push`, and
   * `pull_request.synchronize` for open PRs with that head). Creates the branch from `from` (default: the default branch) if needed.
   */
  commitFiles(options: { owner: string; repo: string; branch: string; files: FileChanges; message?: string; user: string; from?: string }): CommitObject {
    const r = this.repo(options.owner, options.repo);
    const ref = `refs/heads/${options.branch}`;
    const before = r.refs.get(ref);
    const parent = before ?? this.resolveCommitish(r, options.from ?? r.defaultBranch);
    if (!parent) throw new Error(`cannot find ${options.from ?? r.defaultBranch} in ${options.owner}/${options.repo}`);
    const parentCommit = this.git.commit(parent);
    const tree = this.git.applyFiles(parentCommit?.tree, options.files);
    const u = this.user(options.user);
    const c = this.git.writeCommit({
      tree: tree.sha,
      parents: [parent],
      author: this.identity(u),
      committer: this.identity(u),
      message: options.message ?? `Update ${Object.keys(options.files).join(", ")}`,
    });
    this.setRef(r, ref, c.sha, u, { created: before === undefined, forced: false, baseFrom: before === undefined ? parent : undefined });
    return c;
  }

  /** Moves a ref and emits the `push` webhook (and PR synchronize / base updates). */
  setRef(r: SimRepo, ref: string, after: string | null, pusher: SimUser, info: { created?: boolean; forced?: boolean; baseFrom?: string | undefined } = {}): void {
    const before = r.refs.get(ref) ?? null;
    if (after === null) r.refs.delete(ref);
    else r.refs.set(ref, after);
    r.pushed_at = this.clock.iso();
    this.emitPush(r, ref, before, after, pusher, info);
    if (after !== null && after !== before && ref.startsWith("refs/heads/")) this.requestCheckSuites(r, after, pusher);
    if (after !== null && ref.startsWith("refs/heads/")) {
      const branch = ref.slice("refs/heads/".length);
      for (const p of r.pulls.values()) {
        if (p.issue.state !== "open") continue;
        if (p.headRef === branch && p.headSha !== after) {
          const old = p.headSha;
          p.headSha = after;
          p.issue.updated_at = this.clock.iso();
          this.emitPull(r, p, "synchronize", pusher, { before: old, after });
        }
      }
    }
  }

  // ───────────────────────────── pull requests ─────────────────────────────

  /** Opens a PR as `user` (emits `pull_request.opened`). */
  openPullRequest(options: { owner: string; repo: string; head: string; base?: string; title: string; body?: string | null; user: string; draft?: boolean }): SimPull {
    const r = this.repo(options.owner, options.repo);
    return this.createPull(r, this.user(options.user), { head: options.head, base: options.base ?? r.defaultBranch, title: options.title, body: options.body ?? null, draft: options.draft ?? false });
  }

  createPull(r: SimRepo, u: SimUser, o: { head: string; base: string; title: string; body: string | null; draft: boolean }): SimPull {
    const head = o.head.includes(":") ? o.head.slice(o.head.indexOf(":") + 1) : o.head;
    const headSha = r.refs.get(`refs/heads/${head}`);
    const baseSha = r.refs.get(`refs/heads/${o.base}`);
    if (!headSha) throw new HttpError(422, "Validation Failed", [{ resource: "PullRequest", field: "head", code: "invalid" }]);
    if (!baseSha) throw new HttpError(422, "Validation Failed", [{ resource: "PullRequest", field: "base", code: "invalid" }]);
    if ([...r.pulls.values()].some((p) => p.issue.state === "open" && p.headRef === head && p.baseRef === o.base)) {
      throw new HttpError(422, "Validation Failed", [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${r.owner.login}:${head}.` }]);
    }
    if (this.git.isAncestor(headSha, baseSha)) {
      throw new HttpError(422, "Validation Failed", [{ resource: "PullRequest", code: "custom", message: `No commits between ${o.base} and ${head}` }]);
    }
    const issue = this.newIssue(r, u, o.title, o.body, true);
    const id = this.id();
    const p: SimPull = {
      number: issue.number,
      id,
      node_id: this.nodeId("PR", id),
      issue,
      headRef: head,
      headSha,
      baseRef: o.base,
      baseSha,
      draft: o.draft,
      merged: false,
      merged_at: null,
      merged_by: null,
      merge_commit_sha: null,
      requested_reviewers: [],
      requested_teams: [],
      maintainer_can_modify: false,
    };
    r.pulls.set(p.number, p);
    this.emitPull(r, p, "opened", u);
    return p;
  }

  pull(owner: string, repo: string, n: number): SimPull {
    const p = this.repo(owner, repo).pulls.get(n);
    if (!p) throw new HttpError(404, "Not Found");
    return p;
  }

  /** Changes title/body/base/state of a PR as `user`; emits edited / closed / reopened. */
  updatePull(r: SimRepo, p: SimPull, u: SimUser, o: { title?: string; body?: string | null; base?: string; state?: "open" | "closed" }): void {
    const changes: Record<string, { from: string } | { ref: { from: string }; sha: { from: string } }> = {};
    if (o.title !== undefined && o.title !== p.issue.title) {
      changes["title"] = { from: p.issue.title };
      p.issue.title = o.title;
    }
    if (o.body !== undefined && o.body !== p.issue.body) {
      changes["body"] = { from: p.issue.body ?? "" };
      p.issue.body = o.body;
    }
    if (o.base !== undefined && o.base !== p.baseRef) {
      const sha = r.refs.get(`refs/heads/${o.base}`);
      if (!sha) throw new HttpError(422, "Validation Failed", [{ resource: "PullRequest", field: "base", code: "invalid" }]);
      changes["base"] = { ref: { from: p.baseRef }, sha: { from: p.baseSha } };
      p.baseRef = o.base;
      p.baseSha = sha;
    }
    if (Object.keys(changes).length > 0) {
      p.issue.updated_at = this.clock.iso();
      this.emitPull(r, p, "edited", u, { changes });
    }
    if (o.state === "closed" && p.issue.state === "open") this.closePull(r, p, u);
    if (o.state === "open" && p.issue.state === "closed") {
      if (p.merged) throw new HttpError(422, "Validation Failed", [{ resource: "PullRequest", code: "custom", message: "Cannot reopen a merged pull request" }]);
      p.issue.state = "open";
      p.issue.closed_at = null;
      p.issue.closed_by = null;
      p.issue.updated_at = this.clock.iso();
      this.emitPull(r, p, "reopened", u);
    }
  }

  closePull(r: SimRepo, p: SimPull, u: SimUser): void {
    p.baseSha = r.refs.get(`refs/heads/${p.baseRef}`) ?? p.baseSha;
    p.issue.state = "closed";
    p.issue.closed_at = this.clock.iso();
    p.issue.closed_by = u;
    p.issue.updated_at = p.issue.closed_at;
    this.emitPull(r, p, "closed", u);
  }

  /** Marks a draft PR ready for review (emits `pull_request.ready_for_review`). */
  markReadyForReview(owner: string, repo: string, n: number, user: string): void {
    const r = this.repo(owner, repo);
    const p = this.pull(owner, repo, n);
    p.draft = false;
    p.issue.updated_at = this.clock.iso();
    this.emitPull(r, p, "ready_for_review", this.user(user));
  }

  /** Three-way merge of the PR head into its base; undefined on conflicts. */
  mergeResult(r: SimRepo, p: SimPull): { tree: string; baseTip: string } | undefined {
    const baseTip = r.refs.get(`refs/heads/${p.baseRef}`);
    if (!baseTip) return undefined;
    const mb = this.git.mergeBase(baseTip, p.headSha);
    const headTree = this.git.commit(p.headSha)?.tree;
    if (!headTree) return undefined;
    if (mb === baseTip) return { tree: headTree, baseTip };
    const flat = (sha: string | undefined): Map<string, string> => {
      const tree = sha ? this.git.commit(sha)?.tree : undefined;
      const out = new Map<string, string>();
      if (tree) for (const [path, e] of this.git.flatten(tree)) out.set(path, `${e.mode}:${e.sha}`);
      return out;
    };
    const anc = flat(mb);
    const ours = flat(baseTip);
    const theirs = flat(p.headSha);
    const result = new Map<string, string>();
    for (const path of new Set([...anc.keys(), ...ours.keys(), ...theirs.keys()])) {
      const a = anc.get(path);
      const o = ours.get(path);
      const t = theirs.get(path);
      let chosen: string | undefined;
      if (o === t) chosen = o;
      else if (a === o) chosen = t;
      else if (a === t) chosen = o;
      else return undefined;
      if (chosen !== undefined) result.set(path, chosen);
    }
    const entries = new Map<string, { mode: "100644" | "100755"; type: "blob"; sha: string }>();
    for (const [path, v] of result) {
      const [mode, sha] = v.split(":") as ["100644" | "100755", string];
      entries.set(path, { mode, type: "blob", sha });
    }
    return { tree: this.git.buildTree(entries).sha, baseTip };
  }

  /** Merges a PR as `user` (merge commit, squash or rebase); emits `pull_request.closed` (merged) and `push` to the base. */
  mergePull(r: SimRepo, p: SimPull, u: SimUser, o: { method?: MergeMethod; sha?: string; commitTitle?: string; commitMessage?: string } = {}): CommitObject {
    if (p.issue.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
    if (o.sha && o.sha !== p.headSha) throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
    const merge = this.mergeResult(r, p);
    if (!merge) throw new HttpError(405, "Pull Request is not mergeable");
    const method = o.method ?? "merge";
    const who = this.identity(u);
    const head = this.git.commit(p.headSha);
    let result: CommitObject;
    if (method === "merge") {
      const title = o.commitTitle ?? `Merge pull request #${p.number} from ${r.owner.login}/${p.headRef}`;
      result = this.git.writeCommit({ tree: merge.tree, parents: [merge.baseTip, p.headSha], author: who, committer: who, message: `${title}\n\n${o.commitMessage ?? p.issue.title}` });
    } else if (method === "squash") {
      const commits = this.git.commitsBetween(merge.baseTip, p.headSha);
      const title = o.commitTitle ?? `${p.issue.title} (#${p.number})`;
      const body = o.commitMessage ?? commits.map((c) => `* ${c.message}`).join("\n\n");
      result = this.git.writeCommit({ tree: merge.tree, parents: [merge.baseTip], author: head?.author ?? who, committer: who, message: body ? `${title}\n\n${body}` : title });
    } else {
      let tip = merge.baseTip;
      let last: CommitObject | undefined;
      for (const c of this.git.commitsBetween(merge.baseTip, p.headSha)) {
        const parentTree = c.parents[0] ? this.git.commit(c.parents[0])?.tree : undefined;
        const changes: FileChanges = {};
        for (const d of this.git.diffTrees(parentTree, c.tree)) changes[d.filename] = d.newSha ? (this.git.blob(d.newSha)?.content ?? null) : null;
        const tree = this.git.applyFiles(this.git.commit(tip)?.tree, changes);
        last = this.git.writeCommit({ tree: tree.sha, parents: [tip], author: c.author, committer: who, message: c.message });
        tip = last.sha;
      }
      if (!last) throw new HttpError(405, "Pull Request is not mergeable");
      result = last;
    }
    p.merged = true;
    p.merged_at = this.clock.iso();
    p.merged_by = u;
    p.merge_commit_sha = result.sha;
    p.baseSha = merge.baseTip;
    p.issue.state = "closed";
    p.issue.closed_at = p.merged_at;
    p.issue.closed_by = u;
    p.issue.updated_at = p.merged_at;
    this.emitPull(r, p, "closed", u);
    this.setRef(r, `refs/heads/${p.baseRef}`, result.sha, u);
    return result;
  }

  /** Scripting: merge as a user. */
  merge(owner: string, repo: string, n: number, user: string, method: MergeMethod = "merge"): CommitObject {
    return this.mergePull(this.repo(owner, repo), this.pull(owner, repo, n), this.user(user), { method });
  }

  pullsForSha(r: SimRepo, sha: string): SimPull[] {
    return [...r.pulls.values()].filter((p) => {
      if (p.headSha === sha || p.merge_commit_sha === sha) return true;
      const base = r.refs.get(`refs/heads/${p.baseRef}`) ?? p.baseSha;
      return this.git.commitsBetween(p.merged ? p.baseSha : base, p.headSha).some((c) => c.sha === sha);
    });
  }

  diffStats(diff: FileDiff[]): { additions: number; deletions: number; perFile: Map<string, { additions: number; deletions: number; patch: string }> } {
    let additions = 0;
    let deletions = 0;
    const perFile = new Map<string, { additions: number; deletions: number; patch: string }>();
    for (const d of diff) {
      const oldLines = lineCount(d.oldSha ? (this.git.blob(d.oldSha)?.content.toString("utf8") ?? "") : "");
      const newLines = lineCount(d.newSha ? (this.git.blob(d.newSha)?.content.toString("utf8") ?? "") : "");
      let prefix = 0;
      while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
      let suffix = 0;
      while (suffix < oldLines.length - prefix && suffix < newLines.length - prefix && oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]) suffix++;
      const removed = oldLines.slice(prefix, oldLines.length - suffix);
      const added = newLines.slice(prefix, newLines.length - suffix);
      const hunk = `@@ -${removed.length ? prefix + 1 : prefix},${removed.length} +${added.length ? prefix + 1 : prefix},${added.length} @@`;
      const patch = [hunk, ...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)].join("\n");
      perFile.set(d.filename, { additions: added.length, deletions: removed.length, patch });
      additions += added.length;
      deletions += removed.length;
    }
    return { additions, deletions, perFile };
  }

  // ───────────────────────────── issues, comments, reviews ─────────────────────────────

  newIssue(r: SimRepo, u: SimUser, title: string, body: string | null, isPull: boolean): SimIssue {
    const id = this.id();
    const now = this.clock.iso();
    const issue: SimIssue = {
      number: r.nextNumber++,
      id,
      node_id: this.nodeId(isPull ? "PR" : "I", id),
      title,
      body,
      user: u,
      state: "open",
      state_reason: null,
      labels: [],
      assignees: [],
      locked: false,
      created_at: now,
      updated_at: now,
      closed_at: null,
      closed_by: null,
      reactions: [],
      isPull,
    };
    r.issues.set(issue.number, issue);
    return issue;
  }

  /** Opens an issue as `user` (emits `issues.opened`). */
  openIssue(options: { owner: string; repo: string; title: string; body?: string; user: string; labels?: string[] }): SimIssue {
    const r = this.repo(options.owner, options.repo);
    const u = this.user(options.user);
    const issue = this.newIssue(r, u, options.title, options.body ?? null, false);
    for (const l of options.labels ?? []) issue.labels.push(this.ensureLabel(r, l).name);
    this.emitIssue(r, issue, "opened", u);
    return issue;
  }

  /** Emits `issues.opened` for an issue created through the API. */
  openIssueEvent(r: SimRepo, issue: SimIssue, u: SimUser): void {
    this.emitIssue(r, issue, "opened", u);
  }

  ensureLabel(r: SimRepo, name: string, color = "ededed", description: string | null = null): { name: string } {
    const existing = r.labels.get(name.toLowerCase());
    if (existing) return existing;
    const id = this.id();
    const l = { id, node_id: this.nodeId("LA", id), name, color, description, default: false };
    r.labels.set(name.toLowerCase(), l);
    return l;
  }

  /** Adds labels to an issue or PR as `u` (emits issues.labeled / pull_request.labeled per new label). */
  addLabels(r: SimRepo, issue: SimIssue, names: string[], u: SimUser): void {
    for (const name of names) {
      const l = this.ensureLabel(r, name);
      if (issue.labels.some((x) => x.toLowerCase() === l.name.toLowerCase())) continue;
      issue.labels.push(l.name);
      issue.updated_at = this.clock.iso();
      const pull = issue.isPull ? r.pulls.get(issue.number) : undefined;
      if (pull) this.emitPull(r, pull, "labeled", u, { label: l.name });
      else this.emitIssue(r, issue, "labeled", u, l.name);
    }
  }

  /** Closes an issue (or PR) as `u`. */
  closeIssue(r: SimRepo, issue: SimIssue, u: SimUser, reason: SimIssue["state_reason"] = "completed"): void {
    if (issue.state === "closed") return;
    const pull = issue.isPull ? r.pulls.get(issue.number) : undefined;
    if (pull) return this.closePull(r, pull, u);
    issue.state = "closed";
    issue.state_reason = reason;
    issue.closed_at = this.clock.iso();
    issue.closed_by = u;
    issue.updated_at = issue.closed_at;
    this.emitIssue(r, issue, "closed", u);
  }

  /** Comments on an issue or PR as `user` (emits `issue_comment.created`). */
  comment(options: { owner: string; repo: string; number: number; body: string; user: string }): SimComment {
    const r = this.repo(options.owner, options.repo);
    return this.addComment(r, options.number, options.body, this.user(options.user), null);
  }

  addComment(r: SimRepo, n: number, body: string, u: SimUser, viaAppId: number | null): SimComment {
    const issue = r.issues.get(n);
    if (!issue) throw new HttpError(404, "Not Found");
    const id = this.id();
    const now = this.clock.iso();
    const c: SimComment = { id, node_id: this.nodeId("IC", id), issueNumber: n, body, user: u, created_at: now, updated_at: now, reactions: [], viaAppId };
    r.comments.push(c);
    issue.updated_at = now;
    this.emitComment(r, issue, c, "created", u);
    return c;
  }

  editComment(r: SimRepo, c: SimComment, body: string, u: SimUser): void {
    const from = c.body;
    c.body = body;
    c.updated_at = this.clock.iso();
    const issue = r.issues.get(c.issueNumber);
    if (issue) this.emitComment(r, issue, c, "edited", u, { body: { from } });
  }

  /** Submits a review as `user` (emits `pull_request_review.submitted`). */
  review(options: { owner: string; repo: string; number: number; user: string; state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED"; body?: string }): SimReview {
    const r = this.repo(options.owner, options.repo);
    return this.addReview(r, this.pull(options.owner, options.repo, options.number), this.user(options.user), options.state, options.body ?? "", undefined);
  }

  addReview(r: SimRepo, p: SimPull, u: SimUser, state: SimReview["state"], body: string, commitId: string | undefined): SimReview {
    const id = this.id();
    const v: SimReview = { id, node_id: this.nodeId("PRR", id), pullNumber: p.number, user: u, body, state, commit_id: commitId ?? p.headSha, submitted_at: state === "PENDING" ? null : this.clock.iso() };
    r.reviews.push(v);
    if (state !== "PENDING") this.emitReview(r, p, v);
    return v;
  }

  // ───────────────────────────── permissions & teams ─────────────────────────────

  setPermission(owner: string, repo: string, user: string, permission: Permission | "none"): void {
    const r = this.repo(owner, repo);
    this.user(user);
    if (permission === "none") r.collaborators.delete(user);
    else r.collaborators.set(user, permission);
  }

  addTeamMember(org: string, team: string, user: string, role: "member" | "maintainer" = "member"): void {
    this.org(org);
    this.user(user);
    const teams = this.teams.get(org.toLowerCase()) ?? new Map<string, Map<string, "member" | "maintainer">>();
    const members = teams.get(team) ?? new Map<string, "member" | "maintainer">();
    members.set(user.toLowerCase(), role);
    teams.set(team, members);
    this.teams.set(org.toLowerCase(), teams);
  }

  // ───────────────────────────── checks & statuses ─────────────────────────────

  suiteFor(r: SimRepo, appId: number, sha: string): SimCheckSuite {
    const existing = [...this.checkSuites.values()].find((s) => s.repoKey === repoKey(r.owner.login, r.name) && s.appId === appId && s.head_sha === sha);
    if (existing) return existing;
    const id = this.id();
    const branch = [...r.refs.entries()].find(([ref, s]) => s === sha && ref.startsWith("refs/heads/"))?.[0].slice("refs/heads/".length) ?? null;
    const now = this.clock.iso();
    const c = this.git.commit(sha);
    const suite: SimCheckSuite = {
      id,
      node_id: this.nodeId("CS", id),
      repoKey: repoKey(r.owner.login, r.name),
      appId,
      head_sha: sha,
      head_branch: branch,
      before: c?.parents[0] ?? EMPTY_SHA,
      after: sha,
      status: "queued",
      conclusion: null,
      created_at: now,
      updated_at: now,
    };
    this.checkSuites.set(id, suite);
    return suite;
  }

  /** Recomputes a suite's status from its runs; emits `check_suite.completed` when it becomes completed. */
  refreshSuite(r: SimRepo, suite: SimCheckSuite): void {
    const runs = [...this.checkRuns.values()].filter((c) => c.suiteId === suite.id);
    const wasCompleted = suite.status === "completed";
    const allDone = runs.length > 0 && runs.every((c) => c.status === "completed");
    suite.status = allDone ? "completed" : runs.some((c) => c.status === "in_progress") ? "in_progress" : "queued";
    const order: NonNullable<SimCheckRun["conclusion"]>[] = ["action_required", "cancelled", "timed_out", "failure", "neutral", "skipped", "stale", "success"];
    suite.conclusion = allDone ? (order.find((k) => runs.some((c) => c.conclusion === k)) ?? "success") : null;
    if (suite.conclusion === "skipped" || suite.conclusion === "stale") suite.conclusion = runs.every((c) => c.conclusion === suite.conclusion) ? suite.conclusion : "success";
    suite.updated_at = this.clock.iso();
    if (allDone && !wasCompleted) this.emitSuite(r, suite, "completed");
  }

  /** Scripting: a user clicks "Re-run" on a check run (emits `check_run.rerequested`). */
  rerequestCheckRun(owner: string, repo: string, checkRunId: number, user: string): void {
    const r = this.repo(owner, repo);
    const run = this.checkRuns.get(checkRunId);
    if (!run) throw new Error(`no check run ${checkRunId}`);
    this.emitCheckRun(r, run, "rerequested", this.user(user));
  }

  /** Scripting: a user clicks "Re-run all checks" (emits `check_suite.rerequested`). */
  rerequestCheckSuite(owner: string, repo: string, suiteId: number, user: string): void {
    const r = this.repo(owner, repo);
    const suite = this.checkSuites.get(suiteId);
    if (!suite) throw new Error(`no check suite ${suiteId}`);
    this.emitSuite(r, suite, "rerequested", this.user(user));
  }

  /** Refs of a repository: full ref name → sha. */
  refs(owner: string, repo: string): Record<string, string> {
    return Object.fromEntries(this.repo(owner, repo).refs);
  }

  /** Pull requests of a repository, by number. */
  pullRequests(owner: string, repo: string): SimPull[] {
    return [...this.repo(owner, repo).pulls.values()];
  }

  /** Issues (PR conversations included, as GitHub lists them) of a repository, by number. */
  issues(owner: string, repo: string): SimIssue[] {
    return [...this.repo(owner, repo).issues.values()];
  }

  /** Comments (with reactions) of a repository, optionally of one issue or PR. */
  comments(owner: string, repo: string, issueNumber?: number): SimComment[] {
    return this.repo(owner, repo).comments.filter((c) => issueNumber === undefined || c.issueNumber === issueNumber);
  }

  /** Label names of an issue or PR. */
  labelsOf(owner: string, repo: string, issueNumber: number): string[] {
    const issue = this.repo(owner, repo).issues.get(issueNumber);
    if (!issue) throw new Error(`no issue #${issueNumber} in ${owner}/${repo}`);
    return [...issue.labels];
  }

  /** Check runs (with annotations) of a repository, optionally for one commit. */
  checkRunsOf(owner: string, repo: string, sha?: string): SimCheckRun[] {
    const key = repoKey(owner, repo);
    return [...this.checkRuns.values()].filter((c) => c.repoKey === key && (sha === undefined || c.head_sha === sha));
  }

  /** Sets a commit status as `user` (emits `status`). */
  addStatus(r: SimRepo, sha: string, u: SimUser, o: { state: SimStatus["state"]; context?: string; description?: string | null; target_url?: string | null }): SimStatus {
    const id = this.id();
    const now = this.clock.iso();
    const s: SimStatus = {
      id,
      node_id: this.nodeId("SC", id),
      sha,
      state: o.state,
      context: o.context ?? "default",
      description: o.description ?? null,
      target_url: o.target_url ?? null,
      creator: u,
      created_at: now,
      updated_at: now,
    };
    r.statuses.push(s);
    this.emitStatus(r, s);
    return s;
  }

  // ───────────────────────────── webhooks ─────────────────────────────

  webhookUser(u: SimUser): NonNullable<WebhookPayload<"push">["sender"]> {
    return this.views.user(u) as NonNullable<WebhookPayload<"push">["sender"]>;
  }

  private webhookRepo(r: SimRepo): WebhookPayload<"pull_request.opened">["repository"] {
    const v = this.views.repo(r);
    const { network_count: _n, subscribers_count: _s, ...rest } = v;
    return { ...rest, custom_properties: {} } as WebhookPayload<"pull_request.opened">["repository"];
  }

  private installationRef(inst: SimInstallation): { id: number; node_id: string } {
    return { id: inst.id, node_id: this.nodeId("MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u", inst.id) };
  }

  private orgRef(r: SimRepo): WebhookPayload<"push">["organization"] | undefined {
    if (r.owner.type !== "Organization") return undefined;
    const api = `${API}/orgs/${r.owner.login}`;
    return {
      login: r.owner.login,
      id: r.owner.id,
      node_id: r.owner.node_id,
      url: api,
      repos_url: `${api}/repos`,
      events_url: `${api}/events`,
      hooks_url: `${api}/hooks`,
      issues_url: `${api}/issues`,
      members_url: `${api}/members{/member}`,
      public_members_url: `${api}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${r.owner.id}?v=4`,
      description: null,
    };
  }

  /** Sends one event to every installation covering the repository (or only to `onlyApp`). */
  private emitRepoEvent<E extends EmitterWebhookEventName>(r: SimRepo, name: string, build: () => WebhookPayload<E>, onlyApp?: number): void {
    for (const inst of this.installationsFor(r)) {
      if (onlyApp !== undefined && inst.appId !== onlyApp) continue;
      const app = this.apps.get(inst.appId);
      if (!app) continue;
      const payload = { ...build(), installation: this.installationRef(inst) };
      const org = this.orgRef(r);
      if (org) Object.assign(payload, { organization: org });
      this.webhooks.emit(name, payload, app.id, app.webhookSecret);
    }
  }

  private emitTo(app: SimApp, name: string, payload: object): void {
    this.webhooks.emit(name, payload, app.id, app.webhookSecret);
  }

  private pushCommit(r: SimRepo, c: CommitObject): WebhookPayload<"push">["commits"][number] {
    const parent = c.parents[0] ? this.git.commit(c.parents[0]) : undefined;
    const diff = this.git.diffTrees(parent?.tree, c.tree);
    const username = (e: string): string | undefined => (e.endsWith("@users.noreply.github.com") ? e.replace(/@users\.noreply\.github\.com$/, "").replace(/^\d+\+/, "") : undefined);
    const au = username(c.author.email);
    const cu = username(c.committer.email);
    return {
      id: c.sha,
      tree_id: c.tree,
      distinct: true,
      message: c.message,
      timestamp: c.committer.date.replace("Z", "+00:00"),
      url: `https://github.com/${r.owner.login}/${r.name}/commit/${c.sha}`,
      author: au ? { name: c.author.name, email: c.author.email, username: au } : { name: c.author.name, email: c.author.email },
      committer: cu ? { name: c.committer.name, email: c.committer.email, username: cu } : { name: c.committer.name, email: c.committer.email },
      added: diff.filter((d) => d.status === "added").map((d) => d.filename),
      removed: diff.filter((d) => d.status === "removed").map((d) => d.filename),
      modified: diff.filter((d) => d.status === "modified").map((d) => d.filename),
    };
  }

  private emitPush(r: SimRepo, ref: string, before: string | null, after: string | null, pusher: SimUser, info: { created?: boolean; forced?: boolean; baseFrom?: string | undefined }): void {
    let commits: CommitObject[] = [];
    if (after !== null) {
      const from = before ?? info.baseFrom;
      commits = from ? this.git.commitsBetween(from, after) : this.git.history(after).reverse();
    }
    const forced = info.forced ?? (before !== null && after !== null && !this.git.isAncestor(before, after));
    const head = after !== null ? this.git.commit(after) : undefined;
    const branch = ref.replace(/^refs\/(heads|tags)\//, "");
    this.emitRepoEvent<"push">(r, "push", () => ({
      ref,
      before: before ?? EMPTY_SHA,
      after: after ?? EMPTY_SHA,
      repository: { ...this.webhookRepo(r), created_at: Math.floor(Date.parse(r.created_at) / 1000), pushed_at: Math.floor(Date.parse(r.pushed_at) / 1000), stargazers: 0, master_branch: r.defaultBranch } as WebhookPayload<"push">["repository"],
      pusher: { name: pusher.login, email: pusher.email },
      sender: this.webhookUser(pusher),
      created: before === null,
      deleted: after === null,
      forced,
      base_ref: null,
      compare: before === null ? `https://github.com/${r.owner.login}/${r.name}/compare/${branch}` : `https://github.com/${r.owner.login}/${r.name}/compare/${before.slice(0, 12)}...${(after ?? EMPTY_SHA).slice(0, 12)}`,
      commits: commits.map((c) => this.pushCommit(r, c)),
      head_commit: head ? this.pushCommit(r, head) : null,
    }));
  }

  private emitPull(
    r: SimRepo,
    p: SimPull,
    action: "opened" | "synchronize" | "closed" | "reopened" | "edited" | "ready_for_review" | "labeled" | "unlabeled" | "review_requested",
    sender: SimUser,
    extra: { before?: string; after?: string; changes?: Record<string, unknown>; label?: string; reviewer?: SimUser } = {},
  ): void {
    this.emitRepoEvent<"pull_request">(r, "pull_request", () => {
      const payload = {
        action,
        number: p.number,
        pull_request: this.views.pull(r, p),
        repository: this.webhookRepo(r),
        sender: this.webhookUser(sender),
      } as WebhookPayload<"pull_request">;
      if (extra.before !== undefined) Object.assign(payload, { before: extra.before, after: extra.after });
      if (extra.changes !== undefined) Object.assign(payload, { changes: extra.changes });
      if (extra.label !== undefined) {
        const l = r.labels.get(extra.label.toLowerCase());
        if (l) Object.assign(payload, { label: this.views.label(l, r) });
      }
      if (extra.reviewer !== undefined) Object.assign(payload, { requested_reviewer: this.views.user(extra.reviewer) });
      return payload;
    });
  }

  private emitReview(r: SimRepo, p: SimPull, v: SimReview): void {
    this.emitRepoEvent<"pull_request_review.submitted">(r, "pull_request_review", () => {
      const review = this.views.review(r, v);
      return {
        action: "submitted",
        review: { ...review, state: review.state.toLowerCase(), submitted_at: v.submitted_at, body: v.body || null } as WebhookPayload<"pull_request_review.submitted">["review"],
        pull_request: this.views.pullSimple(r, p) as WebhookPayload<"pull_request_review.submitted">["pull_request"],
        repository: this.webhookRepo(r),
        sender: this.webhookUser(v.user),
      };
    });
  }

  private emitIssue(r: SimRepo, issue: SimIssue, action: "opened" | "closed" | "reopened" | "edited" | "labeled" | "unlabeled", sender: SimUser, label?: string, changes?: Record<string, { from: string }>): void {
    this.emitRepoEvent<"issues">(r, "issues", () => {
      const payload = { action, issue: this.views.issue(r, issue), repository: this.webhookRepo(r), sender: this.webhookUser(sender) } as WebhookPayload<"issues">;
      const l = label ? r.labels.get(label.toLowerCase()) : undefined;
      if (l) Object.assign(payload, { label: this.views.label(l, r) });
      if (changes) Object.assign(payload, { changes });
      return payload;
    });
  }

  /** Changes title/body of a plain issue as `u` (emits `issues.edited`); PRs go through `updatePull`. */
  editIssue(r: SimRepo, issue: SimIssue, u: SimUser, o: { title?: string; body?: string | null }): void {
    const pull = issue.isPull ? r.pulls.get(issue.number) : undefined;
    if (pull) return this.updatePull(r, pull, u, o);
    const changes: Record<string, { from: string }> = {};
    if (o.title !== undefined && o.title !== issue.title) {
      changes["title"] = { from: issue.title };
      issue.title = o.title;
    }
    if (o.body !== undefined && o.body !== issue.body) {
      changes["body"] = { from: issue.body ?? "" };
      issue.body = o.body;
    }
    if (Object.keys(changes).length === 0) return;
    issue.updated_at = this.clock.iso();
    this.emitIssue(r, issue, "edited", u, undefined, changes);
  }

  /** Reopens an issue or PR as `u` (emits `issues.reopened` / `pull_request.reopened`). */
  reopenIssue(r: SimRepo, issue: SimIssue, u: SimUser): void {
    if (issue.state === "open") return;
    const pull = issue.isPull ? r.pulls.get(issue.number) : undefined;
    if (pull) return this.updatePull(r, pull, u, { state: "open" });
    issue.state = "open";
    issue.state_reason = "reopened";
    issue.closed_at = null;
    issue.closed_by = null;
    issue.updated_at = this.clock.iso();
    this.emitIssue(r, issue, "reopened", u);
  }

  /** Removes a label from an issue or PR as `u` (emits issues.unlabeled / pull_request.unlabeled); false if absent. */
  removeLabel(r: SimRepo, issue: SimIssue, name: string, u: SimUser): boolean {
    const present = issue.labels.find((l) => l.toLowerCase() === name.toLowerCase());
    if (present === undefined) return false;
    issue.labels = issue.labels.filter((l) => l !== present);
    issue.updated_at = this.clock.iso();
    const pull = issue.isPull ? r.pulls.get(issue.number) : undefined;
    if (pull) this.emitPull(r, pull, "unlabeled", u, { label: present });
    else this.emitIssue(r, issue, "unlabeled", u, present);
    return true;
  }

  /** Requests a review from `reviewer` on a PR (emits `pull_request.review_requested`). */
  requestReview(r: SimRepo, p: SimPull, reviewer: SimUser, u: SimUser): void {
    if (p.requested_reviewers.includes(reviewer.login)) return;
    p.requested_reviewers.push(reviewer.login);
    p.issue.updated_at = this.clock.iso();
    this.emitPull(r, p, "review_requested", u, { reviewer });
  }

  /** Creates a repository label as `u` (emits `label.created`). */
  createLabel(r: SimRepo, u: SimUser, name: string, color: string, description: string | null): void {
    this.ensureLabel(r, name, color, description);
    const l = r.labels.get(name.toLowerCase());
    if (!l) return;
    this.emitRepoEvent<"label.created">(r, "label", () => ({
      action: "created",
      label: this.views.label(l, r) as WebhookPayload<"label.created">["label"],
      repository: this.webhookRepo(r),
      sender: this.webhookUser(u),
    }));
  }

  private emitComment(r: SimRepo, issue: SimIssue, c: SimComment, action: "created" | "edited", sender: SimUser, changes?: { body: { from: string } }): void {
    this.emitRepoEvent<"issue_comment">(r, "issue_comment", () => {
      const payload = { action, issue: this.views.issue(r, issue), comment: this.views.comment(r, c), repository: this.webhookRepo(r), sender: this.webhookUser(sender) } as WebhookPayload<"issue_comment">;
      if (changes) Object.assign(payload, { changes });
      return payload;
    });
  }

  emitCheckRun(r: SimRepo, run: SimCheckRun, action: "created" | "completed" | "rerequested", sender: SimUser): void {
    this.emitRepoEvent<"check_run">(
      r,
      "check_run",
      () => {
        const view = this.views.checkRun(r, run);
        const suite = this.checkSuites.get(run.suiteId);
        const suiteView = suite ? this.views.checkSuite(r, suite) : undefined;
        const { repository: _repo, head_commit: _hc, latest_check_runs_count: _l, check_runs_url: _u, rerequestable: _r1, runs_rerequestable: _r2, node_id: _nid, ...suiteRest } = suiteView ?? ({} as Partial<NonNullable<typeof suiteView>>);
        return {
          action,
          check_run: { ...view, check_suite: suiteRest },
          repository: this.webhookRepo(r),
          sender: this.webhookUser(sender),
        } as WebhookPayload<"check_run">;
      },
      run.appId,
    );
  }

  /** GitHub creates a check suite per app for each pushed head commit and sends `check_suite.requested`. */
  private requestCheckSuites(r: SimRepo, sha: string, pusher: SimUser): void {
    const key = repoKey(r.owner.login, r.name);
    for (const inst of this.installationsFor(r)) {
      const exists = [...this.checkSuites.values()].some((s) => s.repoKey === key && s.appId === inst.appId && s.head_sha === sha);
      if (exists) continue;
      this.emitSuite(r, this.suiteFor(r, inst.appId, sha), "requested", pusher);
    }
  }

  private emitSuite(r: SimRepo, suite: SimCheckSuite, action: "completed" | "rerequested" | "requested", sender?: SimUser): void {
    const app = this.apps.get(suite.appId);
    this.emitRepoEvent<"check_suite">(
      r,
      "check_suite",
      () => {
        const { repository: _repo, node_id: _n, ...view } = this.views.checkSuite(r, suite);
        return {
          action,
          check_suite: { ...view, node_id: suite.node_id },
          repository: this.webhookRepo(r),
          sender: this.webhookUser(sender ?? app?.bot ?? r.owner),
        } as WebhookPayload<"check_suite">;
      },
      suite.appId,
    );
  }

  private emitStatus(r: SimRepo, s: SimStatus): void {
    const c = this.git.commit(s.sha);
    if (!c) return;
    this.emitRepoEvent<"status">(r, "status", () => {
      const commit = this.views.commit(r, c, false);
      const branches = [...r.refs.entries()]
        .filter(([ref, sha]) => ref.startsWith("refs/heads/") && sha === s.sha)
        .map(([ref, sha]) => ({ name: ref.slice("refs/heads/".length), commit: { sha, url: `${API}/repos/${r.owner.login}/${r.name}/commits/${sha}` }, protected: false }));
      return {
        id: s.id,
        sha: s.sha,
        name: `${r.owner.login}/${r.name}`,
        target_url: s.target_url,
        context: s.context,
        description: s.description,
        state: s.state,
        commit: { ...commit, commit: { ...commit.commit, verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null } } },
        branches,
        created_at: s.created_at,
        updated_at: s.updated_at,
        repository: this.webhookRepo(r),
        sender: this.webhookUser(s.creator),
      } as WebhookPayload<"status">;
    });
  }

  // ───────────────────────────── delivery API ─────────────────────────────

  onWebhook(handler: WebhookHandler): () => void {
    return this.webhooks.onWebhook(handler);
  }

  deliverTo(url: string): () => void {
    return this.webhooks.deliverTo(url);
  }

  redeliver(id: string): WebhookDelivery {
    return this.webhooks.redeliver(id);
  }

  /** Resolves when every webhook (including ones caused by handlers) was delivered; throws on handler failures. */
  settle(): Promise<void> {
    return this.webhooks.settle();
  }

  // ───────────────────────────── failure injection, violations ─────────────────────────────

  /** The next matching request(s) answer `status` (a GitHub outage, a 5xx, a 403 rate limit…). */
  failNext(f: FailureInjection): void {
    this.failures.push({ ...f, remaining: f.times ?? 1 });
  }

  /** A seeded share of the requests answers 502 before or after the operation ran (fault-injection.ts); `null` stops it. */
  injectFaults(options: FaultOptions | null): FaultInjector | undefined {
    this.faults = options === null ? undefined : new FaultInjector(options);
    return this.faults;
  }

  /** Throws (failing the test) when any request broke GitHub's API description. Clears the list. */
  assertNoViolations(): void {
    const found = this.violations.splice(0);
    if (found.length > 0) {
      throw new Error(`GitHub simulator: ${found.length} API contract violation(s):\n${found.map((v) => `  ${v.method} ${v.url} [${v.operationId ?? "unknown operation"}]: ${v.message}`).join("\n")}`);
    }
  }

  /** Number of logged requests, optionally for one operation id (e.g. "checks/create"). */
  callCount(operationId?: string): number {
    return operationId === undefined ? this.requestLog.length : this.requestLog.filter((e) => e.operationId === operationId).length;
  }

  // ───────────────────────────── the core: handle(request) → response ─────────────────────────────

  async handle(req: SimRequest): Promise<SimResponse> {
    const method = req.method.toUpperCase();
    let parsed: URL;
    try {
      parsed = new URL(req.url, req.base ?? "https://api.github.com");
    } catch {
      this.violations.push({ method, url: req.url, operationId: null, message: "unparseable request URL" });
      this.requestLog.push({ method, operationId: null, url: req.url, status: 400 });
      return { status: 400, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify({ message: "Bad Request", status: "400" }) };
    }
    const web = this.oauth.handleWeb(method, parsed, req.body, req.headers);
    if (web) return web;
    const other = (await handleGraphql(this, method, parsed.pathname, req)) ?? handleCodeload(this, method, parsed);
    if (other) return other;
    let path = parsed.pathname;
    let base = req.base ?? `${parsed.protocol}//${parsed.host}`;
    if (path.startsWith("/api/v3/") || path === "/api/v3") {
      path = path.slice("/api/v3".length) || "/";
      if (!base.endsWith("/api/v3")) base = `${base}/api/v3`;
    }
    // GitHub's `Link` headers address repositories by id (`/repositories/{id}/…`); resolve that alias.
    const byId = /^\/repositories\/(\d+)(\/.*)?$/.exec(path);
    if (byId) {
      const target = [...this.repos.values()].find((r) => r.id === Number(byId[1]));
      if (target) path = `/repos/${target.owner.login}/${target.name}${byId[2] ?? ""}`;
    }
    const rawPath = path;
    path = path.length > 1 ? path.replace(/\/+$/, "") : path;
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of parsed.searchParams) {
      const key = k.replace(/\[\]$/, "");
      const prev = query[key];
      query[key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const logUrl = `${path}${parsed.search}`;
    const index = OpenApiIndex.get();
    // "/contents/" (repository root) keeps its slash; elsewhere a trailing slash is ignored.
    const match = (rawPath !== path ? index.match(method, rawPath) : undefined) ?? index.match(method, path);
    const finish = (asked: number, answer: unknown, extra: Record<string, string> = {}, operation?: OpenApiOperation): SimResponse => {
      const { status, body, headers } = conditionalAnswer(method, headerValue(req.headers, "if-none-match"), { status: asked, body: answer, headers: extra });
      this.requestLog.push({ method, operationId: operation?.operationId ?? null, url: logUrl, status });
      if (this.validateResponses && operation && status < 300 && status !== 204 && typeof body === "object" && body !== null) {
        for (const p of index.validateResponse(operation, status, body, headerValue(req.headers, "accept"))) {
          this.violations.push({ method, url: logUrl, operationId: operation.operationId, message: `sim response does not match the description: ${p.message}` });
        }
      }
      const out: Record<string, string> = {
        date: this.clock.now().toUTCString(),
        "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "4999",
        "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
        "x-ratelimit-resource": "core",
        ...headers,
      };
      if (typeof body === "string") return { status, headers: { "content-type": "text/plain; charset=utf-8", ...out }, body };
      if (body === undefined) return { status, headers: out, body: "" };
      return { status, headers: { "content-type": "application/json; charset=utf-8", ...out }, body: JSON.stringify(body) };
    };
    if (!match) {
      const message = index.knowsPath(path) ? `method ${method} is not described for ${path}` : `no operation matches ${method} ${path}`;
      this.violations.push({ method, url: logUrl, operationId: null, message });
      return finish(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
    }
    const { operation, pathParams } = match;
    let body: unknown;
    if (req.body !== undefined && req.body !== "") {
      try {
        body = JSON.parse(req.body);
      } catch {
        this.violations.push({ method, url: logUrl, operationId: operation.operationId, message: "request body is not valid JSON" });
        return finish(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/rest", status: "400" }, {}, operation);
      }
    }
    const problems = [...index.validateParameters(operation, pathParams, query), ...index.validateBody(operation, body)];
    if (problems.length > 0) {
      for (const p of problems) this.violations.push({ method, url: logUrl, operationId: operation.operationId, message: `${p.where}: ${p.message}` });
      const status = problems.some((p) => p.where === "path") ? 404 : 422;
      const message = status === 404 ? "Not Found" : `Invalid request.\n\n${problems.map((p) => p.message).join("\n")}`;
      return finish(status, { message, documentation_url: "https://docs.github.com/rest", status: String(status) }, {}, operation);
    }
    const isWrite = method !== "GET" && method !== "HEAD" && !operation.operationId.startsWith("apps/");
    const injected = this.failures.find(
      (f) => (f.method === undefined || f.method.toUpperCase() === method) && (f.operationId === undefined || f.operationId === operation.operationId) && (!f.writes || isWrite),
    );
    if (injected && (injected.skip ?? 0) > 0) injected.skip = (injected.skip ?? 0) - 1;
    else if (injected) {
      injected.remaining--;
      if (injected.remaining <= 0) this.failures.splice(this.failures.indexOf(injected), 1);
      const message = injected.message ?? (injected.status >= 500 ? "Server Error" : "Injected failure");
      return finish(injected.status, { message, documentation_url: "https://docs.github.com/rest", status: String(injected.status) }, injected.headers ?? {}, operation);
    }
    const faults = this.faults;
    const faultRequest = { method, operationId: operation.operationId, path };
    const fault = faults?.decide(faultRequest) ?? null;
    const faultAnswer = (when: "before" | "after", applied?: number): SimResponse => {
      const status = faults?.record(faultRequest, when, applied).status ?? 502;
      return finish(status, { message: "Server Error", documentation_url: "https://docs.github.com/rest", status: String(status) }, {}, operation);
    };
    if (fault === "before") return faultAnswer("before");
    const handler = restHandlers[operation.operationId] ?? oauthRestHandlers[operation.operationId] ?? hookDeliveryHandlers[operation.operationId] ?? tarballHandlers[operation.operationId];
    if (!handler) {
      this.violations.push({ method, url: logUrl, operationId: operation.operationId, message: `the simulator does not implement ${operation.operationId}` });
      return finish(501, { message: `Simulator: ${operation.operationId} is not implemented`, documentation_url: "https://docs.github.com/rest", status: "501" }, {}, operation);
    }
    try {
      const ctx: RestContext = {
        sim: this,
        method,
        path,
        base,
        params: pathParams,
        query,
        body: body as RestContext["body"],
        accept: headerValue(req.headers, "accept") ?? "application/vnd.github+json",
        installation: undefined,
        token: undefined,
        operation,
      };
      this.authenticate(ctx, headerValue(req.headers, "authorization"));
      const result: RestResult = await handler(ctx);
      if (fault === "after") return faultAnswer("after", result.status ?? 200);
      return finish(result.status ?? 200, result.body, result.headers, operation);
    } catch (error) {
      if (error instanceof HttpError && fault === "after") return faultAnswer("after", error.status);
      if (error instanceof HttpError) return finish(error.status, error.toBody(), error.headers, operation);
      const message = error instanceof Error ? error.message : String(error);
      this.violations.push({ method, url: logUrl, operationId: operation.operationId, message: `simulator crashed: ${message}` });
      return finish(500, { message: `Simulator error: ${message}`, documentation_url: "https://docs.github.com/rest", status: "500" }, {}, operation);
    }
  }

  private authenticate(ctx: RestContext, authorization: string | undefined): void {
    const appEndpoint = ctx.path === "/app" || ctx.path.startsWith("/app/") || /^\/(repos\/[^/]+\/[^/]+|orgs\/[^/]+|users\/[^/]+)\/installation$/.test(ctx.path);
    const [scheme, credential] = (authorization ?? "").split(/\s+/, 2);
    if (appEndpoint) {
      if (!credential || !/^bearer$/i.test(scheme ?? "")) throw new HttpError(401, "A JSON web token could not be decoded");
      const check = verifyAppJwt(credential, (id) => this.apps.get(id)?.publicKey, Math.floor(Date.now() / 1000));
      if (!check.ok) throw new HttpError(401, check.message);
      ctx.appId = check.appId;
      return;
    }
    if (!credential || !/^(token|bearer)$/i.test(scheme ?? "")) throw new HttpError(401, "Requires authentication");
    const userToken = this.oauth.tokens.get(credential);
    if (userToken) {
      if (!USER_TOKEN_OPERATIONS.has(ctx.operation.operationId)) throw new HttpError(403, "Resource not accessible by integration");
      ctx.userToken = userToken;
      return;
    }
    const token = this.tokens.get(credential);
    const inst = token ? this.installations.get(token.installationId) : undefined;
    if (!token || !inst) throw new HttpError(401, "Bad credentials");
    ctx.installation = inst;
    ctx.token = token;
  }

  // ───────────────────────────── transports ─────────────────────────────

  /** Routes every request to `baseUrl`'s origin through nock into `handle()`. Loopback stays reachable. */
  interceptWithNock(baseUrl = "https://api.github.com"): nock.Scope {
    const url = new URL(baseUrl);
    const origin = `${url.protocol}//${url.host}`;
    const prefix = url.pathname.replace(/\/+$/, "");
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
    const reply = async function (this: nock.ReplyFnContext, uri: string, requestBody: nock.Body): Promise<nock.ReplyFnResult> {
      return await handleNock(this.req.method, uri, this.req.headers, requestBody);
    };
    const handleNock = async (method: string, uri: string, headers: Record<string, string | string[]>, requestBody: nock.Body): Promise<nock.ReplyFnResult> => {
      const bodyText = typeof requestBody === "string" ? requestBody : Buffer.isBuffer(requestBody) ? requestBody.toString("utf8") : JSON.stringify(requestBody);
      const res = await this.handle({ method, url: uri, headers, body: bodyText, base: `${origin}${prefix}` });
      return [res.status, res.bytes ?? res.body, res.headers];
    };
    const path = (): boolean => true;
    const scope = nock(origin).persist();
    for (const m of ["get", "post", "put", "patch", "delete", "head"] as const) {
      const interceptor = scope[m](path).optionally();
      interceptor.reply(reply);
      this.nockInterceptors.push(interceptor);
    }
    return scope;
  }

  /** Removes the nock interceptors installed by `interceptWithNock`. */
  stopNock(): void {
    for (const interceptor of this.nockInterceptors.splice(0)) nock.removeInterceptor(interceptor);
  }

  /** Serves the API on 127.0.0.1 (random port) under `/` and `/api/v3/`. */
  async listen(): Promise<RunningServer> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const host = req.headers.host ?? "127.0.0.1";
        this.handle({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), base: `http://${host}` })
          .then((out) => {
            res.writeHead(out.status, out.headers);
            res.end(out.status === 204 || out.status === 304 ? undefined : (out.bytes ?? out.body));
          })
          .catch((error: unknown) => {
            res.writeHead(500, { "content-type": "text/plain" });
            res.end(String(error));
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      host: `127.0.0.1:${port}`,
      baseUrl: `http://127.0.0.1:${port}/api/v3`,
      close: () =>
        new Promise<void>((resolve, reject) => {
          server.closeAllConnections();
          server.close((e) => (e ? reject(e) : resolve()));
        }),
    };
  }
}
