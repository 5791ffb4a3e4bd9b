/**
 * One replica's coordination (no `REDIS_URL`, today's behaviour): locks are a FIFO queue per key in this process,
 * this process is always the leader, and `once` remembers keys in memory (bounded). Never unavailable.
 */
import { LruCache } from "../lru-cache.js";
import { SerialQueue } from "./serial-queue.js";
import { FAILED_AFTER_ANSWER_TTL_MS, MAX_FAILED_AFTER_ANSWER, type Coordinator, type HeldLock, type LeaderLease } from "./coordinator.js";

/** How many `once` keys one process remembers at most (the oldest are forgotten first). */
const MAX_ONCE_KEYS = 10_000;

export class MemoryCoordinator implements Coordinator {
  readonly kind = "memory";
  readonly #queue = new SerialQueue();
  readonly #fences = new Map<string, number>();
  readonly #once = new LruCache<number>(MAX_ONCE_KEYS);
  /** GUID → expiry time, oldest first. */
  readonly #failedAfterAnswer = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  withLock<T>(key: string, task: (lock: HeldLock) => Promise<T>): Promise<T> {
    return this.#queue.run(key, () => {
      const fencingToken = (this.#fences.get(key) ?? 0) + 1;
      this.#fences.set(key, fencingToken);
      return task({ fencingToken, lost: new AbortController().signal });
    });
  }

  leader(_name: string): LeaderLease {
    return { isLeader: () => Promise.resolve(true), release: () => Promise.resolve() };
  }

  once(key: string, ttlMs: number): Promise<boolean> {
    const until = this.#once.get(key);
    const now = this.now();
    if (until !== undefined && until > now) return Promise.resolve(false);
    this.#once.set(key, now + ttlMs);
    return Promise.resolve(true);
  }

  noteFailedAfterAnswer(guid: string): Promise<void> {
    const now = this.now();
    const marks = this.#failedAfterAnswer;
    marks.delete(guid);
    marks.set(guid, now + FAILED_AFTER_ANSWER_TTL_MS);
    for (const [oldest, until] of marks) {
      if (until > now && marks.size <= MAX_FAILED_AFTER_ANSWER) break;
      marks.delete(oldest);
    }
    return Promise.resolve();
  }

  failedAfterAnswer(): Promise<string[]> {
    const now = this.now();
    return Promise.resolve([...this.#failedAfterAnswer].filter(([, until]) => until > now).map(([guid]) => guid));
  }

  forgetFailedAfterAnswer(guids: readonly string[]): Promise<void> {
    for (const guid of guids) this.#failedAfterAnswer.delete(guid);
    return Promise.resolve();
  }

  ensureReachable(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
