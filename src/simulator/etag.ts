/**
 * Conditional requests, as GitHub answers them: every successful GET carries an `ETag` (a hash of the answer);
 * a request whose `If-None-Match` names the current one gets `304 Not Modified` with no body, which GitHub does not
 * count against the rate limit (the simulator's `x-ratelimit-remaining` is not lowered either).
 */
import { createHash } from "node:crypto";

/** The strong ETag of an answer body. */
export function etagOf(body: string): string {
  return `"${createHash("sha256").update(body).digest("hex").slice(0, 40)}"`;
}

/** True when `ifNoneMatch` (a list of tags, weak or strong, or `*`) names `etag`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });
}

/**
 * The answer to send for a request: a successful GET gets its `ETag`, and becomes `304` with no body when the request's
 * `If-None-Match` names it.
 */
export function conditionalAnswer(
  method: string,
  ifNoneMatch: string | undefined,
  answer: { status: number; body: unknown; headers: Record<string, string> },
): { status: number; body: unknown; headers: Record<string, string> } {
  if (method !== "GET" || answer.status !== 200) return answer;
  const etag = etagOf(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? null));
  if (etagMatches(ifNoneMatch, etag)) return { status: 304, body: undefined, headers: { ...answer.headers, etag } };
  return { ...answer, headers: { ...answer.headers, etag } };
}
