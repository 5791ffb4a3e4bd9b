import { LruCache } from "../../src/app/lru-cache.js";

describe("LruCache", () => {
  test("bounded by count: setting refreshes, the oldest goes first", () => {
    const c = new LruCache<number>(2);
    c.set("a", 1);
    c.set("b", 2);
    c.set("a", 10); // a is now the newest
    c.set("c", 3);
    expect([c.has("a"), c.has("b"), c.has("c")]).toEqual([true, false, true]);
    expect(c.get("a")).toBe(10);
    expect(c.size).toBe(2);
  });

  test("bounded by weight: replacing an entry counts its new weight only", () => {
    const c = new LruCache<string>(10, (s) => s.length);
    c.set("x", "aaaa");
    c.set("y", "bbbb");
    c.set("x", "aa");
    expect(c.totalWeight).toBe(6);
    c.set("z", "cccccc"); // 12 > 10: y (the oldest now) goes
    expect([c.has("x"), c.has("y"), c.has("z")]).toEqual([true, false, true]);
    expect(c.totalWeight).toBe(8);
  });

  test("an entry heavier than the bound stays alone as the newest", () => {
    const c = new LruCache<string>(3, (s) => s.length);
    c.set("a", "aa");
    c.set("big", "bbbbbbbb");
    expect([c.has("a"), c.has("big"), c.totalWeight]).toEqual([false, true, 8]);
  });
});
