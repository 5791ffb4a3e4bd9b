import { LineIndex, linesAtOffsets } from "../../../src/policy/manifests/line-index.js";

describe("linesAtOffsets", () => {
  test("gives LineIndex's lines for ascending offsets, with \\n, \\r\\n and lone \\r breaks, -1 as line 1", () => {
    const text = "a\nbb\r\nccc\rd\n\ne";
    const offsets = [-1, 0, 1, 2, 4, 5, 6, 9, 10, 11, 12, 13, 99];
    const index = new LineIndex("f", text);
    expect(linesAtOffsets(text, offsets)).toEqual(offsets.map((o) => (o < 0 ? 1 : index.locate(o).line)));
  });

  test("offsets out of order fall back to a LineIndex", () => {
    const text = "a\nb\nc\n";
    expect(linesAtOffsets(text, [4, 0, 2])).toEqual([3, 1, 2]);
  });
});
