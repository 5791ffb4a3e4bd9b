/** The in-memory coordinator (one replica, no REDIS_URL) and the coordination settings from the environment. */
import { coordinationSettingsFromEnv } from "../../../src/app/coordination/coordination-settings.js";
import { FAILED_AFTER_ANSWER_TTL_MS, MAX_FAILED_AFTER_ANSWER } from "../../../src/app/coordination/coordinator.js";
import { MemoryCoordinator } from "../../../src/app/coordination/memory-coordinator.js";

describe("MemoryCoordinator", () => {
  it("runs the tasks of a key one at a time, in arrival order, with growing fencing tokens; other keys do not wait", async () => {
    const c = new MemoryCoordinator();
    const events: string[] = [];
    const task = (name: string, ms: number) => async (lock: { fencingToken: number }) => {
      events.push(`start ${name} #${lock.fencingToken}`);
      await new Promise((r) => setTimeout(r, ms));
      events.push(`end ${name}`);
    };
    await Promise.all([c.withLock("r", task("a", 30)), c.withLock("r", task("b", 1)), c.withLock("other", task("x", 1))]);
    expect(events).toEqual(["start a #1", "start x #1", "end x", "end a", "start b #2", "end b"]);
  });

  it("a failing task does not block the next one", async () => {
    const c = new MemoryCoordinator();
    await expect(c.withLock("r", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(c.withLock("r", async (l) => l.fencingToken)).resolves.toBe(2);
  });

  it("is always the leader, and once is true for the first caller until the TTL ends", async () => {
    let now = 1_000;
    const c = new MemoryCoordinator(() => now);
    expect(await c.leader("reconciler").isLeader()).toBe(true);
    expect(await c.once("k", 100)).toBe(true);
    expect(await c.once("k", 100)).toBe(false);
    now += 101;
    expect(await c.once("k", 100)).toBe(true);
  });

  it("remembers deliveries failed after their answer until forgotten or expired, the newest MAX_FAILED_AFTER_ANSWER", async () => {
    let now = 1_000;
    const c = new MemoryCoordinator(() => now);
    await c.noteFailedAfterAnswer("a");
    now += 10;
    await c.noteFailedAfterAnswer("b");
    await c.noteFailedAfterAnswer("a"); // recorded again: listed once, now the newest
    expect(await c.failedAfterAnswer()).toEqual(["b", "a"]);
    await c.forgetFailedAfterAnswer(["a", "unknown"]);
    expect(await c.failedAfterAnswer()).toEqual(["b"]);
    now += FAILED_AFTER_ANSWER_TTL_MS;
    expect(await c.failedAfterAnswer()).toEqual([]);
    for (let i = 0; i <= MAX_FAILED_AFTER_ANSWER; i++) await c.noteFailedAfterAnswer(`g${i}`);
    const listed = await c.failedAfterAnswer();
    expect(listed).toHaveLength(MAX_FAILED_AFTER_ANSWER);
    expect(listed[0]).toBe("g1");
  });
});

describe("coordinationSettingsFromEnv", () => {
  it("defaults to one replica in memory, 30 s locks, 8 s wait, 2 s Redis bound", () => {
    expect(coordinationSettingsFromEnv({})).toEqual({ redisUrl: null, lockTtlMs: 30_000, lockWaitMs: 8_000, redisTimeoutMs: 2_000 });
  });

  it("reads REDIS_URL and the durations", () => {
    expect(coordinationSettingsFromEnv({ REDIS_URL: "redis://redis:6379/0", FLEETWARD_LOCK_TTL: "1m", FLEETWARD_LOCK_WAIT: "2m", FLEETWARD_REDIS_TIMEOUT: "5s" })).toEqual({
      redisUrl: "redis://redis:6379/0",
      lockTtlMs: 60_000,
      lockWaitMs: 120_000,
      redisTimeoutMs: 5_000,
    });
  });

  it("names the variable that cannot be read", () => {
    expect(() => coordinationSettingsFromEnv({ REDIS_URL: "localhost:6379" })).toThrow('REDIS_URL: expected redis://host:port or rediss://…, got "localhost:6379"');
    expect(() => coordinationSettingsFromEnv({ FLEETWARD_LOCK_TTL: "soon" })).toThrow(/^FLEETWARD_LOCK_TTL: /);
    expect(() => coordinationSettingsFromEnv({ FLEETWARD_LOCK_TTL: "5s" })).toThrow("FLEETWARD_LOCK_TTL: 5s is too short for FLEETWARD_REDIS_TIMEOUT 2s (at least three times it, so a renewal can fail once and still be in time)");
    expect(() => coordinationSettingsFromEnv({ FLEETWARD_LOCK_TTL: "soon" })).toThrow(expect.objectContaining({ code: "coordination_setting_invalid" }) as Error);
  });
});
