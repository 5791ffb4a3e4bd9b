/**
 * Which unknown `/word` comments deserve an answer. Comments start with slashes for many reasons (`/cc @team`,
 * other bots' commands, paths), so the app answers only a near miss of one of its commands (a typo: edit distance
 * 2 at most) or a comment that mentions the app. Pure.
 */

/** Levenshtein distance between `a` and `b`, or `max + 1` as soon as it is sure to exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > max) return max + 1;
    previous = row;
  }
  return previous[b.length] ?? max + 1;
}

/** Edits a word may be away from a command to count as a typo of it. */
export const MAX_COMMAND_TYPO = 2;

export type UnknownCommandAnswer = { answer: false } | { answer: true; suggestion: string | null };

/**
 * `word` (lower case, with its slash) matched no command: answer when it is within `MAX_COMMAND_TYPO` edits of a
 * command (suggesting the nearest) or when `body` mentions the app (`@slug` or `@slug[bot]`); otherwise stay silent.
 */
export function answerUnknownCommand(input: { word: string; commands: readonly string[]; body: string; appSlug: string }): UnknownCommandAnswer {
  let suggestion: string | null = null;
  let nearest = MAX_COMMAND_TYPO + 1;
  for (const command of input.commands) {
    const d = editDistance(input.word, command, MAX_COMMAND_TYPO);
    if (d < nearest) [nearest, suggestion] = [d, command];
  }
  if (suggestion !== null) return { answer: true, suggestion };
  return mentions(input.body, input.appSlug) ? { answer: true, suggestion: null } : { answer: false };
}

/** Whether `body` mentions `@slug` (or `@slug[bot]`) as a whole login. */
export function mentions(body: string, slug: string): boolean {
  if (slug === "") return false;
  const lower = body.toLowerCase();
  const needle = `@${slug.toLowerCase()}`;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) {
    const before = at === 0 ? "" : (lower[at - 1] ?? "");
    const after = lower[at + needle.length] ?? "";
    if (!/[a-z0-9_-]/.test(before) && !/[a-z0-9-]/.test(after)) return true;
  }
  return false;
}
