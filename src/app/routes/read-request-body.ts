import type { IncomingMessage } from "node:http";

/** The body, or `tooLarge` with how many bytes were read before refusing (0 when its declared length was too large). */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: true; received: number };

/**
 * Reads a request body up to `limit` bytes. A `Content-Length` above the limit is refused before reading;
 * a body that grows past it stops being read at that point (the caller answers 413 and closes the connection).
 */
export async function readRequestBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return { ok: false, tooLarge: true, received: 0 };
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve({ ok: false, tooLarge: true, received: size });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ ok: true, body: Buffer.concat(chunks) });
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/** Most bytes of a refused body read and thrown away so the client, still sending, gets the answer (as Go's server). */
export const DISCARD_LIMIT = 256 * 1024;

/**
 * Reads and throws away the rest of a request body, up to `limit` bytes. Resolves true when the body ended
 * within it (the connection can then be closed without a reset), false when more was coming or the body is
 * declared longer than `already + limit`.
 */
export function discardBody(req: IncomingMessage, already: number, limit = DISCARD_LIMIT): Promise<boolean> {
  const declared = Number(req.headers["content-length"]);
  if (req.complete) return Promise.resolve(true);
  if (Number.isFinite(declared) && declared - already > limit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let size = 0;
    const finish = (ended: boolean): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      if (!ended) req.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onError = (): void => finish(false);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.resume();
  });
}
