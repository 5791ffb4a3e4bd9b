/**
 * The sandbox's limits, from the environment: how many workers (`FLEETWARD_SANDBOX_WORKERS`, default 2), the memory
 * of each (`FLEETWARD_POLICY_MEMORY_MB`, default 512: the worker's JavaScript heap and, separately, each policy
 * module's Wasm memory), and the server's cap on a repository's `settings.policy.timeout`
 * (`FLEETWARD_POLICY_TIMEOUT_MAX`, a duration or a number of seconds, default 120 s). Pure: a bad value is a
 * `SandboxConfigError` naming the variable, never a silent default.
 */
import { parseDuration } from "../config/parse-duration.js";

export interface SandboxLimits {
  workers: number;
  memoryMb: number;
  timeoutMaxMs: number;
}

export const DEFAULT_SANDBOX_LIMITS: Readonly<SandboxLimits> = { workers: 2, memoryMb: 512, timeoutMaxMs: 120_000 };

/** The shortest time a check run gets, whatever the settings say. */
export const MIN_TIMEOUT_MS = 1_000;

export class SandboxConfigError extends Error {
  readonly code = "sandbox_invalid_env";
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "SandboxConfigError";
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) throw new SandboxConfigError(name, `expected an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

function duration(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === "") return fallback;
  const parsed = parseDuration(/^[0-9]+$/.test(text) ? `${text}s` : text);
  if (!parsed.ok) throw new SandboxConfigError(name, `expected a duration such as "120s" or "2m" (or a number of seconds): ${parsed.error}`);
  if (parsed.ms < MIN_TIMEOUT_MS) throw new SandboxConfigError(name, `expected at least 1s, got ${JSON.stringify(text)}`);
  return parsed.ms;
}

export function sandboxLimitsFromEnv(env: NodeJS.ProcessEnv): SandboxLimits {
  return {
    workers: integer(env, "FLEETWARD_SANDBOX_WORKERS", DEFAULT_SANDBOX_LIMITS.workers, 1, 64),
    memoryMb: integer(env, "FLEETWARD_POLICY_MEMORY_MB", DEFAULT_SANDBOX_LIMITS.memoryMb, 32, 65_536),
    timeoutMaxMs: duration(env, "FLEETWARD_POLICY_TIMEOUT_MAX", DEFAULT_SANDBOX_LIMITS.timeoutMaxMs),
  };
}

/**
 * The time a check run gets: the repository's `settings.policy.timeout` (a duration the schema checked), at least
 * 1 s, at most the server's maximum.
 */
export function checkRunTimeoutMs(setting: string, limits: Pick<SandboxLimits, "timeoutMaxMs">): number {
  const parsed = parseDuration(setting);
  const wanted = parsed.ok ? parsed.ms : limits.timeoutMaxMs;
  return Math.min(Math.max(wanted, MIN_TIMEOUT_MS), limits.timeoutMaxMs);
}

/** `30 s`, `1.5 s`, `2 min` — how a limit is shown in a check run. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return s >= 120 && s % 60 === 0 ? `${s / 60} min` : `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
