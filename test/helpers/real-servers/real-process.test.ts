/** The start/stop rules every real server of the tests shares: bounded readiness, clear errors, logs, kill. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAlertmanager } from "./alertmanager-server.js";
import { ServerStartError, spawnReal, waitReady, withServerLogs } from "./real-process.js";

describe("real server processes", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fleetward-real-process-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("a server that never gets ready is stopped after the bound, with server_not_ready and its log", async () => {
    const proc = spawnReal("sleeper", "/bin/sh", ["-c", "echo starting up; exec sleep 60"], dir);
    const started = Date.now();
    const error = await waitReady(proc, "http://127.0.0.1:9/-/ready", 1_500).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ServerStartError);
    expect((error as ServerStartError).code).toBe("server_not_ready");
    expect((error as Error).message).toMatch(/^sleeper: http:\/\/127\.0\.0\.1:9\/-\/ready not ready within 1500 ms \(last: .+\); its log:\nstarting up/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(proc.child.signalCode ?? proc.child.exitCode).not.toBeNull(); // killed, not left behind
  });

  it("a missing binary is server_binary_missing, naming it", () => {
    expect(() => spawnReal("ghost", "/usr/bin/no-such-server", [], dir)).toThrow(/ghost: \/usr\/bin\/no-such-server is not installed/);
  });

  it("an Alertmanager refusing its config fails at once with server_exited and the reason from its log", async () => {
    const failed = startAlertmanager({ webhookUrl: "not a url", startTimeoutMs: 15_000 });
    await expect(failed).rejects.toMatchObject({ code: "server_exited" });
    await expect(failed).rejects.toThrow(/alertmanager exited[\s\S]*its log:[\s\S]*Loading configuration file failed.*unsupported scheme/);
  }, 30_000);

  it("a failing test body gets the servers' logs in its message", async () => {
    const failed = withServerLogs(() => [{ name: "prom", log: () => "line 1\nline 2" }], () => Promise.reject(new Error("boom")));
    await expect(failed).rejects.toThrow(/^boom\n----- prom log \(tail\) -----\nline 1\nline 2$/);
  });
});
