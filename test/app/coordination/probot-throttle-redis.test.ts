/**
 * Why FLEETWARD_THROTTLE_REDIS is off by default (docs/deployment.md, scaling): Probot's request throttling on Redis
 * loads the installed ioredis (no download) and keeps Bottleneck's state there, but after Redis 7 restarts without its
 * keys every GitHub request fails with ERR SETTINGS_KEY_NOT_FOUND and never recovers (bottleneck issue 205: it expects
 * the reply without "ERR "). If this test starts failing at the last step, Bottleneck was fixed: revisit the default.
 */
import { Redis } from "ioredis";
import { Probot } from "probot";
import pino from "pino";
import { probotRedisConfig } from "../../../src/app/coordination/coordination-settings.js";
import { GitHubSimulator } from "../../../src/simulator/github-simulator.js";
import { startRedis, type RedisServer } from "../../helpers/real-servers/redis-server.js";
import { withServerLogs } from "../../helpers/real-servers/real-process.js";

let redis: RedisServer;
const clients: Redis[] = [];
const connect = Redis.prototype.connect;

beforeAll(async () => {
  // Every ioredis client Probot makes is counted here and closed in afterAll (Probot never closes its own).
  Redis.prototype.connect = function (this: Redis, ...args: Parameters<Redis["connect"]>) {
    clients.push(this);
    return connect.apply(this, args);
  };
  redis = await startRedis();
}, 20_000);

afterAll(async () => {
  for (const c of clients) c.disconnect();
  Redis.prototype.connect = connect;
  await redis?.stop();
});

test("REDIS_URL reaches Probot only with FLEETWARD_THROTTLE_REDIS=true", () => {
  expect(probotRedisConfig({ REDIS_URL: "redis://r:6379" })).toBeUndefined();
  expect(probotRedisConfig({ REDIS_URL: "redis://r:6379", FLEETWARD_THROTTLE_REDIS: "true" })).toBe("redis://r:6379");
  expect(probotRedisConfig({ FLEETWARD_THROTTLE_REDIS: "true" })).toBeUndefined();
});

test("Probot's throttling on Redis uses the installed ioredis, and fails every request after Redis 7 lost its keys", () =>
  withServerLogs(() => [redis], async () => {
    const sim = new GitHubSimulator();
    const simApi = await sim.listen();
    try {
      const app = sim.createApp({ slug: "fleetward" });
      const probot = new Probot({ appId: app.id, privateKey: app.privateKey, baseUrl: simApi.baseUrl, redisConfig: redis.url, log: pino({ level: "silent" }) });
      const gh = await probot.auth();
      await expect(gh.rest.apps.getAuthenticated()).resolves.toMatchObject({ status: 200 });
      expect(clients.length).toBeGreaterThanOrEqual(1); // made through our ioredis class: nothing downloaded
      const probe = new Redis(redis.url);
      const keys = await probe.keys("b_*").finally(() => probe.disconnect());
      expect(keys.length).toBeGreaterThan(0);

      await redis.kill();
      await redis.restart(); // empty: no persistence
      await new Promise((r) => setTimeout(r, 1_500)); // ioredis reconnects
      for (let i = 0; i < 3; i++) {
        await expect(gh.rest.apps.getAuthenticated()).rejects.toThrow(/SETTINGS_KEY_NOT_FOUND/);
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      await simApi.close();
    }
  }), 30_000);
