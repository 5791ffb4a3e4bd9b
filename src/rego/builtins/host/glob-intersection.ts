/**
 * `regex.globs_match`: whether two simple patterns match at least one common string. The patterns use the
 * syntax OPA accepts there: literals, `\` escapes, `.` (any character), classes `[a-z]`/`[^…]` and the
 * quantifiers `*` and `+`. Each pattern becomes a chain of character sets; the intersection is non-empty if
 * the end of both chains is reachable in their product.
 */
import { builtinError } from "./operands.js";

interface CharSet {
  negate: boolean;
  /** Inclusive code point ranges; `.` is the negation of nothing. */
  ranges: Array<readonly [number, number]>;
}

interface Token {
  set: CharSet;
  repeat: boolean;
}

function invalid(name: string, pattern: string, pos: number, why: string): Error {
  return builtinError(`${name}: input:${pattern}, pos:${pos}, ${why}: the input provided is invalid`);
}

function parsePattern(name: string, pattern: string): Token[] {
  const chars = [...pattern];
  const out: Token[] = [];
  const literal = (c: string): CharSet => ({ negate: false, ranges: [[c.codePointAt(0) ?? 0, c.codePointAt(0) ?? 0]] });
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === "*" || c === "+") {
      const prev = out[out.length - 1];
      if (!prev || prev.repeat || chars[i - 1] === "*" || chars[i - 1] === "+") throw invalid(name, pattern, i + 1, `quantifier '${c}' with no preceding token`);
      // `x+` is `x` followed by `x*`.
      if (c === "+") out.push({ set: prev.set, repeat: true });
      else prev.repeat = true;
    } else if (c === ".") out.push({ set: { negate: true, ranges: [] }, repeat: false });
    else if (c === "\\") {
      const next = chars[++i];
      if (next === undefined) throw invalid(name, pattern, i, "escape '\\' at end of input");
      out.push({ set: literal(next), repeat: false });
    } else if (c === "]") throw invalid(name, pattern, i + 1, "set-close ']' with no preceding '['");
    else if (c === "[") {
      const start = i;
      const set: CharSet = { negate: chars[i + 1] === "^", ranges: [] };
      if (set.negate) i++;
      let closed = false;
      while (++i < chars.length) {
        let ch = chars[i] as string;
        if (ch === "]") {
          closed = true;
          break;
        }
        if (ch === "\\" && i + 1 < chars.length) ch = chars[++i] as string;
        const lo = ch.codePointAt(0) ?? 0;
        if (chars[i + 1] === "-" && i + 2 < chars.length && chars[i + 2] !== "]") {
          let hiCh = chars[i + 2] as string;
          i += 2;
          if (hiCh === "\\" && i + 1 < chars.length) hiCh = chars[++i] as string;
          const hi = hiCh.codePointAt(0) ?? 0;
          if (hi < lo) throw invalid(name, pattern, i + 1, "range end before range start");
          set.ranges.push([lo, hi]);
        } else set.ranges.push([lo, lo]);
      }
      if (!closed) throw invalid(name, pattern, start + 1, "set-open '[' with no following ']'");
      out.push({ set, repeat: false });
    } else out.push({ set: literal(c), repeat: false });
  }
  return out;
}

function contains(set: CharSet, cp: number): boolean {
  return set.ranges.some(([lo, hi]) => cp >= lo && cp <= hi) !== set.negate;
}

/** Whether some code point is in both sets: membership only changes at range boundaries, so test those. */
function overlaps(a: CharSet, b: CharSet): boolean {
  const candidates = [0, 0x10ffff];
  for (const [lo, hi] of [...a.ranges, ...b.ranges]) candidates.push(lo, hi, Math.max(0, lo - 1), Math.min(0x10ffff, hi + 1));
  return candidates.some((cp) => contains(a, cp) && contains(b, cp));
}

export function globsIntersect(name: string, first: string, second: string): boolean {
  const a = parsePattern(name, first);
  const b = parsePattern(name, second);
  const seen = new Set<string>();
  const queue: Array<[number, number]> = [[0, 0]];
  while (queue.length > 0) {
    const [i, j] = queue.pop() as [number, number];
    const key = `${i},${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const ta = a[i];
    const tb = b[j];
    // A repeated token may match nothing.
    if (ta?.repeat) queue.push([i + 1, j]);
    if (tb?.repeat) queue.push([i, j + 1]);
    if (ta && tb && overlaps(ta.set, tb.set)) queue.push([ta.repeat ? i : i + 1, tb.repeat ? j : j + 1]);
  }
  return false;
}
