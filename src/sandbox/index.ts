/**
 * The process's policy sandbox: one pool, created on the first job with the limits of the environment
 * (`sandboxLimitsFromEnv`), closed when the server stops.
 */
import { sandboxLimitsFromEnv, type SandboxLimits } from "./sandbox-limits.js";
import { SandboxPool } from "./sandbox-pool.js";

let pool: { pool: SandboxPool; limits: SandboxLimits } | undefined;

/** The pool and its limits (read from the environment once, when first asked for). */
export function policySandbox(): { pool: SandboxPool; limits: SandboxLimits } {
  if (pool === undefined) {
    const limits = sandboxLimitsFromEnv(process.env);
    pool = { pool: new SandboxPool(limits), limits };
  }
  return pool;
}

/** Ends the pool's workers (the next job starts a new pool, with the environment read again). */
export async function closePolicySandbox(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.pool.close();
}
