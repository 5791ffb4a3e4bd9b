import type { ServerResponse } from "node:http";

/**
 * Answers with a JSON body. `close` asks the client to close the connection (after a refused body that was
 * not read to its end), and ends the socket once the answer is written.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, options: { headers?: Record<string, string>; close?: boolean } = {}): void {
  const headers: Record<string, string> = { "content-type": "application/json", ...(options.headers ?? {}) };
  if (options.close) headers.connection = "close";
  res.writeHead(status, headers);
  res.end(JSON.stringify(body), () => {
    if (options.close) res.req.socket.destroySoon();
  });
}
