/**
 * Strict nock for a test file: no real network (loopback allowed), any unmatched request fails the test,
 * and so does any expectation left unused; mocks are cleaned after each test.
 * Call `useNockGuard()` at the top level of a test file.
 */
import nock from "nock";

export interface NockGuard {
  /** Requests nock could not match since the last check. */
  readonly unmatched: string[];
}

export function useNockGuard(): NockGuard {
  const state: NockGuard = { unmatched: [] };
  const onNoMatch = (req: { method?: string; path?: string; host?: string; hostname?: string }): void => {
    // Loopback requests pass through to real local servers (nock still reports them as "no match").
    if (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(req.hostname ?? req.host ?? "")) return;
    state.unmatched.push(`${req.method ?? "?"} ${req.host ?? req.hostname ?? ""}${req.path ?? ""}`);
  };
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    nock.emitter.on("no match", onNoMatch);
  });
  afterEach(() => {
    const unmatched = state.unmatched.splice(0);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    if (unmatched.length > 0) throw new Error(`nock: unmatched HTTP request(s):\n  ${unmatched.join("\n  ")}`);
    if (pending.length > 0) throw new Error(`nock: expectation(s) never used:\n  ${pending.join("\n  ")}`);
  });
  afterAll(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    nock.enableNetConnect();
  });
  return state;
}
