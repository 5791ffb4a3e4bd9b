/**
 * The process's policy sandbox: one pool, created on the first job with the limits of the environment
 * (`sandboxLimitsFromEnv`) and its compiled-module cache (`FLEETWARD_CACHE_DIR`, else `$XDG_CACHE_HOME/fleetward`, else
 * `~/.cache/fleetward`; `FLEETWARD_CACHE_MAX_MB`, default 256: see src/rego/compile-cache.ts), closed when the server
 * stops. A folder that cannot be written leaves the modules in memory, with one warning.
 */
import { cacheDirFromEnv, cacheMaxBytesFromEnv, compilerVersion } from "../rego/compile-cache.js";
import { SandboxConfigError, sandboxLimitsFromEnv, type SandboxLimits } from "./sandbox-limits.js";
import { type SandboxCacheOptions, SandboxPool, sandboxWorkerPath } from "./sandbox-pool.js";

let pool: { pool: SandboxPool; limits: SandboxLimits } | undefined;

/** The workers' module cache as the environment sets it; a bad size is a `SandboxConfigError`. */
export function sandboxCacheFromEnv(env: NodeJS.ProcessEnv): SandboxCacheOptions {
  const maxBytes = cacheMaxBytesFromEnv(env);
  if (typeof maxBytes !== "number") throw new SandboxConfigError("FLEETWARD_CACHE_MAX_MB", maxBytes.error);
  return { dir: cacheDirFromEnv(env), maxBytes };
}

/** The pool and its limits (read from the environment once, when first asked for). */
export function policySandbox(): { pool: SandboxPool; limits: SandboxLimits } {
  if (pool === undefined) {
    const limits = sandboxLimitsFromEnv(process.env);
    pool = { pool: new SandboxPool(limits, sandboxWorkerPath(), sandboxCacheFromEnv(process.env), compilerVersion), limits };
  }
  return pool;
}

/** Ends the pool's workers (the next job starts a new pool, with the environment read again). */
export async function closePolicySandbox(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.pool.close();
}
