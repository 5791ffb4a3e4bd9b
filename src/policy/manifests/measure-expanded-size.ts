/** Outcome of counting a decoded value's nodes with every alias expanded. */
export type ExpandedSize = { ok: true; nodes: number } | { ok: false; reason: "limit" | "cycle" };

/**
 * Counts the nodes a value would have if every shared reference (a YAML alias) were copied out, stopping as soon as
 * `limit` is passed. Shared sub-trees are counted once per use but walked once (memoised), so a "billion laughs"
 * document is rejected in time proportional to its source, not its expansion. A reference cycle is reported.
 */
export function measureExpandedSize(value: unknown, limit: number): ExpandedSize {
  const memo = new Map<object, number>();
  const active = new Set<object>();
  let failure: "limit" | "cycle" | undefined;

  const visit = (v: unknown): number => {
    if (failure !== undefined) return 0;
    if (v === null || typeof v !== "object") return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (active.has(v)) {
      failure = "cycle";
      return 0;
    }
    active.add(v);
    let total = 1;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const child of children) {
      total += visit(child);
      if (failure !== undefined) return 0;
      if (total > limit) {
        failure = "limit";
        return 0;
      }
    }
    active.delete(v);
    memo.set(v, total);
    return total;
  };

  const nodes = visit(value);
  if (failure !== undefined) return { ok: false, reason: failure };
  if (nodes > limit) return { ok: false, reason: "limit" };
  return { ok: true, nodes };
}
