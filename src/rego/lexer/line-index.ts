import type { SourcePosition, SourceSpan } from "../diagnostics.js";

/**
 * Maps UTF-16 offsets of one source text to 1-based line/column positions (columns count UTF-16 units).
 * Lines end at `\n`; a `\r` before it belongs to the line.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.starts = starts;
    this.slot = new Int32Array(text.length + 1);
  }

  /** Positions already computed (shared: positions are immutable values); `slot` maps offset → index+1. */
  private readonly slot: Int32Array;
  private readonly positions: SourcePosition[] = [];

  position(offset: number): SourcePosition {
    const o = offset < 0 ? 0 : offset > this.text.length ? this.text.length : offset;
    const k = this.slot[o] as number;
    if (k > 0) return this.positions[k - 1] as SourcePosition;
    const pos = this.compute(o);
    this.positions.push(pos);
    this.slot[o] = this.positions.length;
    return pos;
  }

  /** Line index (0-based) of the last lookup: spans are mostly requested in source order. */
  private hint = 0;

  private compute(o: number): SourcePosition {
    const starts = this.starts;
    const h = this.hint;
    if ((starts[h] as number) <= o && (h + 1 >= starts.length || (starts[h + 1] as number) > o)) {
      return { offset: o, line: h + 1, column: o - (starts[h] as number) + 1 };
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    this.hint = lo;
    return { offset: o, line: lo + 1, column: o - (starts[lo] as number) + 1 };
  }

  span(start: number, end: number): SourceSpan {
    return { file: this.file, start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** Offset of the first character of a 1-based line (clamped). */
  lineStart(line: number): number {
    const i = Math.max(0, Math.min(line - 1, this.starts.length - 1));
    return this.starts[i] as number;
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
