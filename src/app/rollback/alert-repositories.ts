import type { Logger } from "pino";
import type { Probot } from "probot";
import type { FleetwardConfig } from "../../config/schema.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { getBranchSha } from "../github/point-branch.js";
import { listInstalledRepos } from "../github/repo-client.js";
import type { ConfigStore } from "../repo-config.js";

export type InstalledRepo = RepoRef & { installationId: number; defaultBranch: string };

export interface RepoForAlerts {
  repo: InstalledRepo;
  gh: GitHubClient;
  /** The configuration in force on the default branch (the last valid one when the newest is invalid); null when none. */
  config: FleetwardConfig | null;
  /** The default branch's head the configuration was read at; null when the branch does not exist. */
  head: string | null;
}

/**
 * The repositories alerts may concern: every repository the app is installed on (listed at most once per
 * `ttlMs`, default 60 s), with an installation client and the configuration in force. Also the app's bot login.
 */
export class AlertRepositories {
  #listed: { at: number; repos: InstalledRepo[] } | null = null;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(
    private readonly app: Probot,
    private readonly store: ConfigStore,
    /** The app's bot login (`createBotLogin`). */
    readonly botLogin: () => Promise<string>,
    options: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  async installed(): Promise<InstalledRepo[]> {
    const now = this.#now();
    if (this.#listed && now - this.#listed.at < this.#ttlMs) return this.#listed.repos;
    const repos = await listInstalledRepos(this.app);
    this.#listed = { at: now, repos };
    return repos;
  }

  /** An installation client for the repository and its configuration in force. */
  async open(repo: InstalledRepo, log: Logger): Promise<RepoForAlerts> {
    const gh = await this.app.auth(repo.installationId);
    const head = await getBranchSha(gh, { ...repo, branch: repo.defaultBranch });
    if (head === null) return { repo, gh, config: null, head };
    const active = await this.store.active(gh, { owner: repo.owner, repo: repo.repo, ref: repo.defaultBranch, headSha: head }, log);
    return { repo, gh, config: active?.config ?? null, head };
  }

  /** The installed repository named `owner/name` (case-insensitive), the only one when `name` is omitted, else null. */
  async find(name: string | undefined): Promise<{ repo: InstalledRepo } | { error: string }> {
    const repos = await this.installed();
    if (name === undefined || name === "") {
      const [only] = repos;
      if (repos.length === 1 && only) return { repo: only };
      return { error: repos.length === 0 ? "the app is installed on no repository" : "the app is installed on several repositories: name one with repo=owner/name" };
    }
    const repo = repos.find((r) => `${r.owner}/${r.repo}`.toLowerCase() === name.toLowerCase());
    return repo ? { repo } : { error: `the app is not installed on ${name}` };
  }
}
