/**
 * Loads a repository's Fleetward configuration from GitHub (org defaults, `_extends`, the repo's file)
 * and remembers the last valid one, so an invalid configuration never stops the app.
 */
import type { Logger } from "pino";
import type { ConfigDiagnostic } from "../config/config-diagnostic.js";
import { DEFAULT_CONFIG_PATH, configFileLabel } from "../config/config-file-ref.js";
import type { FleetwardConfig } from "../config/schema.js";
import type { GitHubClient, RepoRef } from "./github/github-client.js";
import { listFileCommits } from "./github/list-file-commits.js";
import { LruCache } from "./lru-cache.js";
import { readFile } from "./github/read-file.js";
import { inSpan } from "./observability/tracing.js";
import { importInTurn } from "./lazy/import-in-turn.js";

export const CONFIG_PATH = DEFAULT_CONFIG_PATH;

export interface LoadedConfig {
  config?: FleetwardConfig;
  problems: ConfigDiagnostic[];
  /** Every layer read, lowest precedence first: the file label and where it came from. */
  sources: Array<{ file: string; location: string }>;
  /** Whether the repository has its own `.github/fleetward.yml` at that ref. */
  repoFileFound: boolean;
}

/**
 * Reads and validates the configuration as of `ref` in `where`. The repository's own file is read at
 * `ref`; org defaults and `_extends` targets at their repositories' default branches.
 */
export async function loadConfigAt(gh: GitHubClient, where: RepoRef & { ref: string }): Promise<LoadedConfig> {
  // The config schema (zod) and the server registry's schema load with the first configuration read, not at start
  // (issue 17: the idle server's memory).
  const [{ collectConfigLayers }, { loadConfig }, { prometheusServerNames }] = await importInTurn(async () => [
    await import("../config/collect-config-layers.js"),
    await import("../config/load-config.js"),
    await import("./analysis/prometheus-servers.js"),
  ] as const);
  const sources: LoadedConfig["sources"] = [];
  const collected = await collectConfigLayers({
    owner: where.owner,
    repo: where.repo,
    fetchFile: async (file) => {
      const own = file.owner.toLowerCase() === where.owner.toLowerCase() && file.repo.toLowerCase() === where.repo.toLowerCase();
      const text = await readFile(gh, { owner: file.owner, repo: file.repo, path: file.path, ...(own ? { ref: where.ref } : {}) });
      if (text !== null) {
        sources.push({
          file: own && file.path === CONFIG_PATH ? file.path : configFileLabel(file),
          location: own ? `${file.owner}/${file.repo}@${where.ref.slice(0, 12)}` : `${file.owner}/${file.repo} (default branch)`,
        });
      }
      return text;
    },
  });
  // Problems following `_extends` withhold the config: a missing layer must not silently loosen it.
  const loaded = loadConfig({ layers: collected.layers, upstreamDiagnostics: collected.diagnostics, prometheusServers: prometheusServerNames() });
  // Layers come back lowest precedence first; `sources` was filled in fetch order (repo first).
  const order = new Map(collected.layers.map((l, i) => [l.file, i]));
  sources.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0));
  return {
    ...(loaded.config ? { config: loaded.config } : {}),
    problems: loaded.diagnostics,
    sources,
    repoFileFound: collected.repoFileFound,
  };
}

/** The configuration the app acts with, and where it came from. */
export interface ActiveConfig {
  config: FleetwardConfig;
  /** The commit whose configuration this is. */
  sha: string;
  /** True when the newest configuration is invalid and an older valid one is used instead. */
  fallback: boolean;
}

/** How far back the history of `.github/fleetward.yml` is searched for a valid configuration. */
const HISTORY_DEPTH = 10;

/** A branch of a repository: the last valid configuration is kept per branch. */
export type BranchRef = RepoRef & {
  /** The branch name (`main`, not `refs/heads/main`). */
  ref: string;
};

/**
 * Remembers the last valid configuration per repository and branch (bounded): a pull request into a side
 * branch reads that branch's configuration and must not change what the default branch falls back to. The
 * cache is only a shortcut: after a restart the last valid configuration is found again in the file's history
 * on that branch.
 */
export class ConfigStore {
  readonly #lastValid: LruCache<ActiveConfig>;
  constructor(maxRepos = 1000) {
    this.#lastValid = new LruCache(maxRepos);
  }

  #key(where: BranchRef): string {
    // Branch names are case-sensitive on GitHub; owner and repository names are not.
    return `${where.owner.toLowerCase()}/${where.repo.toLowerCase()}\0${where.ref}`;
  }

  remember(where: BranchRef, active: ActiveConfig): void {
    this.#lastValid.set(this.#key(where), active);
  }

  lastValid(where: BranchRef): ActiveConfig | undefined {
    return this.#lastValid.get(this.#key(where));
  }

  /**
   * The configuration to act with on branch `ref` at `headSha`: the configuration there when valid; otherwise
   * the last valid one of that branch (remembered, or found in the file's history); null when none is valid.
   */
  async active(gh: GitHubClient, where: BranchRef & { headSha: string }, log: Logger): Promise<ActiveConfig | null> {
    const remembered = this.lastValid(where);
    if (remembered && remembered.sha === where.headSha) return remembered;
    const current = await inSpan("config load", { "fleetward.ref": where.ref }, () => loadConfigAt(gh, { ...where, ref: where.headSha }));
    if (current.config) {
      const active = { config: current.config, sha: where.headSha, fallback: false };
      this.remember(where, active);
      return active;
    }
    if (remembered) {
      log.warn({ sha: where.headSha, using: remembered.sha }, "configuration is invalid; using the last valid configuration");
      return { ...remembered, fallback: true };
    }
    const found = await this.findLastValid(gh, where);
    if (found) {
      log.warn({ sha: where.headSha, using: found.sha }, "configuration is invalid; using the last valid configuration from history");
      this.remember(where, { ...found, fallback: false });
      return { ...found, fallback: true };
    }
    log.warn({ sha: where.headSha }, "configuration is invalid and no earlier valid configuration exists; no actions");
    return null;
  }

  /** Walks back the history of `.github/fleetward.yml` (newest first) to the last commit where it was valid. */
  async findLastValid(gh: GitHubClient, where: RepoRef & { headSha: string }): Promise<ActiveConfig | null> {
    const commits = await listFileCommits(gh, { ...where, path: CONFIG_PATH, ref: where.headSha, limit: HISTORY_DEPTH + 1 });
    for (const commit of commits) {
      if (commit.sha === where.headSha) continue;
      const loaded = await loadConfigAt(gh, { ...where, ref: commit.sha });
      if (loaded.config) return { config: loaded.config, sha: commit.sha, fallback: true };
    }
    return null;
  }
}
