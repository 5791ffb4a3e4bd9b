/**
 * How the routes refuse: a JSON body over the cap is read and thrown away up to a bound before the 413, so the
 * connection closes with nothing unread (a close with unread data is a TCP reset, which a client still
 * sending may see instead of the 413); a 5xx carries a generic message
 * and a request id, the error itself going to the log only.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { readJsonBody } from "../../../src/app/routes/read-json-body.js";
import { DISCARD_LIMIT } from "../../../src/app/routes/read-request-body.js";
import { sendFailure } from "../../../src/app/routes/send-failure.js";

const CAP = 4 * 1024;
let server: Server;
let base: string;
let lines: Array<Record<string, unknown>>;
/** For each refused body: whether the server had read it to its end, and how many bytes its socket had read. */
let refused: Array<{ complete: boolean; bytesRead: number }>;

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const log = pino({ level: "info" }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(JSON.parse(c.toString()) as Record<string, unknown>), done()) }));
  if (req.url === "/fail") {
    // 422: not worth retrying (500); a status of 5xx or none would be transient (503).
    const error = Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:5432 password=hunter2"), { status: 422 });
    sendFailure(res, error, log, "handling the notification");
    return;
  }
  const body = await readJsonBody(req, res, CAP);
  if (body.answered) refused.push({ complete: req.complete, bytesRead: req.socket.bytesRead });
  else res.writeHead(200).end("ok");
}

beforeAll(async () => {
  server = createServer((req, res) => void route(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  lines = [];
  refused = [];
});

/** Sends `total` bytes at once, as a client that reads the answer only after writing does; resolves with the status or the error. */
function send(total: number, chunked: boolean): Promise<number | string> {
  return new Promise((resolve) => {
    const headers = chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(total) };
    const req = request(`${base}/alerts`, { method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(Buffer.alloc(total, 0x20));
  });
}

test.each([
  ["chunked", true],
  ["with its Content-Length", false],
])("a body over the cap but within the discard bound, %s, is read to its end before the 413 (no reset for a client still sending)", async (_what, chunked) => {
  const total = Math.floor(DISCARD_LIMIT / 2);
  expect(await send(total, chunked)).toBe(413);
  expect(refused).toEqual([{ complete: true, bytesRead: expect.any(Number) }]);
});

test("a body beyond the discard bound is not read further: 413 and the connection closed", async () => {
  const total = 8 * DISCARD_LIMIT;
  const answer = await send(total, true);
  // The client reads the 413, or a reset when the server closed while it was still sending.
  expect([413, "ECONNRESET", "EPIPE"]).toContain(answer);
  expect(refused).toHaveLength(1);
  expect(refused[0]?.complete).toBe(false);
  expect(refused[0]?.bytesRead).toBeLessThan(CAP + DISCARD_LIMIT + 1024 * 1024);
});

test("a body within the cap is read", async () => {
  const res = await fetch(`${base}/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ a: 1 }) });
  expect(res.status).toBe(200);
});

test("a 5xx says what failed in general and carries a request id; the error text is only logged", async () => {
  const res = await fetch(`${base}/fail`, { method: "POST" });
  expect(res.status).toBe(500);
  const body = (await res.json()) as { error: string; message: string; requestId: string };
  expect(body).toEqual({ error: "internal", message: "handling the notification failed", requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  expect(JSON.stringify(body)).not.toMatch(/hunter2|10\.1\.2\.3|ECONNREFUSED/);
  expect(lines).toEqual([expect.objectContaining({ level: 50, requestId: body.requestId, msg: expect.stringContaining("ECONNREFUSED") })]);
});
