/** A leader lease held in a shared store: asked on each tick, renewed in the background while held. */
import type { LeaderLease } from "./coordinator.js";

export interface LeaseStore {
  /** Takes the lease when free or extends it when this replica holds it: true when held afterwards. */
  takeOrExtend(): Promise<boolean>;
  /** Deletes the lease when this replica holds it. */
  release(): Promise<void>;
  renewEveryMs: number;
}

export class RedisLease implements LeaderLease {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: LeaseStore) {}

  async isLeader(): Promise<boolean> {
    let held = false;
    try {
      held = await this.store.takeOrExtend();
    } finally {
      this.#keepRenewing(held);
    }
    return held;
  }

  /** While held, the lease is extended in the background so the leader stays leader between ticks. */
  #keepRenewing(held: boolean): void {
    if (!held) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.store.takeOrExtend().then(
        (still) => {
          if (!still) this.#keepRenewing(false);
        },
        () => undefined, // unreachable store: the lease expires by itself unless a later renewal reaches it
      );
    }, this.store.renewEveryMs);
    this.#timer.unref();
  }

  async release(): Promise<void> {
    this.#keepRenewing(false);
    await this.store.release();
  }
}
