/**
 * Strict nock for a test file: no real network (loopback allowed), any unmatched request fails the test,
 * and so does any expectation left unused; mocks are cleaned after each test.
 * Call `useNockGuard()` at the top level of a test file.
 */
import nock from "nock";

const LOOPBACK = /^(127\.0\.0\.1|localhost)(:\d+)?$/;

export interface NockGuard {
  /** Disables real network (loopback stays reachable) and starts recording unmatched requests. */
  start(): void;
  /** Throws if a request was unmatched or an expectation unused since the last check; always cleans all mocks. */
  check(): void;
  /** Stops recording, removes nock's interception of http/fetch and re-enables the network (end of a test file). */
  stop(): void;
}

export function createNockGuard(): NockGuard {
  const unmatched: string[] = [];
  type Described = { method?: string; path?: string; host?: string; hostname?: string; port?: string | number; protocol?: string };
  const onNoMatch = (req: Described, options?: Described): void => {
    const from = options ?? req;
    const host = from.host ?? (from.hostname ? `${from.hostname}${from.port ? `:${String(from.port)}` : ""}` : (req.host ?? req.hostname ?? ""));
    // Loopback requests pass through to real local servers (nock still reports them as "no match").
    if (LOOPBACK.test(host) || LOOPBACK.test(from.hostname ?? "")) return;
    unmatched.push(`${from.method ?? req.method ?? "?"} ${host}${from.path ?? req.path ?? ""}`);
  };
  return {
    start(): void {
      if (!nock.isActive()) nock.activate();
      nock.disableNetConnect();
      nock.enableNetConnect(LOOPBACK);
      nock.emitter.on("no match", onNoMatch);
    },
    check(): void {
      const missed = unmatched.splice(0);
      const pending = nock.pendingMocks();
      nock.cleanAll();
      if (missed.length > 0) throw new Error(`nock: unmatched HTTP request(s):\n  ${missed.join("\n  ")}`);
      if (pending.length > 0) throw new Error(`nock: expectation(s) never used:\n  ${pending.join("\n  ")}`);
    },
    stop(): void {
      nock.emitter.removeListener("no match", onNoMatch);
      nock.abortPendingRequests();
      nock.cleanAll();
      nock.enableNetConnect();
      // Unpatch http/fetch: otherwise the intercepted fetch keeps the jest worker from exiting gracefully.
      nock.restore();
    },
  };
}

export function useNockGuard(): NockGuard {
  const guard = createNockGuard();
  beforeAll(() => guard.start());
  afterEach(() => guard.check());
  afterAll(() => guard.stop());
  return guard;
}
