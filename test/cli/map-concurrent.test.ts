import { limiter, mapConcurrent } from "../../src/cli/map-concurrent.js";

/** A promise settled from outside, to control the order calls finish in. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("mapConcurrent", () => {
  test("keeps at most `limit` calls in flight and returns results in the items' order, whatever finishes first", async () => {
    const gates = Array.from({ length: 7 }, () => deferred<void>());
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const run = mapConcurrent([0, 1, 2, 3, 4, 5, 6], 3, async (n) => {
      started.push(n);
      inFlight++;
      most = Math.max(most, inFlight);
      await gates[n]?.promise;
      inFlight--;
      return n * 10;
    });
    await tick();
    expect(started).toEqual([0, 1, 2]);
    // Finish in reverse order.
    for (const n of [2, 1, 0, 6, 5, 4, 3]) {
      gates[n]?.resolve();
      await tick();
    }
    expect(await run).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(most).toBe(3);
  });

  test("an empty list, and a rejection rejects the map", async () => {
    expect(await mapConcurrent([], 4, () => Promise.resolve(1))).toEqual([]);
    await expect(mapConcurrent([1, 2, 3], 2, (n) => (n === 2 ? Promise.reject(new Error("two")) : Promise.resolve(n)))).rejects.toThrow("two");
  });
});

describe("limiter", () => {
  test("runs at most `max` at once, the waiting ones in order, and frees the slot after a failure", async () => {
    const limit = limiter(2);
    const gates = Array.from({ length: 5 }, () => deferred<void>());
    const order: number[] = [];
    let inFlight = 0;
    let most = 0;
    const runs = gates.map((g, n) =>
      limit(async () => {
        order.push(n);
        inFlight++;
        most = Math.max(most, inFlight);
        await g.promise;
        inFlight--;
        if (n === 1) throw new Error("one");
        return n;
      }),
    );
    await tick();
    expect(order).toEqual([0, 1]);
    gates[1]?.resolve();
    await expect(runs[1]).rejects.toThrow("one");
    await tick();
    expect(order).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    expect(await Promise.all([runs[0], runs[2], runs[3], runs[4]])).toEqual([0, 2, 3, 4]);
    expect(most).toBe(2);
  });
});
