/** Units a duration string may use, in milliseconds. */
const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The JSON-Schema pattern of a duration (also used in the generated schema). */
export const DURATION_PATTERN = "^([0-9]+[smhdw])+$";

/** Longest duration accepted: 10 years, far beyond any lookback or soak time and safe as a JS number. */
export const MAX_DURATION_MS = 3650 * 86_400_000;

export type DurationResult = { ok: true; ms: number } | { ok: false; error: string };

/**
 * Parses `30s`, `30m`, `2h`, `7d`, `1w` or a sum such as `1h30m` into milliseconds. Never throws: a bad
 * string gives `{ ok: false, error }` whose error says what was expected.
 */
export function parseDuration(text: string): DurationResult {
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  if (!new RegExp(DURATION_PATTERN).test(text)) {
    return {
      ok: false,
      error: `invalid duration ${shown}: expected a number followed by a unit (s, m, h, d or w), e.g. "30m", "2h", "7d" or "1h30m"`,
    };
  }
  let ms = 0;
  for (const match of text.matchAll(/([0-9]+)([smhdw])/g)) {
    const amount = Number(match[1]);
    const unit = UNIT_MS[match[2] ?? ""] ?? 0;
    ms += amount * unit;
  }
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) {
    return { ok: false, error: `invalid duration ${shown}: longer than the maximum of 3650d` };
  }
  return { ok: true, ms };
}
