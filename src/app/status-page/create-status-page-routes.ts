/**
 * The status page's routes, wired: settings from the environment, each repository's status read with the app's
 * installation through `loadStatus` and kept `STATUS_CACHE_MS` (shared by every user: who may see a repository is
 * decided per request with the user's own token, before the cache is asked).
 */
import type { Logger } from "pino";
import type { FleetStatus } from "../../promotion/fleet-status/fleet-status-types.js";
import { LruCache } from "../lru-cache.js";
import { createFleetAuthRoutes } from "../routes/fleet-auth-routes.js";
import { createFleetPageRoute } from "../routes/fleet-page-route.js";
import type { VisibleRepository } from "./github-user-api.js";
import type { RouteHandler } from "./status-page-deps.js";
import { readStatusPageConfig } from "./status-page-settings.js";

export const STATUS_CACHE_MS = 30_000;
const STATUS_CACHE_ENTRIES = 500;

/** `load`, each answer kept for `ttlMs` per repository (concurrent reads of one repository share one load). */
export function cachedStatusLoader(load: (repo: VisibleRepository) => Promise<FleetStatus>, now: () => Date, ttlMs = STATUS_CACHE_MS): (repo: VisibleRepository) => Promise<FleetStatus> {
  const cache = new LruCache<{ at: number; status: Promise<FleetStatus> }>(STATUS_CACHE_ENTRIES);
  return (repo) => {
    const key = `${repo.installationId}:${repo.owner}/${repo.name}`.toLowerCase();
    const hit = cache.get(key);
    const t = now().getTime();
    if (hit && t - hit.at < ttlMs) return hit.status;
    const status = load(repo);
    cache.set(key, { at: t, status });
    // A failed read is not kept: the next request tries again.
    status.catch(() => {
      if (cache.get(key)?.status === status) cache.set(key, { at: Number.NEGATIVE_INFINITY, status });
    });
    return status;
  };
}

export interface StatusPageWiring {
  env: NodeJS.ProcessEnv;
  log: Logger;
  now: () => Date;
  loadStatus: (repo: VisibleRepository) => Promise<FleetStatus>;
}

export function createStatusPageRoutes(w: StatusPageWiring): RouteHandler[] {
  const config = readStatusPageConfig(w.env);
  if (!config.enabled) w.log.info({ problems: config.problems }, "the /fleet status page is off");
  const deps = { config, log: w.log, now: w.now, loadStatus: cachedStatusLoader(w.loadStatus, w.now) };
  return [createFleetPageRoute(deps), ...createFleetAuthRoutes(deps)];
}
