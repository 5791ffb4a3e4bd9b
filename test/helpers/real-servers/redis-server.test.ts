/** The real redis-server helper: PING readiness on a free port, SIGKILL, restart on the same port, cleanup. */
import { existsSync } from "node:fs";
import { pingRedis, startRedis, type RedisServer } from "./redis-server.js";
import { withServerLogs } from "./real-process.js";

describe("redis-server helper", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  }, 20_000);
  afterAll(() => redis?.stop());

  it("answers PING on its port, logs its start, and comes back on the same port after a SIGKILL", () =>
    withServerLogs(() => [redis], async () => {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await pingRedis(redis.port)).toBe(true);
      expect(redis.log()).toMatch(/Ready to accept connections/);
      const first = redis.proc.child.pid;
      await redis.kill();
      expect(redis.proc.child.signalCode).toBe("SIGKILL");
      expect(await pingRedis(redis.port, 500)).toBe(false);
      await redis.restart();
      expect(redis.proc.child.pid).not.toBe(first);
      expect(await pingRedis(redis.port)).toBe(true);
      expect(redis.log()).toMatch(/----- restarted -----[\s\S]*Ready to accept connections/);
    }), 20_000);

  it("stop() ends the process and removes its temp dir", async () => {
    const other = await startRedis();
    expect(existsSync(other.dir)).toBe(true);
    await other.stop();
    expect(other.proc.child.exitCode ?? other.proc.child.signalCode).not.toBeNull();
    expect(existsSync(other.dir)).toBe(false);
    expect(await pingRedis(other.port, 500)).toBe(false);
  }, 20_000);
});
