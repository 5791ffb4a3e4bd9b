import { checkRunTimeoutMs, DEFAULT_SANDBOX_LIMITS, formatSeconds, SandboxConfigError, sandboxLimitsFromEnv } from "../../src/sandbox/sandbox-limits.js";
import { limitCheckRun, limitMessage } from "../../src/sandbox/limit-check-run.js";
import { StepBuffer } from "../../src/sandbox/step-buffer.js";

describe("sandboxLimitsFromEnv", () => {
  test("defaults: 2 workers, 512 MiB, at most 120 s", () => {
    expect(sandboxLimitsFromEnv({})).toEqual({ workers: 2, memoryMb: 512, timeoutMaxMs: 120_000 });
    expect(DEFAULT_SANDBOX_LIMITS).toEqual({ workers: 2, memoryMb: 512, timeoutMaxMs: 120_000 });
  });

  test("each variable is read, the maximum as a duration or seconds", () => {
    expect(sandboxLimitsFromEnv({ FLEETWARD_SANDBOX_WORKERS: "4", FLEETWARD_POLICY_MEMORY_MB: "256", FLEETWARD_POLICY_TIMEOUT_MAX: "2m" })).toEqual({
      workers: 4,
      memoryMb: 256,
      timeoutMaxMs: 120_000,
    });
    expect(sandboxLimitsFromEnv({ FLEETWARD_POLICY_TIMEOUT_MAX: "45" }).timeoutMaxMs).toBe(45_000);
  });

  test.each([
    ["FLEETWARD_SANDBOX_WORKERS", "0"],
    ["FLEETWARD_SANDBOX_WORKERS", "two"],
    ["FLEETWARD_POLICY_MEMORY_MB", "1.5"],
    ["FLEETWARD_POLICY_MEMORY_MB", "8"],
    ["FLEETWARD_POLICY_TIMEOUT_MAX", "soon"],
    ["FLEETWARD_POLICY_TIMEOUT_MAX", "0s"],
  ])("%s=%s is an error naming the variable", (name, value) => {
    expect(() => sandboxLimitsFromEnv({ [name]: value })).toThrow(SandboxConfigError);
    expect(() => sandboxLimitsFromEnv({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });
});

describe("checkRunTimeoutMs", () => {
  test("the setting, at least 1 s, at most the server's maximum", () => {
    expect(checkRunTimeoutMs("30s", { timeoutMaxMs: 120_000 })).toBe(30_000);
    expect(checkRunTimeoutMs("1h", { timeoutMaxMs: 120_000 })).toBe(120_000);
    expect(checkRunTimeoutMs("0s", { timeoutMaxMs: 120_000 })).toBe(1_000);
  });

  test("how limits are shown", () => {
    expect([formatSeconds(30_000), formatSeconds(1_500), formatSeconds(120_000), formatSeconds(90_000)]).toEqual(["30 s", "1.5 s", "2 min", "90 s"]);
    expect(limitMessage({ limit: "time", amount: 30_000 })).toBe("exceeded the time limit (30 s)");
    expect(limitMessage({ limit: "memory", amount: 512 })).toBe("exceeded the memory limit (512 MiB)");
  });
});

describe("limitCheckRun", () => {
  const sha = "a".repeat(40);

  test("a failure at the step, annotated at its file and line", () => {
    const plan = limitCheckRun("fleetward/policy-tests", sha, { ok: false, limit: "time", amount: 5_000, elapsedMs: 5_001, step: { what: "test data.main.test_x", file: "policy/x_test.rego", line: 7 } }, "policy tests");
    expect(plan).toMatchObject({ name: "fleetward/policy-tests", headSha: sha, conclusion: "failure", title: "The policy tests exceeded the time limit (5 s)" });
    expect(plan.summary).toContain("it exceeded the time limit (5 s) at `policy/x_test.rego:7` (test data.main.test_x)");
    expect(plan.summary).toContain("settings.policy.timeout");
    expect(plan.annotations).toEqual([
      { path: "policy/x_test.rego", startLine: 7, endLine: 7, level: "failure", title: "exceeded the time limit (5 s)", message: "test data.main.test_x exceeded the time limit (5 s)" },
    ]);
  });

  test("no annotation without a step, nor on the bundled library's files", () => {
    const memory = limitCheckRun("fleetward/policy", sha, { ok: false, limit: "memory", amount: 512, elapsedMs: 10 }, "policy check");
    expect(memory.title).toBe("The policy check exceeded the memory limit (512 MiB)");
    expect(memory.annotations).toEqual([]);
    const library = limitCheckRun("fleetward/policy", sha, { ok: false, limit: "time", amount: 1_000, elapsedMs: 1_000, step: { what: "compiling template x", file: "fleetward:policies/library/x/template.yaml", line: 1 } }, "policy check");
    expect(library.annotations).toEqual([]);
    expect(library.summary).toContain("`fleetward:policies/library/x/template.yaml:1`");
  });
});

describe("StepBuffer", () => {
  test("the last step written is read back from the shared memory, by another view of it", () => {
    const writer = new StepBuffer();
    const reader = new StepBuffer(writer.shared);
    expect(reader.read()).toBeUndefined();
    writer.write("test data.a.test_1", "policy/a_test.rego", 3);
    writer.write("test data.a.test_2", "policy/a_test.rego", 9);
    expect(reader.read()).toEqual({ what: "test data.a.test_2", file: "policy/a_test.rego", line: 9 });
    expect(reader.status).toBe("running");
    writer.markWasmMemoryExceeded();
    expect(reader.status).toBe("wasm-memory-exceeded");
    reader.reset();
    expect(reader.read()).toBeUndefined();
  });

  test("long and non-ASCII texts are cut to fit, and still read back", () => {
    const buffer = new StepBuffer();
    buffer.write("é".repeat(5000), "p/".repeat(3000), 1);
    const step = buffer.read();
    expect(step?.what).toBe("é".repeat(1000));
    expect(step?.file.length).toBe(1000);
  });
});
