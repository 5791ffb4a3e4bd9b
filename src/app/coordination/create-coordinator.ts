/** The coordinator of an app instance: Redis when `REDIS_URL` is set, else in memory (one replica). */
import type { CoordinationSettings } from "./coordination-settings.js";
import type { Coordinator } from "./coordinator.js";
import { MemoryCoordinator } from "./memory-coordinator.js";
import type { CoordinationLog } from "./redis-connection.js";
import { RedisCoordinator } from "./redis-coordinator.js";

export function createCoordinator(settings: CoordinationSettings, log: CoordinationLog): Coordinator {
  if (settings.redisUrl === null) return new MemoryCoordinator();
  return new RedisCoordinator({ ...settings, redisUrl: settings.redisUrl }, log);
}
