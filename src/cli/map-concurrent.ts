/**
 * Bounded concurrency for the CLI's file reads, so that reading 100,000 files neither waits for each in turn nor
 * opens them all at once.
 */

/** How many files (or folders) the CLI reads at once: enough to keep the disk and libuv's pool busy, few handles. */
export const READ_CONCURRENCY = 32;

/** A gate that lets at most `max` of the calls it is given run at once; the others wait their turn, in order. */
export function limiter(max: number): <R>(fn: () => Promise<R>) => Promise<R> {
  let running = 0;
  // A queue read from `head` (shift() would copy the array: quadratic with 100,000 waiters).
  let waiting: Array<() => void> = [];
  let head = 0;
  return async <R>(fn: () => Promise<R>): Promise<R> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const next = waiting[head];
      if (next !== undefined) {
        head++;
        if (head === waiting.length) [waiting, head] = [[], 0];
        next();
      } else running--;
    }
  };
}

/** `fn` over `items`, at most `limit` calls in flight; the results in the order of `items`, whatever finished first. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
