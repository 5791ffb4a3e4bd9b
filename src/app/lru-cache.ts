/**
 * A least-recently-set cache bounded by total weight: each entry weighs `weight(value)` (1 by default, so the bound
 * is an entry count); setting a key makes it the newest, and the oldest entries go once the total exceeds
 * `maxWeight` (the newest entry always stays, even when it alone weighs more). Reads do not reorder: the caches of the
 * app refresh an entry by setting it again when they use it.
 */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();
  #total = 0;

  constructor(
    private readonly maxWeight: number,
    private readonly weight: (value: V) => number = () => 1,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The summed weight of the entries. */
  get totalWeight(): number {
    return this.#total;
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  set(key: string, value: V): void {
    if (this.#entries.has(key)) {
      this.#total -= this.weight(this.#entries.get(key) as V);
      this.#entries.delete(key);
    }
    this.#entries.set(key, value);
    this.#total += this.weight(value);
    for (const [oldest, v] of this.#entries) {
      if (this.#total <= this.maxWeight || oldest === key) break;
      this.#entries.delete(oldest);
      this.#total -= this.weight(v);
    }
  }
}
