/** The coordinator of this process: Redis when `REDIS_URL` is set, else in memory (one replica). */
import type { CoordinationSettings } from "./coordination-settings.js";
import type { Coordinator } from "./coordinator.js";
import { MemoryCoordinator } from "./memory-coordinator.js";
import type { CoordinationLog } from "./redis-connection.js";
import { RedisCoordinator } from "./redis-coordinator.js";

export function createCoordinator(settings: CoordinationSettings, log: CoordinationLog): Coordinator {
  if (settings.redisUrl === null) return new MemoryCoordinator();
  return new RedisCoordinator({ ...settings, redisUrl: settings.redisUrl }, log);
}

let current: Coordinator | undefined;

/** Makes `coordinator` the one `processCoordinator()` returns (the app function sets it when it starts). */
export function useCoordinator(coordinator: Coordinator): void {
  current = coordinator;
}

/**
 * The coordinator the app function set, else an in-memory one: for code that has no dependencies passed in
 * (execute-promotions.ts). Read at each use, so a later app function's choice applies.
 */
export function processCoordinator(): Coordinator {
  current ??= new MemoryCoordinator();
  return current;
}

/** `run(key, task)` over the process coordinator's lock, in SerialQueue's shape. */
export const perRepositoryLock = {
  run: <T>(key: string, task: () => Promise<T>): Promise<T> => processCoordinator().withLock(key, () => task()),
};
