/**
 * The coordinator's Redis connection, bounded so that it fails closed fast: no offline queue (a command while
 * disconnected fails at once instead of waiting), one retry per command, connect and command timeouts; it keeps
 * reconnecting in the background, so coordination recovers when Redis comes back without restarting the app.
 */
import { createRequire } from "node:module";
import type { Redis } from "ioredis";
import { CoordinationUnavailable } from "./coordinator.js";

/** ioredis (CommonJS) is required when a connection is made: without REDIS_URL the server never loads it (issue 17). */
const loadIoredis = (): typeof import("ioredis") => createRequire(import.meta.url)("ioredis") as typeof import("ioredis");

export interface CoordinationLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class RedisConnection {
  readonly redis: Redis;
  #down = false;

  constructor(
    url: string,
    private readonly timeoutMs: number,
    log: CoordinationLog,
  ) {
    this.redis = new (loadIoredis().Redis)(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      retryStrategy: (times) => Math.min(100 * times, 1_000),
    });
    // Every call waiting for the connection listens for "ready": many at once during an outage is expected.
    this.redis.setMaxListeners(0);
    // Logged on a change only: a Redis that is down would otherwise log every reconnect attempt.
    this.redis.on("error", (error: Error) => {
      if (this.#down) return;
      this.#down = true;
      log.warn({ err: error }, `Redis unreachable: coordination fails closed until it is back (${error.message})`);
    });
    this.redis.on("ready", () => {
      if (!this.#down) return;
      this.#down = false;
      log.info({}, "Redis reachable again: coordination resumed");
    });
  }

  /** Waits (at most the timeout) for the connection to be ready. */
  async #ready(): Promise<void> {
    const r = this.redis;
    if (r.status === "ready") return;
    if (r.status === "end") throw new CoordinationUnavailable("store_unreachable", "Redis: the connection is closed");
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        r.off("ready", onReady);
        reject(new CoordinationUnavailable("store_unreachable", `Redis: not reachable within ${this.timeoutMs} ms (${r.status})`));
      }, this.timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      r.once("ready", onReady);
    });
  }

  /** Runs one command (or script) on a ready connection; any failure is CoordinationUnavailable. */
  async call<T>(what: string, command: (redis: Redis) => Promise<T>): Promise<T> {
    await this.#ready();
    try {
      return await command(this.redis);
    } catch (error) {
      throw new CoordinationUnavailable("store_unreachable", `Redis ${what}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Runs a Lua script. */
  eval(what: string, script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return this.call(what, (r) => r.eval(script, keys.length, ...keys, ...args));
  }

  close(): void {
    this.redis.disconnect();
  }
}
