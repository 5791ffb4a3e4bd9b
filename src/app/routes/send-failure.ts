import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import { sendJson } from "./send-json.js";
import { CoordinationUnavailable } from "../coordination/coordinator.js";

function statusOf(error: unknown): number | null {
  return typeof error === "object" && error !== null && "status" in error && typeof (error as { status: unknown }).status === "number"
    ? (error as { status: number }).status
    : null;
}

/** True for failures worth retrying: GitHub 5xx, rate limits (429, 403 with a rate-limit message), network errors. */
export function isTransientFailure(error: unknown): boolean {
  const status = statusOf(error);
  if (status === null) return true;
  if (status >= 500 || status === 429) return true;
  return status === 403 && /rate limit/i.test(error instanceof Error ? error.message : "");
}

/**
 * The answer when the work failed before it was done: 503 with `Retry-After` for transient failures (the
 * sender retries; the work is idempotent), 500 otherwise. Either way a 5xx, never a false success. The body
 * says what failed in general terms and carries a request id; the error itself is only logged, with that id.
 */
export function sendFailure(res: ServerResponse, error: unknown, log: Logger, what: string): void {
  const transient = isTransientFailure(error);
  const requestId = randomUUID();
  const message = error instanceof Error ? error.message : String(error);
  log.error({ err: error, transient, status: statusOf(error), requestId }, `${what} failed: ${message}`);
  if (error instanceof CoordinationUnavailable) {
    // Several replicas share locks in Redis (REDIS_URL): without them nothing is done, so no duplicate is opened.
    const why = error.code === "lock_wait_exceeded" ? "another replica holds this repository's lock" : "the coordination store (Redis) is unreachable";
    sendJson(res, 503, { error: "coordination_unavailable", message: `${what}: nothing was done, ${why}; retry later`, requestId }, { headers: { "retry-after": "30" } });
    return;
  }
  if (transient) sendJson(res, 503, { error: "unavailable", message: `${what} failed, retry later`, requestId }, { headers: { "retry-after": "30" } });
  else sendJson(res, 500, { error: "internal", message: `${what} failed`, requestId });
}
