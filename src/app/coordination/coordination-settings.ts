/** The coordination settings from the environment (docs/deployment.md, "Scaling"). */
import { parseDuration } from "../../config/parse-duration.js";

export interface CoordinationSettings {
  /** `REDIS_URL`: several replicas share locks, leases and de-duplication there; null: one replica, in memory. */
  redisUrl: string | null;
  /** `FLEETWARD_LOCK_TTL` (default 30s): a lock's and a leader lease's time to live, renewed every third of it while held. */
  lockTtlMs: number;
  /**
   * `FLEETWARD_LOCK_WAIT` (default 8s): how long a task waits for a lock another replica holds before it fails. Below
   * the 9 s after which Probot answers a webhook 202 while its handler goes on: a delivery that cannot get its lock
   * fails visibly (GitHub records the error, the redeliverer asks for it again) instead of being lost after a 202.
   */
  lockWaitMs: number;
  /** `FLEETWARD_REDIS_TIMEOUT` (default 2s): the bound on connecting and on each Redis command. */
  redisTimeoutMs: number;
}

export const DEFAULT_COORDINATION: Omit<CoordinationSettings, "redisUrl"> = { lockTtlMs: 30_000, lockWaitMs: 8_000, redisTimeoutMs: 2_000 };

/** A setting that cannot be read: `<NAME>: <why>`. */
export class CoordinationSettingsError extends Error {
  readonly code = "coordination_setting_invalid";
}

function duration(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const parsed = parseDuration(raw);
  if (!parsed.ok) throw new CoordinationSettingsError(`${name}: ${parsed.error}`);
  if (parsed.ms <= 0) throw new CoordinationSettingsError(`${name}: must be longer than 0s`);
  return parsed.ms;
}

export function coordinationSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): CoordinationSettings {
  const url = env.REDIS_URL?.trim() || null;
  if (url !== null && !/^rediss?:\/\//.test(url)) throw new CoordinationSettingsError(`REDIS_URL: expected redis://host:port or rediss://…, got ${JSON.stringify(url.slice(0, 64))}`);
  const settings = {
    redisUrl: url,
    lockTtlMs: duration(env, "FLEETWARD_LOCK_TTL", DEFAULT_COORDINATION.lockTtlMs),
    lockWaitMs: duration(env, "FLEETWARD_LOCK_WAIT", DEFAULT_COORDINATION.lockWaitMs),
    redisTimeoutMs: duration(env, "FLEETWARD_REDIS_TIMEOUT", DEFAULT_COORDINATION.redisTimeoutMs),
  };
  if (settings.lockTtlMs < 3 * settings.redisTimeoutMs) {
    throw new CoordinationSettingsError(`FLEETWARD_LOCK_TTL: ${settings.lockTtlMs / 1000}s is too short for FLEETWARD_REDIS_TIMEOUT ${settings.redisTimeoutMs / 1000}s (at least three times it, so a renewal can fail once and still be in time)`);
  }
  return settings;
}

/**
 * What Probot's request throttling gets as its Redis (`redisConfig`): `REDIS_URL` only with
 * `FLEETWARD_THROTTLE_REDIS=true`. Probot's throttling on Redis (Bottleneck's clustering) never recovers when Redis 7
 * loses its keys (a restart without persistence, an eviction): Bottleneck expects the error `SETTINGS_KEY_NOT_FOUND`
 * and Redis 7 replies `ERR SETTINGS_KEY_NOT_FOUND` (bottleneck issue 205), so every GitHub request of the app fails
 * until it restarts (measured in test/app/coordination/probot-throttle-redis.test.ts). By default each replica throttles
 * its own requests in memory (GitHub's rate limit answers still apply).
 */
export function probotRedisConfig(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const url = env.REDIS_URL?.trim();
  return url && env.FLEETWARD_THROTTLE_REDIS?.trim().toLowerCase() === "true" ? url : undefined;
}
