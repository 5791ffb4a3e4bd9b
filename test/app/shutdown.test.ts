/** The graceful shutdown's parts: work in flight, the drain's order and timeout, FLEETWARD_SHUTDOWN_TIMEOUT. */
import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { InFlight, drain, shutdownTimeoutMs } from "../../src/app/shutdown.js";

const quietLog = () => {
  const lines: string[] = [];
  const put = (obj: object | string, msg?: string) => void lines.push(msg ?? String(obj));
  return { lines, log: { info: put, warn: put } };
};

function fakeResponse(): ServerResponse & { headers: Record<string, string> } {
  const res = new EventEmitter() as ServerResponse & { headers: Record<string, string> };
  res.headers = {};
  Object.assign(res, { headersSent: false, setHeader: (k: string, v: string) => (res.headers[k] = v) });
  return res;
}

test("idle() waits for every tracked promise, and reports false when the time is up first", async () => {
  const inFlight = new InFlight();
  let finish: () => void = () => {};
  void inFlight.track(new Promise<void>((r) => (finish = r)));
  void inFlight.track(Promise.reject(new Error("a failed delivery still ends")).catch(() => {}));
  expect(inFlight.count).toBeGreaterThanOrEqual(1);
  expect(await inFlight.idle(20)).toBe(false);
  const idle = inFlight.idle(5000);
  finish();
  expect(await idle).toBe(true);
  expect(inFlight.count).toBe(0);
});

test("drain stops the server first, waits for the work, and closes the connections of answers not yet sent", async () => {
  const inFlight = new InFlight();
  const early = fakeResponse();
  inFlight.answer(early);
  const order: string[] = [];
  let finish: () => void = () => {};
  void inFlight.track(new Promise<void>((r) => (finish = r))).then(() => order.push("work done"));
  const { lines, log } = quietLog();
  const drained = drain({ stop: async () => void order.push("server stopped") }, inFlight, { timeoutMs: 5000, log, signal: "SIGTERM" });
  expect(early.headers.Connection).toBe("close");
  const late = fakeResponse();
  inFlight.answer(late);
  expect(late.headers.Connection).toBe("close");
  setTimeout(finish, 50);
  expect(await drained).toBe(true);
  expect(order).toEqual(["server stopped", "work done"]);
  expect(lines.at(-1)).toMatch(/^SIGTERM: drained in \d+ ms; exiting$/);
});

test("drain gives up after the timeout, saying how much was left", async () => {
  const inFlight = new InFlight();
  void inFlight.track(new Promise(() => {}));
  const { lines, log } = quietLog();
  expect(await drain({ stop: async () => {} }, inFlight, { timeoutMs: 50, log, signal: "SIGINT" })).toBe(false);
  expect(lines.at(-1)).toMatch(/^SIGINT: 1 deliveries still running after 50 ms/);
});

test("FLEETWARD_SHUTDOWN_TIMEOUT: default 25 s, durations or seconds, a clear error otherwise", () => {
  expect(shutdownTimeoutMs({})).toBe(25_000);
  expect(shutdownTimeoutMs({ FLEETWARD_SHUTDOWN_TIMEOUT: "40s" })).toBe(40_000);
  expect(shutdownTimeoutMs({ FLEETWARD_SHUTDOWN_TIMEOUT: "1m" })).toBe(60_000);
  expect(shutdownTimeoutMs({ FLEETWARD_SHUTDOWN_TIMEOUT: "750ms" })).toBe(750);
  expect(shutdownTimeoutMs({ FLEETWARD_SHUTDOWN_TIMEOUT: "10" })).toBe(10_000);
  expect(() => shutdownTimeoutMs({ FLEETWARD_SHUTDOWN_TIMEOUT: "soon" })).toThrow(/FLEETWARD_SHUTDOWN_TIMEOUT must be a duration/);
});
