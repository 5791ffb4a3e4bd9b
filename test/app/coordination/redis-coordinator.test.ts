/**
 * The Redis coordinator against a real redis-server: two coordinators are two replicas (two connections). Locks
 * exclude across them with growing fencing tokens, only the owner releases, a crashed owner's lock and lease expire,
 * the leader lease hands over, `once` and the deliveries failed after their answer are shared, and a killed Redis
 * fails closed fast, then recovers after restart.
 */
import { Redis } from "ioredis";
import { CoordinationUnavailable, MAX_FAILED_AFTER_ANSWER } from "../../../src/app/coordination/coordinator.js";
import { RedisCoordinator } from "../../../src/app/coordination/redis-coordinator.js";
import { DELETE_OWNED } from "../../../src/app/coordination/redis-scripts.js";
import { startRedis, type RedisServer } from "../../helpers/real-servers/redis-server.js";
import { withServerLogs } from "../../helpers/real-servers/real-process.js";

const TIMEOUT = 300;
const TTL = 1_200;
const logged: string[] = [];
const log = { info: (_: object, msg: string) => logged.push(msg), warn: (_: object, msg: string) => logged.push(msg) };

let redis: RedisServer;
let raw: Redis;
let a: RedisCoordinator;
let b: RedisCoordinator;
const replica = (name: string) => new RedisCoordinator({ redisUrl: redis.url, lockTtlMs: TTL, lockWaitMs: 5_000, redisTimeoutMs: TIMEOUT, instanceId: name }, log);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const withLogs = (body: () => Promise<void>) => withServerLogs(() => [redis], body);

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
  raw.on("error", () => undefined);
  a = replica("replica-a");
  b = replica("replica-b");
}, 20_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  raw?.disconnect();
  await redis?.stop();
});

test("a lock excludes across replicas, in order of fencing tokens, and is gone afterwards", () =>
  withLogs(async () => {
    let inside = 0;
    let most = 0;
    const tokens: number[] = [];
    const task = (who: string) => async (lock: { fencingToken: number }) => {
      inside++;
      most = Math.max(most, inside);
      tokens.push(lock.fencingToken);
      expect(await raw.get("fleetward:lock:acme/gitops")).not.toBeNull();
      await sleep(15);
      inside--;
      return who;
    };
    const runs = [...Array(6).keys()].map((i) => (i % 2 === 0 ? a : b).withLock("acme/gitops", task(`t${i}`)));
    expect(await Promise.all(runs)).toEqual(["t0", "t1", "t2", "t3", "t4", "t5"]);
    expect(most).toBe(1);
    expect(tokens).toEqual([...tokens].sort((x, y) => x - y));
    expect(new Set(tokens).size).toBe(6);
    expect(await raw.exists("fleetward:lock:acme/gitops")).toBe(0);
  }));

test("only the owner's token releases a lock", () =>
  withLogs(async () => {
    await a.withLock("acme/owner", async () => {
      const token = await raw.get("fleetward:lock:acme/owner");
      expect(token).toMatch(/^[0-9a-f-]{36}$/);
      expect(await raw.eval(DELETE_OWNED, 1, "fleetward:lock:acme/owner", "somebody-else")).toBe(0);
      expect(await raw.get("fleetward:lock:acme/owner")).toBe(token);
    });
    expect(await raw.exists("fleetward:lock:acme/owner")).toBe(0);
  }));

test("a lock held longer than its TTL is renewed; a crashed owner's lock expires and the next holder gets a larger token", () =>
  withLogs(async () => {
    const first = await a.withLock("acme/long", async (lock) => {
      await sleep(TTL * 2); // renewed meanwhile, so b must wait
      expect(lock.lost.aborted).toBe(false);
      return lock.fencingToken;
    });
    // A crashed replica leaves its lock behind (nobody renews or releases it).
    await raw.set("fleetward:lock:acme/long", "crashed-owner", "PX", 800);
    const started = Date.now();
    const next = await b.withLock("acme/long", async (lock) => lock.fencingToken);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(600);
    expect(waited).toBeLessThan(3_000);
    expect(next).toBeGreaterThan(first);
  }), 15_000);

test("a waiter gives up after FLEETWARD_LOCK_WAIT with lock_wait_exceeded", () =>
  withLogs(async () => {
    const impatient = new RedisCoordinator({ redisUrl: redis.url, lockTtlMs: TTL, lockWaitMs: 300, redisTimeoutMs: TIMEOUT }, log);
    try {
      await raw.set("fleetward:lock:acme/busy", "other", "PX", 5_000);
      const error = await impatient.withLock("acme/busy", async () => "ran").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CoordinationUnavailable);
      expect((error as CoordinationUnavailable).code).toBe("lock_wait_exceeded");
      expect((error as Error).message).toBe("lock acme/busy: still held by another replica after 300 ms (FLEETWARD_LOCK_WAIT)");
    } finally {
      await impatient.close();
    }
  }));

