/**
 * Location-free copies of AST nodes, for comparing trees structurally (round trips, golden files).
 * Drops `span`, comment lists, and the metadata `lineStarts`; everything else is kept.
 */
const DROPPED = new Set(["span", "comments", "lineStarts", "lineColumns"]);

export function stripSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSpans);
  if (node !== null && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (DROPPED.has(k) || v === undefined) continue;
      out[k] = stripSpans(v);
    }
    return out;
  }
  return node;
}

/** Structural equality of two nodes, ignoring locations and comments. */
export function astEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(stripSpans(a)) === JSON.stringify(stripSpans(b));
}
