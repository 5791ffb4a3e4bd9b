/**
 * A line diff (Myers' O(ND) algorithm after trimming the common head and tail) and its unified form.
 *
 *   diffLines(a, b, maxEdits?) → DiffLine[]
 *   unifiedHunks(a, b, context?) → string[]   (`@@ -1,3 +1,4 @@` headers as diff -u writes them, ` `/`-`/`+` lines;
 *                                             [] when equal)
 *
 * Past `maxEdits` differences the middle is reported as removed then added, so a hostile pair of texts costs
 * O((N + M) · maxEdits) at most.
 */

export interface DiffLine {
  op: " " | "-" | "+";
  text: string;
}

/** The shortest edit script between two line lists (ties keep removals before additions). */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits = 1000): DiffLine[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const same = (lines: readonly string[]) => lines.map((text): DiffLine => ({ op: " ", text }));
  return [...same(a.slice(0, head)), ...middle(x, y, maxEdits), ...same(a.slice(a.length - tail))];
}

function middle(x: readonly string[], y: readonly string[], maxEdits: number): DiffLine[] {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0 || Math.min(n + m, maxEdits) < Math.abs(n - m)) return replaced(x, y);
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let i = takesAddition(v, offset, k, d) ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let j = i - k;
      while (i < n && j < m && x[i] === y[j]) {
        i++;
        j++;
      }
      v[offset + k] = i;
      if (i >= n && j >= m) return backtrack(x, y, trace, offset);
    }
  }
  return replaced(x, y);
}

const replaced = (x: readonly string[], y: readonly string[]): DiffLine[] => [
  ...x.map((text): DiffLine => ({ op: "-", text })),
  ...y.map((text): DiffLine => ({ op: "+", text })),
];

/** Whether diagonal k is reached from k + 1 (an addition) rather than k - 1 (a removal) in round d. */
const takesAddition = (v: Int32Array, offset: number, k: number, d: number) =>
  k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));

/** Walks the saved frontiers back from the end: each round is one removal or addition after a run of equal lines. */
function backtrack(x: readonly string[], y: readonly string[], trace: Int32Array[], offset: number): DiffLine[] {
  const out: DiffLine[] = [];
  let i = x.length;
  let j = y.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d] as Int32Array;
    const k = i - j;
    const prevK = takesAddition(v, offset, k, d) ? k + 1 : k - 1;
    const prevI = d === 0 ? 0 : (v[offset + prevK] as number);
    const prevJ = d === 0 ? 0 : prevI - prevK;
    while (i > prevI && j > prevJ) {
      out.push({ op: " ", text: x[--i] as string });
      j--;
    }
    if (d === 0) break;
    if (i === prevI) out.push({ op: "+", text: y[--j] as string });
    else out.push({ op: "-", text: x[--i] as string });
  }
  return out.reverse();
}

/** The unified diff of two line lists: hunks with `context` unchanged lines around each change. */
export function unifiedHunks(a: readonly string[], b: readonly string[], context = 3): string[] {
  const lines = diffLines(a, b);
  const changed = lines.flatMap((l, i) => (l.op === " " ? [] : [i]));
  const out: string[] = [];
  for (let c = 0; c < changed.length; ) {
    // Changes closer than 2·context unchanged lines share a hunk.
    let last = c;
    while (last + 1 < changed.length && (changed[last + 1] as number) - (changed[last] as number) <= 2 * context + 1) last++;
    const start = Math.max(0, (changed[c] as number) - context);
    const stop = Math.min(lines.length, (changed[last] as number) + context + 1);
    const count = (from: number, to: number, op: "-" | "+") => lines.slice(from, to).filter((l) => l.op === " " || l.op === op).length;
    const aLen = count(start, stop, "-");
    const bLen = count(start, stop, "+");
    const aStart = count(0, start, "-") + (aLen === 0 ? 0 : 1);
    const bStart = count(0, start, "+") + (bLen === 0 ? 0 : 1);
    const range = (from: number, length: number) => (length === 1 ? `${from}` : `${from},${length}`);
    out.push(`@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@`);
    for (const l of lines.slice(start, stop)) out.push(`${l.op}${l.text}`);
    c = last + 1;
  }
  return out;
}
