import type { IncomingMessage, ServerResponse } from "node:http";

/** `GET /healthz`: answers 200 while the process lives. Returns true when it handled the request. */
export function healthzRoute(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== "/healthz" || (req.method !== "GET" && req.method !== "HEAD")) return false;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ status: "ok" }));
  return true;
}
