/**
 * The sandbox's pool with its real worker threads (the build's `dist/src/sandbox/sandbox-worker.js`): policy code
 * past its deadline or over its memory ends its worker, the job reports the limit at the test it was on, a
 * replacement takes the next job; jobs wait while every worker is busy; a missing build is an error.
 */
import { existsSync } from "node:fs";
import { policiesSectionSchema } from "../../src/config/policy-schema.js";
import { SandboxPool, SandboxUnavailableError, sandboxWorkerPath } from "../../src/sandbox/sandbox-pool.js";
import type { PolicyTestsJob } from "../../src/sandbox/sandbox-jobs.js";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";
import { HOSTILE_TESTS, MEMORY_BOMB } from "./hostile-policies.js";

beforeAll(() => ensureRuntimeBuilt());

const policies = policiesSectionSchema.parse({});

const testsJob = (text: string): PolicyTestsJob => ({
  kind: "policy-tests",
  policies,
  headSha: "h".repeat(40),
  files: new Map([
    ["policy/deny.rego", 'package main\n\ndeny contains "no" if input.kind == "Secret"\n'],
    ["policy/deny_test.rego", text],
  ]),
});

const PASSING = `package main

test_secret_denied if {
	deny["no"] with input as {"kind": "Secret"}
}
`;
describe("SandboxPool", () => {
  let pool: SandboxPool;
  afterEach(() => pool?.close());

  test("the worker entry is the build's", () => {
    expect(sandboxWorkerPath()).toMatch(/dist[\\/]src[\\/]sandbox[\\/]sandbox-worker\.js$/);
    expect(existsSync(sandboxWorkerPath())).toBe(true);
  });

  test("a test past the deadline ends its worker and names the test; a replacement runs the next job", async () => {
    pool = new SandboxPool({ workers: 1, memoryMb: 256 });
    const started = performance.now();
    const hit = await pool.run(testsJob(HOSTILE_TESTS), 5000);
    const took = performance.now() - started;
    expect(hit).toMatchObject({ ok: false, limit: "time", amount: 5000, step: { what: "test data.main.test_cubic", file: "policy/deny_test.rego", line: 7 } });
    expect(took).toBeGreaterThanOrEqual(4900);
    // Not the 3000³ iterations' minutes: the deadline and a busy machine's slack.
    expect(took).toBeLessThan(30_000);
    expect(pool.workers).toBe(1);
    const next = await pool.run(testsJob(PASSING), 20_000);
    expect(next.ok && next.value.plan.conclusion).toBe("success");
  }, 60_000);

  test("a test over the memory limit ends its worker with the memory limit; the next job succeeds", async () => {
    pool = new SandboxPool({ workers: 1, memoryMb: 64 });
    const hit = await pool.run(testsJob(MEMORY_BOMB), 60_000);
    expect(hit).toMatchObject({ ok: false, limit: "memory", amount: 64, step: { what: "test data.main.test_bomb", file: "policy/deny_test.rego", line: 3 } });
    const next = await pool.run(testsJob(PASSING), 20_000);
    expect(next).toMatchObject({ ok: true, value: { plan: { conclusion: "success" } } });
  }, 60_000);

  test("jobs wait while every worker is busy, and each gets its own deadline from its start", async () => {
    pool = new SandboxPool({ workers: 1, memoryMb: 256 });
    const [first, second] = await Promise.all([pool.run(testsJob(HOSTILE_TESTS), 3000), pool.run(testsJob(PASSING), 20_000)]);
    expect(first.ok).toBe(false);
    expect(second).toMatchObject({ ok: true, value: { plan: { conclusion: "success" } } });
  }, 60_000);

  test("a missing worker build is an error, not an in-process run", async () => {
    pool = new SandboxPool({ workers: 1, memoryMb: 64 }, "/nonexistent/sandbox-worker.js");
    await expect(pool.run(testsJob(PASSING), 1000)).rejects.toThrow(SandboxUnavailableError);
    await expect(pool.run(testsJob(PASSING), 1000)).rejects.toThrow(/npm run build/);
    expect(pool.workers).toBe(0);
  });

  test("a job that is not plain data is refused", async () => {
    pool = new SandboxPool({ workers: 1, memoryMb: 64 });
    const job = { ...testsJob(PASSING), files: { get: () => "" } as unknown as Map<string, string> };
    await expect(pool.run(job, 1000)).rejects.toThrow();
  });
});
