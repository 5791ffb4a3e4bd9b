/**
 * `--timeout` of the policy commands: parsed (and taken out of the command's own arguments) in-process; enforced by
 * the `fleetward` process's watchdog, which ends a hostile evaluation with the time-limit message (the built CLI,
 * run as a child process).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { DEFAULT_CLI_TIMEOUT_MS, takeTimeoutOption, TIMED_COMMANDS } from "../../src/cli/cli-timeout.js";
import { useTempRepo } from "../helpers/use-temp-repo.js";
import { HOSTILE_TESTS } from "../sandbox/hostile-policies.js";

describe("takeTimeoutOption", () => {
  test("default 30 s; a duration or seconds, in either form; taken out of the arguments", () => {
    expect(takeTimeoutOption(["a.yaml", "-p", "policy"])).toEqual({ args: ["a.yaml", "-p", "policy"], timeoutMs: DEFAULT_CLI_TIMEOUT_MS });
    expect(DEFAULT_CLI_TIMEOUT_MS).toBe(30_000);
    expect(takeTimeoutOption(["--timeout", "2m", "a.yaml"])).toEqual({ args: ["a.yaml"], timeoutMs: 120_000 });
    expect(takeTimeoutOption(["a.yaml", "--timeout=45"])).toEqual({ args: ["a.yaml"], timeoutMs: 45_000 });
    expect(takeTimeoutOption(["--timeout", "0"])).toEqual({ args: [], timeoutMs: 0 });
  });

  test("a bad or missing value is an error", () => {
    expect(takeTimeoutOption(["--timeout"])).toEqual({ error: expect.stringContaining("--timeout needs a duration") });
    expect(takeTimeoutOption(["--timeout=soon"])).toEqual({ error: expect.stringContaining('invalid duration "soon"') });
  });

  test("the commands that evaluate policies take it", () => {
    expect([...TIMED_COMMANDS].sort()).toEqual(["check", "eval", "test", "verify"]);
  });
});

describe("the fleetward process's watchdog", () => {
  const repo = useTempRepo("fleetward-cli-timeout-");

  test("fleetward test --timeout 3s ends a hostile evaluation with the time-limit message", async () => {
    await repo.writeFiles({ "policy/deny.rego": HOSTILE_TESTS.replace("test_cubic if", 'deny contains "slow" if'), "cm.yaml": "kind: ConfigMap\n" });
    const bin = join(process.cwd(), "bin", "fleetward.js");
    const started = performance.now();
    const child = spawn(process.execPath, [bin, "test", "cm.yaml", "-p", "policy", "--timeout", "3s"], { cwd: repo.dir });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (c, s) => resolve([c, s])));
    const took = performance.now() - started;
    expect(stderr).toContain("fleetward test: exceeded the time limit (3 s)");
    expect(code === 143 || signal === "SIGTERM").toBe(true);
    expect(took).toBeGreaterThanOrEqual(3000);
    expect(took).toBeLessThan(30_000);
  }, 60_000);
});
