/**
 * What several replicas of the app must share (issue 15): the per-repository serialization, who runs the periodic
 * jobs, and de-duplication. Two implementations: in memory (one replica, the default) and Redis (`REDIS_URL`).
 * Both fail closed: when the shared store cannot be reached an operation throws `CoordinationUnavailable` quickly,
 * and the caller answers with an error (an alert route 503, a webhook delivery fails) rather than going on alone.
 */
import { DEFAULT_REDELIVERY_OPTIONS } from "../../redelivery/plan-redeliveries.js";

/** What a task holding a lock is given. */
export interface HeldLock {
  /** Larger than the token of every earlier holder of the same key (a writer can refuse an older holder's write). */
  readonly fencingToken: number;
  /** Aborted when this process can no longer be sure it holds the lock (expired, taken over, store unreachable). */
  readonly lost: AbortSignal;
}

/** A named leader lease: at most one replica holds it at a time; a crashed holder's lease expires. */
export interface LeaderLease {
  /** True when this replica holds the lease now (taking it when free, extending it when held); throws CoordinationUnavailable. */
  isLeader(): Promise<boolean>;
  /** Gives the lease up (when held) and stops renewing it. */
  release(): Promise<void>;
}

export interface Coordinator {
  readonly kind: "memory" | "redis";
  /** Runs `task` while holding the lock `key`, after the earlier holders (first come, first served in this process). */
  withLock<T>(key: string, task: (lock: HeldLock) => Promise<T>): Promise<T>;
  /** The lease `name` (one object per name and coordinator). */
  leader(name: string): LeaderLease;
  /** True for the first caller of `key` within `ttlMs` among all replicas; false for the others. */
  once(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Throws CoordinationUnavailable (within the store timeout) when the shared store cannot be reached. A webhook handler
   * that will need a lock calls it first, so that it fails before Probot's 9 s answer (202) and GitHub records a
   * failed delivery for the redeliverer, instead of failing after the 202 where nothing would redeliver it.
   */
  ensureReachable(): Promise<void>;
  /**
   * Records a webhook delivery (its X-GitHub-Delivery GUID) whose handlers failed after Probot had answered it 202:
   * GitHub counts it as delivered, so the redeliverer (any replica's leader) asks for it from this list. Kept
   * `FAILED_AFTER_ANSWER_TTL_MS`, at most `MAX_FAILED_AFTER_ANSWER` (the oldest go first).
   */
  noteFailedAfterAnswer(guid: string): Promise<void>;
  /** The GUIDs recorded by `noteFailedAfterAnswer` and not yet expired or forgotten. */
  failedAfterAnswer(): Promise<string[]>;
  /** Forgets GUIDs (asked for, or never to be asked for). */
  forgetFailedAfterAnswer(guids: readonly string[]): Promise<void>;
  /** Releases leases and closes the connection. */
  close(): Promise<void>;
}

/** How long a delivery that failed after its answer is remembered: as long as the redeliverer still asks for an event. */
export const FAILED_AFTER_ANSWER_TTL_MS = DEFAULT_REDELIVERY_OPTIONS.maxAgeMs;
/** How many such deliveries are remembered at most. */
export const MAX_FAILED_AFTER_ANSWER = 1_000;

export type CoordinationFailure = "store_unreachable" | "lock_wait_exceeded";

/** The shared store cannot be reached (or a lock could not be had in time): nothing was done, retry later. */
export class CoordinationUnavailable extends Error {
  constructor(
    readonly code: CoordinationFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CoordinationUnavailable";
  }
}
