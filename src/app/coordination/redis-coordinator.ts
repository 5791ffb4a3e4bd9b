/**
 * Coordination of several replicas through Redis (`REDIS_URL`):
 * - locks: `SET NX PX` with a random owner token, renewed every third of the TTL while the task runs, released only
 *   by their owner (compare-and-delete); a fencing token larger than every earlier holder's is given to the task;
 *   waiters poll with a growing, jittered pause up to `lockWaitMs`; tasks of one process also queue per key in order.
 *   A lock is advisory: GitHub's compare-and-swap on refs stays the last line.
 * - leader leases: take-or-extend, renewed in the background while held, so one replica runs the periodic jobs and a
 *   crashed holder's lease expires after the TTL.
 * - `once`: `SET NX PX`.
 * - deliveries that failed after their answer: one sorted set of GUIDs scored by expiry time, trimmed at each
 *   addition to the unexpired and the newest `MAX_FAILED_AFTER_ANSWER`.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { SerialQueue } from "./serial-queue.js";
import type { CoordinationSettings } from "./coordination-settings.js";
import { CoordinationUnavailable, FAILED_AFTER_ANSWER_TTL_MS, MAX_FAILED_AFTER_ANSWER, type Coordinator, type HeldLock, type LeaderLease } from "./coordinator.js";
import { RedisConnection, type CoordinationLog } from "./redis-connection.js";
import { ACQUIRE_LOCK, DELETE_OWNED, EXTEND_OWNED, TAKE_OR_EXTEND_LEASE } from "./redis-scripts.js";
import { RedisLease } from "./redis-lease.js";

export type RedisCoordinatorOptions = Omit<CoordinationSettings, "redisUrl"> & {
  redisUrl: string;
  /** Prefix of every key (default `fleetward:`). */
  prefix?: string;
  /** This replica's name in leases (default host:pid:random). */
  instanceId?: string;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RedisCoordinator implements Coordinator {
  readonly kind = "redis";
  readonly instanceId: string;
  readonly #conn: RedisConnection;
  readonly #local = new SerialQueue();
  readonly #leases = new Map<string, RedisLease>();
  readonly #prefix: string;

  constructor(
    private readonly options: RedisCoordinatorOptions,
    private readonly log: CoordinationLog,
  ) {
    this.#conn = new RedisConnection(options.redisUrl, options.redisTimeoutMs, log);
    this.#prefix = options.prefix ?? "fleetward:";
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  withLock<T>(key: string, task: (lock: HeldLock) => Promise<T>): Promise<T> {
    return this.#local.run(key, async () => {
      const lockKey = `${this.#prefix}lock:${key}`;
      const token = randomUUID();
      const fencingToken = await this.#acquire(key, lockKey, token);
      const lost = new AbortController();
      const stopRenewing = this.#renew(lockKey, token, lost);
      try {
        return await task({ fencingToken, lost: lost.signal });
      } finally {
        stopRenewing();
        // A failed release leaves the lock to expire after its TTL; the task's outcome stands.
        await this.#conn.eval("release lock", DELETE_OWNED, [lockKey], [token]).catch((error: unknown) => this.log.warn({ err: error, key }, "lock not released (it expires by itself)"));
      }
    });
  }

  async #acquire(key: string, lockKey: string, token: string): Promise<number> {
    const deadline = Date.now() + this.options.lockWaitMs;
    for (let attempt = 0; ; attempt++) {
      const fence = await this.#conn.eval("acquire lock", ACQUIRE_LOCK, [lockKey, `${this.#prefix}fence:${key}`], [token, this.options.lockTtlMs]);
      if (typeof fence === "string") return Number(fence);
      if (Date.now() >= deadline) {
        throw new CoordinationUnavailable("lock_wait_exceeded", `lock ${key}: still held by another replica after ${this.options.lockWaitMs} ms (FLEETWARD_LOCK_WAIT)`);
      }
      const pause = Math.min(25 * 2 ** attempt, 500) * (0.5 + Math.random() / 2);
      await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    }
  }

  /** Extends the lock every third of its TTL; aborts `lost` when it was taken over or could not be confirmed in time. */
  #renew(lockKey: string, token: string, lost: AbortController): () => void {
    const ttl = this.options.lockTtlMs;
    let confirmedAt = Date.now();
    const timer = setInterval(() => {
      this.#conn.eval("renew lock", EXTEND_OWNED, [lockKey], [token, ttl]).then(
        (extended) => {
          if (extended === 1) confirmedAt = Date.now();
          else lost.abort(new Error(`lock ${lockKey} expired or was taken over`));
        },
        (error: unknown) => {
          if (Date.now() - confirmedAt >= ttl) lost.abort(error);
        },
      );
    }, Math.max(1, Math.floor(ttl / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  leader(name: string): LeaderLease {
    let lease = this.#leases.get(name);
    if (!lease) {
      const key = `${this.#prefix}leader:${name}`;
      const ttl = this.options.lockTtlMs;
      lease = new RedisLease({
        takeOrExtend: async () => (await this.#conn.eval("take lease", TAKE_OR_EXTEND_LEASE, [key], [this.instanceId, ttl])) === 1,
        release: async () => void (await this.#conn.eval("release lease", DELETE_OWNED, [key], [this.instanceId])),
        renewEveryMs: Math.max(1, Math.floor(ttl / 3)),
      });
      this.#leases.set(name, lease);
    }
    return lease;
  }

  async once(key: string, ttlMs: number): Promise<boolean> {
    const set = await this.#conn.call("once", (r) => r.set(`${this.#prefix}once:${key}`, this.instanceId, "PX", ttlMs, "NX"));
    return set === "OK";
  }

  async noteFailedAfterAnswer(guid: string): Promise<void> {
    const key = `${this.#prefix}failed-after-answer`;
    const now = Date.now();
    const replies = await this.#conn.call("note failed delivery", (r) =>
      r
        .multi()
        .zadd(key, now + FAILED_AFTER_ANSWER_TTL_MS, guid)
        .zremrangebyscore(key, "-inf", now)
        .zremrangebyrank(key, 0, -(MAX_FAILED_AFTER_ANSWER + 1))
        .pexpire(key, FAILED_AFTER_ANSWER_TTL_MS)
        .exec(),
    );
    const failed = replies?.find(([error]) => error !== null)?.[0];
    if (failed) throw new CoordinationUnavailable("store_unreachable", `Redis note failed delivery: ${failed.message}`, { cause: failed });
  }

  async failedAfterAnswer(): Promise<string[]> {
    return this.#conn.call("list failed deliveries", (r) => r.zrangebyscore(`${this.#prefix}failed-after-answer`, `(${Date.now()}`, "+inf"));
  }

  async forgetFailedAfterAnswer(guids: readonly string[]): Promise<void> {
    if (guids.length === 0) return;
    await this.#conn.call("forget failed deliveries", (r) => r.zrem(`${this.#prefix}failed-after-answer`, ...guids));
  }

  async ensureReachable(): Promise<void> {
    await this.#conn.call("ping", (r) => r.ping());
  }

  async close(): Promise<void> {
    await Promise.all([...this.#leases.values()].map((l) => l.release().catch(() => undefined)));
    this.#conn.close();
  }
}
