/**
 * Creates that never duplicate. A POST that GitHub (or a proxy in front of it) answers 5xx, or that dies on the
 * network, may have been applied anyway; octokit's retry plugin would then send it again and open a second issue,
 * comment or pull request. So every non-idempotent create here is sent with octokit's retries off
 * (`NO_RETRY`), and on such an uncertain failure `createOnce` first looks up whether the write landed (by what the
 * write itself carries: a title and body, a head and base, a check name and commit) and adopts it; only when it did
 * not land is the create sent again, a bounded number of times with backoff, looking up again before each retry.
 */

/** Request options that turn @octokit/plugin-retry off for one request (it reads `request.retries`). */
export const NO_RETRY = { request: { retries: 0 } } as const;

/** Attempts at the create in all (the first one included). */
export const CREATE_ATTEMPTS = 3;

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("status" in error)) return undefined;
  const status = (error as { status: unknown }).status;
  return typeof status === "number" ? status : undefined;
}

/**
 * Whether a failed write may have been applied: a 5xx, a 408, or no HTTP answer at all (network error, timeout; octokit
 * reports those with status 500 or none). A 4xx other than 408 is a definite refusal: nothing was written.
 */
export function isUncertainFailure(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined || status === 0) return true;
  return status >= 500 || status === 408;
}

/** Milliseconds to wait before the lookup that follows failed attempt `attempt` (1-based): 250, 1000, 2250… */
export function backoffMs(attempt: number, baseMs = 250): number {
  return baseMs * attempt * attempt;
}

export interface CreateOnceSteps<T> {
  /** The write, sent with `NO_RETRY`. */
  create: () => Promise<T>;
  /** What the write would have made, when it exists already; null when it does not. */
  findExisting: () => Promise<T | null>;
  /**
   * A definite failure meaning "this exists already" (e.g. GitHub's 422 "A pull request already exists"). On a retry
   * (an earlier attempt failed uncertainly, so it may be ours) the existing one is looked up and adopted, the error
   * thrown when the lookup finds nothing. On the first attempt it is thrown as is: what exists was made by someone
   * else, and the caller decides.
   */
  isConflict?: (error: unknown) => boolean;
  /** Default `CREATE_ATTEMPTS`. */
  attempts?: number;
  /** Default `setTimeout`; tests pass their own. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `create` until it succeeds, adopting what `findExisting` finds after an uncertain failure or a conflict on a
 * retry. Throws the last create error when every attempt failed and nothing was found, a definite (4xx) error at
 * once, and a lookup's own error as is (better no write than a duplicate). Waits 250 + 1,000 + 2,250 ms at most in all.
 */
export async function createOnce<T>(steps: CreateOnceSteps<T>): Promise<T> {
  const attempts = steps.attempts ?? CREATE_ATTEMPTS;
  const sleep = steps.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await steps.create();
    } catch (error) {
      const conflict = attempt > 1 && (steps.isConflict?.(error) ?? false);
      if (!conflict && !isUncertainFailure(error)) throw error;
      if (!conflict) await sleep(backoffMs(attempt));
      const existing = await steps.findExisting();
      if (existing !== null) return existing;
      if (conflict || attempt >= attempts) throw error;
    }
  }
}
