/**
 * Alert label matchers in Prometheus/Alertmanager syntax: `name=value`, `name!=value`, `name=~regex`,
 * `name!~regex`. Regexes are fully anchored (as Prometheus does); a label the alert lacks counts as `""`.
 */

export type MatchOperator = "=" | "!=" | "=~" | "!~";

export interface LabelMatcher {
  name: string;
  operator: MatchOperator;
  value: string;
  /** The anchored regex for `=~`/`!~`. */
  regex: RegExp | null;
  /** The matcher as written. */
  text: string;
}

export type ParseMatcherResult = { ok: true; matcher: LabelMatcher } | { ok: false; error: string };

const MATCHER_RE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;
/** Regexes come from committed configuration; a cap keeps their compile and match cost bounded. */
export const MAX_MATCHER_LENGTH = 512;

function unquote(raw: string): { ok: true; value: string } | { ok: false; error: string } {
  if (!raw.startsWith('"')) return { ok: true, value: raw };
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === "string") return { ok: true, value };
  } catch {
    // fall through
  }
  return { ok: false, error: `matcher value ${raw} is not a valid double-quoted string` };
}

/** Parses one matcher; never throws. */
export function parseLabelMatcher(text: string): ParseMatcherResult {
  if (text.length > MAX_MATCHER_LENGTH) return { ok: false, error: `matcher is longer than ${MAX_MATCHER_LENGTH} characters` };
  const m = MATCHER_RE.exec(text);
  if (!m) {
    return { ok: false, error: `matcher ${JSON.stringify(text)} is not of the form name=value, name!=value, name=~regex or name!~regex` };
  }
  const [, name = "", op = "=", rawValue = ""] = m;
  const unquoted = unquote(rawValue);
  if (!unquoted.ok) return unquoted;
  const operator = op as MatchOperator;
  let regex: RegExp | null = null;
  if (operator === "=~" || operator === "!~") {
    try {
      regex = new RegExp(`^(?:${unquoted.value})$`, "u");
    } catch (e) {
      return { ok: false, error: `matcher ${JSON.stringify(text)} has an invalid regex: ${(e as Error).message}` };
    }
  }
  return { ok: true, matcher: { name, operator, value: unquoted.value, regex, text } };
}

/** Whether a label set satisfies one matcher (a missing label is `""`). */
export function matchesLabelMatcher(labels: Readonly<Record<string, string>>, matcher: LabelMatcher): boolean {
  const value = Object.prototype.hasOwnProperty.call(labels, matcher.name) ? (labels[matcher.name] ?? "") : "";
  switch (matcher.operator) {
    case "=":
      return value === matcher.value;
    case "!=":
      return value !== matcher.value;
    case "=~":
      return matcher.regex?.test(value) ?? false;
    case "!~":
      return !(matcher.regex?.test(value) ?? false);
  }
}
