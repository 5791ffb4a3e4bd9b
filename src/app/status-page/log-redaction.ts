/**
 * What the request log must not hold: credentials in headers (replaced whole) and the OAuth callback's one-time
 * `code` and `state` (the query of `/fleet/callback` is dropped; other URLs stay as they are).
 */
import { CALLBACK_PATH } from "./status-page-settings.js";

/** The log paths this censor is given (pino `redact.paths`). */
export const REDACTED_LOG_PATHS = ["req.headers.authorization", 'req.headers["proxy-authorization"]', "req.headers.cookie", "req.url"];

/** pino's `redact.censor`: the replacement of a value at one of `REDACTED_LOG_PATHS`. */
export function censorLogValue(value: unknown, path: string[]): unknown {
  if (path[path.length - 1] !== "url") return "[redacted]";
  const url = String(value);
  return url.startsWith(`${CALLBACK_PATH}?`) ? `${CALLBACK_PATH}?[redacted]` : url;
}
