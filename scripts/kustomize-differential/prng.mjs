/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every machine, so the
 * generated kustomization trees are reproducible.
 *
 *   const r = rng(42); r.int(1, 6); r.pick(["a", "b"]); r.chance(0.3); r.sample(xs, 2); r.hex(64)
 */
export function rng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (xs) => xs[int(0, xs.length - 1)];
  const chance = (p) => next() < p;
  /** `n` distinct elements of `xs`, in a random order. */
  const sample = (xs, n) => {
    const copy = [...xs];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.min(n, copy.length));
  };
  const hex = (n) => Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
  return { next, int, pick, chance, sample, hex };
}
