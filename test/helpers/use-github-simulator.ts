/**
 * Shared setup for tests against the GitHub simulator: a fresh sim per test (nock transport),
 * and a check after each test that no request broke GitHub's API description and all webhooks settled.
 */
import nock from "nock";
import { GitHubSimulator, type SimulatorOptions } from "../../src/simulator/github-simulator.js";

export interface SimulatorHandle {
  /** The current test's simulator. */
  readonly sim: GitHubSimulator;
}

export function useGitHubSimulator(options: SimulatorOptions & { nock?: boolean } = {}): SimulatorHandle {
  let current: GitHubSimulator | undefined;
  const handle: SimulatorHandle = {
    get sim(): GitHubSimulator {
      if (!current) throw new Error("useGitHubSimulator: the simulator exists only inside a test");
      return current;
    },
  };
  beforeEach(() => {
    // A previous describe block's afterAll may have unpatched nock.
    if (!nock.isActive()) nock.activate();
    current = new GitHubSimulator(options);
    if (options.nock ?? true) current.interceptWithNock();
  });
  afterEach(async () => {
    const sim = current;
    current = undefined;
    if (!sim) return;
    try {
      await sim.settle();
      sim.assertNoViolations();
    } finally {
      sim.stopNock();
      nock.cleanAll();
    }
  });
  afterAll(() => {
    // Unpatch http/fetch at the end of the file (the intercepted fetch otherwise keeps the jest worker alive).
    nock.abortPendingRequests();
    nock.restore();
  });
  return handle;
}
