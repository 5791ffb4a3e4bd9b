/**
 * The app's periodic jobs (the promotion reconciler, the webhook redeliverer): an interval read from the environment
 * and a timer that never keeps the process alive and never overlaps its runs.
 */
import { parseDuration } from "../config/parse-duration.js";
import type { LeaderLease } from "./coordination/coordinator.js";

/**
 * `env[name]` as milliseconds: a duration such as `5m`; `0` or `off` turn the job off (null); unset: `defaultMs`,
 * or off under `NODE_ENV=test`. Throws `<name>: <why>` on an unreadable value.
 */
export function intervalFromEnv(env: Readonly<Record<string, string | undefined>>, name: string, defaultMs: number): number | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return env.NODE_ENV === "test" ? null : defaultMs;
  if (raw === "0" || raw.toLowerCase() === "off") return null;
  const parsed = parseDuration(raw);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
  return parsed.ms > 0 ? parsed.ms : null;
}

/** Runs `run` every `intervalMs` (unref'd; a run still going skips the tick). Returns a stop function. */
export function everyInterval(intervalMs: number, run: () => Promise<void>): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    run().finally(() => {
      running = false;
    });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * `everyInterval` for a job one replica runs at a time: each tick runs `run` only when this replica holds `lease`
 * (always, without REDIS_URL). When the lease cannot be asked (Redis unreachable) the tick is skipped: fail closed.
 */
export function everyIntervalAsLeader(
  intervalMs: number,
  lease: LeaderLease,
  log: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void },
  job: string,
  run: () => Promise<void>,
): () => void {
  return everyInterval(intervalMs, async () => {
    let leader: boolean;
    try {
      leader = await lease.isLeader();
    } catch (error) {
      log.warn({ err: error, job }, `${job} skipped: the leader lease cannot be asked (${(error as Error).message})`);
      return;
    }
    if (!leader) {
      log.debug({ job }, `${job} skipped: another replica holds the lease`);
      return;
    }
    await run();
  });
}
