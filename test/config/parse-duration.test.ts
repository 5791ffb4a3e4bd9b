import { MAX_DURATION_MS, parseDuration } from "../../src/config/parse-duration.js";

describe("parseDuration", () => {
  test.each([
    ["30s", 30_000],
    ["30m", 1_800_000],
    ["2h", 7_200_000],
    ["7d", 604_800_000],
    ["1w", 604_800_000],
    ["1h30m", 5_400_000],
    ["0s", 0],
    ["3650d", MAX_DURATION_MS],
  ])("%s", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  test.each(["", "7", "d", "7 d", "7days", "-1h", "1.5h", "7D", " 7d", "1h 30m", "7y"])("rejects %j", (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBe(`invalid duration ${JSON.stringify(text)}: expected a number followed by a unit (s, m, h, d or w), e.g. "30m", "2h", "7d" or "1h30m"`);
  });

  test("rejects durations beyond the maximum and huge numbers", () => {
    expect(parseDuration("3651d")).toEqual({ ok: false, error: 'invalid duration "3651d": longer than the maximum of 3650d' });
    const huge = parseDuration(`${"9".repeat(400)}s`);
    expect(huge.ok).toBe(false);
    if (!huge.ok) expect(huge.error).toMatch(/^invalid duration "9{40}…": longer than the maximum/);
  });
});
