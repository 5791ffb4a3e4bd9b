import type { SourceLocation } from "./manifest-types.js";

/** Maps UTF-16 offsets of one text to 1-based line/column pairs (binary search over line starts). */
export class LineIndex {
  private readonly starts: number[];

  constructor(
    private readonly file: string,
    text: string,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  locate(offset: number): SourceLocation {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - (starts[lo] ?? 0) + 1, offset };
  }
}

/**
 * The 1-based lines of ascending UTF-16 offsets of one text (-1: line 1), with LineIndex's line breaks (`\n`, `\r\n`,
 * a lone `\r`), in one pass that stops at the last offset and keeps no index: a file's document start lines,
 * without holding a LineIndex for every file loaded.
 */
export function linesAtOffsets(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let at = 0;
  for (const offset of offsets) {
    if (offset < 0) {
      out.push(1);
      continue;
    }
    if (offset < at) {
      const index = new LineIndex("", text);
      return offsets.map((o) => (o < 0 ? 1 : index.locate(o).line));
    }
    for (; at < offset && at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c === 10 || (c === 13 && text.charCodeAt(at + 1) !== 10)) line++;
    }
    out.push(line);
  }
  return out;
}
