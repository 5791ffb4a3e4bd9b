/**
 * What stands before Probot's webhook middleware on `POST <webhook path>`: the body cap and the signature.
 * A body above the cap is refused with 413 without being read (by its `Content-Length`, or by a running count
 * when it is chunked); a body whose `X-Hub-Signature-256` does not match `WEBHOOK_SECRET` is refused with 400.
 * Refusals are logged at WARN by size and delivery id, never with the payload. A verified body is handed on
 * as `req.body` (Probot's middleware then uses it instead of reading the stream), and a 5xx answer to it
 * carries a general message, not the error's text.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { readRequestBody } from "./routes/read-request-body.js";
import { sendJson } from "./routes/send-json.js";

/** GitHub caps webhook payloads at 25 MB; Fleetward refuses anything larger by default. */
export const DEFAULT_WEBHOOK_MAX_BYTES = 25 * 1024 * 1024;

export interface WebhookGuardOptions {
  /** The webhook path (Probot's `WEBHOOK_PATH`, `/api/github/webhooks` by default). */
  path: string;
  secret: string;
  maxBytes: number;
  log: Logger;
}

/** Answers the request (true) when it is refused; false when it goes on to Probot. */
export type WebhookGuard = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** `FLEETWARD_WEBHOOK_MAX_BYTES` as a positive integer, the default when unset; throws on anything else. */
export function webhookMaxBytes(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_WEBHOOK_MAX_BYTES;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`FLEETWARD_WEBHOOK_MAX_BYTES must be a positive whole number of bytes, not ${JSON.stringify(value)}`);
  return n;
}

/** Whether `signature` (`sha256=<hex>`) is the HMAC-SHA256 of `body` with `secret`, compared in constant time. */
export function signatureMatches(secret: string, body: Buffer, signature: string | undefined): boolean {
  if (typeof signature !== "string" || !signature.startsWith("sha256=")) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function pathOf(url: string | undefined): string {
  const path = (url ?? "").split("?")[0] ?? "";
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** A header as a short string for the log (attacker-controlled, so cut). */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value.slice(0, 100) : undefined;
}

export function createWebhookGuard(options: WebhookGuardOptions): WebhookGuard {
  const path = pathOf(options.path);
  return async (req, res) => {
    if (req.method !== "POST" || pathOf(req.url) !== path) return false;
    const delivery = header(req, "x-github-delivery");
    const event = header(req, "x-github-event");
    const declared = Number(req.headers["content-length"]);
    const read = Number.isFinite(declared) && declared > options.maxBytes ? null : await readRequestBody(req, options.maxBytes);
    if (!read?.ok) {
      options.log.warn({ delivery, event, bytes: Number.isFinite(declared) ? declared : `more than ${options.maxBytes}`, limit: options.maxBytes }, "webhook refused: the body exceeds FLEETWARD_WEBHOOK_MAX_BYTES");
      sendJson(res, 413, { error: "payload_too_large", message: `webhook bodies are limited to ${options.maxBytes} bytes`, delivery }, { close: true });
      return true;
    }
    if (!signatureMatches(options.secret, read.body, header(req, "x-hub-signature-256"))) {
      options.log.warn({ delivery, event, bytes: read.body.length }, "webhook refused: missing X-Hub-Signature-256 or it does not match WEBHOOK_SECRET");
      sendJson(res, 400, { error: "signature_mismatch", message: "signature does not match event payload and secret", delivery });
      return true;
    }
    req.body = read.body.toString("utf8");
    hideServerErrorText(res, delivery, options.log);
    return false;
  };
}

/**
 * Probot's middleware answers a webhook whose handler threw with 500 and the error's message; the sender
 * (GitHub's delivery log) gets a general message and the delivery id instead (the error is logged by Probot).
 * The head is rewritten too, since it carries the original body's length.
 */
function hideServerErrorText(res: ServerResponse, delivery: string | undefined, log: Logger): void {
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
  const end = res.end.bind(res) as (body?: unknown, ...rest: unknown[]) => ServerResponse;
  const generic = JSON.stringify({ error: "internal_error", message: "handling the webhook failed", delivery });
  let hidden = false;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (status < 500) return writeHead(status, ...rest);
    hidden = true;
    log.warn({ delivery, status }, "webhook handling failed; answered without the error text");
    return writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(generic)) });
  }) as typeof res.writeHead;
  res.end = ((body?: unknown, ...rest: unknown[]) => {
    if (!hidden) return end(body, ...rest);
    return end(generic, ...rest.filter((r) => typeof r === "function"));
  }) as typeof res.end;
}