test("one leader at a time: the lease stays with its holder, passes on release, and expires after a crash", () =>
  withLogs(async () => {
    expect(await a.leader("reconciler").isLeader()).toBe(true);
    expect(await b.leader("reconciler").isLeader()).toBe(false);
    await sleep(TTL * 1.5); // renewed in the background
    expect(await b.leader("reconciler").isLeader()).toBe(false);
    expect(await raw.get("fleetward:leader:reconciler")).toBe("replica-a");
    await a.leader("reconciler").release();
    expect(await b.leader("reconciler").isLeader()).toBe(true);
    expect(await a.leader("reconciler").isLeader()).toBe(false);
    // Another lease, held by a replica that crashed: free once it expires.
    await raw.set("fleetward:leader:redeliverer", "crashed-replica", "PX", 500);
    expect(await a.leader("redeliverer").isLeader()).toBe(false);
    await sleep(600);
    expect(await a.leader("redeliverer").isLeader()).toBe(true);
    await b.leader("reconciler").release();
    await a.leader("redeliverer").release();
  }), 15_000);

test("once is shared: the first replica gets true, the others false, until the TTL ends", () =>
  withLogs(async () => {
    expect(await a.once("redeliver:guid-1", 400)).toBe(true);
    expect(await b.once("redeliver:guid-1", 400)).toBe(false);
    expect(await a.once("redeliver:guid-1", 400)).toBe(false);
    expect(await b.once("redeliver:guid-2", 400)).toBe(true);
    await sleep(500);
    expect(await b.once("redeliver:guid-1", 400)).toBe(true);
  }));

test("deliveries failed after their answer: recorded by one replica, listed by another, forgotten, expired and bounded", () =>
  withLogs(async () => {
    const key = "fleetward:failed-after-answer";
    await a.noteFailedAfterAnswer("guid-late");
    await a.noteFailedAfterAnswer("guid-late"); // recorded twice: listed once
    await a.noteFailedAfterAnswer("guid-other");
    expect((await b.failedAfterAnswer()).sort()).toEqual(["guid-late", "guid-other"]);
    await b.forgetFailedAfterAnswer(["guid-late"]);
    expect(await a.failedAfterAnswer()).toEqual(["guid-other"]);
    expect(await raw.pttl(key)).toBeGreaterThan(5 * 3600_000);
    // An entry past its expiry is not listed, and the next record drops it.
    await raw.zadd(key, Date.now() - 1, "guid-expired");
    expect(await a.failedAfterAnswer()).toEqual(["guid-other"]);
    await a.noteFailedAfterAnswer("guid-new");
    expect(await raw.zscore(key, "guid-expired")).toBeNull();
    // Bounded: the oldest go first.
    for (let i = 0; i < MAX_FAILED_AFTER_ANSWER; i++) await b.noteFailedAfterAnswer(`guid-${String(i).padStart(4, "0")}`);
    const listed = await a.failedAfterAnswer();
    expect(listed).toHaveLength(MAX_FAILED_AFTER_ANSWER);
    expect(listed).not.toContain("guid-other");
    expect(listed).not.toContain("guid-new");
    expect(listed).toContain("guid-0000");
    await raw.del(key);
  }), 15_000);

test("Redis killed: every operation throws CoordinationUnavailable within the bound; it recovers after a restart", () =>
  withLogs(async () => {
    const before = await a.withLock("acme/crash", async (l) => l.fencingToken);
    let lostAfter = -1;
    let killed!: () => void;
    const isKilled = new Promise<void>((resolve) => (killed = resolve));
    const holding = b.withLock("acme/held", async (lock) => {
      const killedAt = Date.now();
      await redis.kill();
      killed();
      await new Promise((resolve) => lock.lost.addEventListener("abort", resolve, { once: true }));
      lostAfter = Date.now() - killedAt; // the holder learns it can no longer be sure of its lock
    });
    await isKilled;
    const ops = [() => a.withLock("acme/crash", async () => "ran"), () => b.once("x", 1_000), () => a.leader("reconciler").isLeader(), () => a.noteFailedAfterAnswer("g"), () => b.failedAfterAnswer()];
    for (const op of ops) {
      const started = Date.now();
      const error = await op().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CoordinationUnavailable);
      expect((error as CoordinationUnavailable).code).toBe("store_unreachable");
      expect(Date.now() - started).toBeLessThan(3 * TIMEOUT + 500);
    }
    await holding;
    expect(lostAfter).toBeGreaterThanOrEqual(TTL - TTL / 3 - 50);
    expect(lostAfter).toBeLessThan(TTL + TTL / 3 + 500);
    expect(logged.some((m) => m.startsWith("Redis unreachable: coordination fails closed"))).toBe(true);
    await redis.restart();
    const deadline = Date.now() + 10_000;
    let after: number | undefined;
    while (after === undefined && Date.now() < deadline) {
      after = await a.withLock("acme/crash", async (l) => l.fencingToken).catch(() => undefined);
      if (after === undefined) await sleep(100);
    }
    expect(after).toBeGreaterThan(before); // the restarted Redis lost the counter; the token still grows
    expect(await b.once("after-restart", 1_000)).toBe(true);
    expect(logged).toContain("Redis reachable again: coordination resumed");
  }), 20_000);
