/**
 * A small seeded PRNG (mulberry32): numbers in [0, 1), the same sequence for the same seed, so generated inputs
 * (the bench's manifests, the fuzz and property tests' mutations) can be replayed. One copy for the bench and the
 * tests: bench/ is in both their TypeScript projects (tsconfig.bench.json, tsconfig.json).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
