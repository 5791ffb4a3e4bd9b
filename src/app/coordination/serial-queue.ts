/**
 * Runs tasks one after another per key (e.g. per repository), first come first served, in this process: the
 * in-memory coordinator's locks, and the Redis coordinator's local order before its shared lock. So two deliveries
 * of the same alert group (two Alertmanagers in HA, a retry racing the original) never plan against the same stale
 * state. A failed task does not stop the next; keys with nothing queued are forgotten.
 */
export class SerialQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
