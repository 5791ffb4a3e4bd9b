import { diffLines, unifiedHunks } from "../../../src/policy/render/line-diff.js";

/** Length of the longest common subsequence, by dynamic programming: the reference the diff must reach. */
function lcs(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diag = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = x === b[j - 1] ? diag + 1 : Math.max(row[j]!, row[j - 1]!);
      diag = up;
    }
  }
  return row[b.length]!;
}

/** A small deterministic generator (xorshift) so the random cases are the same on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe("diffLines", () => {
  test("random pairs: the script rebuilds both sides and is minimal (keeps an LCS)", () => {
    const next = random(42);
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: Math.floor(next() * 12) }, () => "abcd"[Math.floor(next() * 4)]!);
      const b = Array.from({ length: Math.floor(next() * 12) }, () => "abcd"[Math.floor(next() * 4)]!);
      const d = diffLines(a, b);
      expect(d.filter((l) => l.op !== "+").map((l) => l.text)).toEqual(a);
      expect(d.filter((l) => l.op !== "-").map((l) => l.text)).toEqual(b);
      expect(d.filter((l) => l.op === " ").length).toBe(lcs(a, b));
    }
  });

  test("past maxEdits the middle is replaced whole, still rebuilding both sides", () => {
    const a = ["h", "1", "2", "3", "4", "t"];
    const b = ["h", "5", "6", "7", "8", "t"];
    expect(diffLines(a, b, 2).map((l) => `${l.op}${l.text}`)).toEqual([" h", "-1", "-2", "-3", "-4", "+5", "+6", "+7", "+8", " t"]);
  });
});

describe("unifiedHunks", () => {
  const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
  test("equal texts have no hunk", () => expect(unifiedHunks(a, [...a])).toEqual([]));

  test("one change: a hunk with three lines of context and diff -u's header", () => {
    const b = a.map((l) => (l === "line 10" ? "line ten" : l));
    expect(unifiedHunks(a, b)).toEqual(["@@ -7,7 +7,7 @@", " line 7", " line 8", " line 9", "-line 10", "+line ten", " line 11", " line 12", " line 13"]);
  });

  test("changes far apart are separate hunks; close ones share one; an addition at the end", () => {
    const b = a.map((l) => (l === "line 2" ? "two" : l === "line 4" ? "four" : l === "line 18" ? "eighteen" : l));
    b.push("line 21");
    const hunks = unifiedHunks(a, b).filter((l) => l.startsWith("@@"));
    expect(hunks).toEqual(["@@ -1,7 +1,7 @@", "@@ -15,6 +15,7 @@"]);
    expect(unifiedHunks([], ["x"])).toEqual(["@@ -0,0 +1 @@", "+x"]);
  });
});
