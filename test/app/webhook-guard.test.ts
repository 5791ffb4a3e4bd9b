/**
 * The guard before Probot's webhook middleware: bodies above the cap are refused with 413 without being read,
 * wrong signatures with 400, each logged at WARN by size and delivery id and never with the payload; a
 * verified body is handed on as `req.body`.
 */
import { createHmac } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { createWebhookGuard, DEFAULT_WEBHOOK_MAX_BYTES, signatureMatches, webhookMaxBytes } from "../../src/app/webhook-guard.js";

const SECRET = "webhook-secret";
const MAX = 64 * 1024;
const MARKER = "PAYLOAD-MARKER-7f3a";

let server: Server;
let base: string;
let lines: Array<Record<string, unknown>>;
/** What reached the handler after the guard: the body it was handed. */
let handedOn: string[];

beforeAll(async () => {
  lines = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const guard = createWebhookGuard({ path: "/api/github/webhooks", secret: SECRET, maxBytes: MAX, log: pino({ level: "debug" }, sink) });
  server = createServer((req, res) => {
    void guard(req, res).then((answered) => {
      if (answered) return;
      handedOn.push(typeof req.body === "string" ? req.body : "<not handed on>");
      // As Probot's middleware answers when a handler threw: 500 and the error's message.
      const failure = JSON.stringify({ error: "Error: connect ECONNREFUSED 10.9.8.7:6379" });
      if (req.headers["x-github-event"] === "fails") res.writeHead(500, { "content-type": "application/json", "content-length": String(failure.length) }).end(failure);
      else res.writeHead(200).end("ok\n");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  lines.length = 0;
  handedOn = [];
});

const sign = (body: string, secret = SECRET): string => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
const headers = (delivery: string, signature?: string): Record<string, string> => ({
  "content-type": "application/json",
  "x-github-event": "issue_comment",
  "x-github-delivery": delivery,
  ...(signature ? { "x-hub-signature-256": signature } : {}),
});

/** POSTs a body in chunks (no Content-Length); resolves with the status as soon as the answer arrives. */
function postChunked(delivery: string, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/github/webhooks`, { method: "POST", headers: { ...headers(delivery, "sha256=00"), "transfer-encoding": "chunked" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

test("a correctly signed body goes on to Probot as req.body", async () => {
  const body = JSON.stringify({ action: "created", comment: { body: MARKER } });
  const res = await fetch(`${base}/api/github/webhooks`, { method: "POST", headers: headers("d-ok", sign(body)), body });
  expect(res.status).toBe(200);
  expect(handedOn).toEqual([body]);
});

test("a handler failure is answered 500 with a general message and the delivery id, not the error text", async () => {
  const body = JSON.stringify({ action: "created" });
  const res = await fetch(`${base}/api/github/webhooks`, { method: "POST", headers: { ...headers("d-fails", sign(body)), "x-github-event": "fails" }, body });
  expect(res.status).toBe(500);
  expect(await res.json()).toEqual({ error: "internal_error", message: "handling the webhook failed", delivery: "d-fails" });
});

test("a wrong or missing signature is refused with 400 and logged at WARN without the payload", async () => {
  const body = JSON.stringify({ action: "created", comment: { body: MARKER } });
  const forged = await fetch(`${base}/api/github/webhooks`, { method: "POST", headers: headers("d-forged", sign(body, "development")), body });
  expect(forged.status).toBe(400);
  expect(await forged.json()).toMatchObject({ error: "signature_mismatch", delivery: "d-forged" });
  const unsigned = await fetch(`${base}/api/github/webhooks`, { method: "POST", headers: headers("d-unsigned"), body });
  expect(unsigned.status).toBe(400);
  expect(handedOn).toEqual([]);
  expect(lines.map((l) => [l.level, l.delivery, l.bytes])).toEqual([
    [40, "d-forged", body.length],
    [40, "d-unsigned", body.length],
  ]);
  expect(JSON.stringify(lines)).not.toContain(MARKER);
});

test("a declared length above the cap is refused with 413 before any of the body is sent", async () => {
  const status = await new Promise<number>((resolve, reject) => {
    // The body is never written: only the guard answering before reading can produce a response.
    const req = request(`${base}/api/github/webhooks`, { method: "POST", headers: { ...headers("d-big", "sha256=00"), "content-length": String(50 * 1024 * 1024) } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on("error", reject);
    req.flushHeaders();
  });
  expect(status).toBe(413);
  expect(lines).toEqual([expect.objectContaining({ level: 40, delivery: "d-big", bytes: 50 * 1024 * 1024, limit: MAX })]);
});

test("a chunked body is refused with 413 once its running count passes the cap", async () => {
  expect(await postChunked("d-chunked", 4 * MAX)).toBe(413);
  expect(handedOn).toEqual([]);
  expect(lines).toEqual([expect.objectContaining({ level: 40, delivery: "d-chunked", bytes: `more than ${MAX}` })]);
});

test("other paths and methods are left to Probot", async () => {
  expect((await fetch(`${base}/healthz`, { method: "POST", body: "x".repeat(2 * MAX) })).status).toBe(200);
  expect((await fetch(`${base}/api/github/webhooks`)).status).toBe(200);
  expect(handedOn).toEqual(["<not handed on>", "<not handed on>"]);
});

test("signatures and FLEETWARD_WEBHOOK_MAX_BYTES", () => {
  const body = Buffer.from("{}");
  expect(signatureMatches(SECRET, body, sign("{}"))).toBe(true);
  expect(signatureMatches(SECRET, body, sign("{ }"))).toBe(false);
  expect(signatureMatches(SECRET, body, sign("{}").slice(0, -1))).toBe(false);
  expect(signatureMatches(SECRET, body, undefined)).toBe(false);
  expect(webhookMaxBytes(undefined)).toBe(DEFAULT_WEBHOOK_MAX_BYTES);
  expect(webhookMaxBytes("1048576")).toBe(1048576);
  expect(() => webhookMaxBytes("25MB")).toThrow(/FLEETWARD_WEBHOOK_MAX_BYTES must be a positive whole number/);
  expect(() => webhookMaxBytes("0")).toThrow(/FLEETWARD_WEBHOOK_MAX_BYTES/);
});
