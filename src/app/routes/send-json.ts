import type { ServerResponse } from "node:http";

/**
 * How long the connection of a refused request stays open after the answer was sent, its remaining body read
 * and thrown away, before it is closed. Closing a socket with unread data resets it, and a client still sending
 * can lose the answer to that reset; in this time it reads the answer first. A body that goes on longer is cut.
 */
export const LINGER_MS = 2000;

/**
 * Answers with a JSON body. `close`: the request's body was not read to its end (a refused body); the whole
 * answer is written at once (with its length, and `Connection: close`), the rest of the body is read and thrown
 * away (never kept) until it ends or `LINGER_MS` pass, and then the response ends and the connection closes.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, options: { headers?: Record<string, string>; close?: boolean } = {}): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...(options.headers ?? {}) };
  if (options.close) headers.connection = "close";
  res.writeHead(status, headers);
  const req = res.req;
  if (!options.close || req.complete) {
    res.end(text);
    return;
  }
  res.write(text);
  let ended = false;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    res.end();
  };
  const timer = setTimeout(finish, LINGER_MS);
  req.once("end", finish);
  req.once("error", finish);
  req.removeAllListeners("data");
  req.resume();
}
