/**
 * An HTTP proxy in front of the app for one sender: forwards every request to `target` (same path, method,
 * headers, body) and records each answer's status; `failNext(n, status)` answers the next n requests itself
 * with that status instead (an outage the sender must retry through).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedRequest {
  path: string;
  /** The status the sender got. */
  status: number;
  /** True when the proxy answered itself (injected failure). */
  injected: boolean;
  /** The request body as JSON, when it was JSON. */
  body: unknown;
  /** The answer's body as text (the first 2,000 characters). */
  answer: string;
}

export interface FaultProxy {
  /** Base URL of the proxy (no trailing slash). */
  readonly url: string;
  readonly requests: ProxiedRequest[];
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

const INJECTED = '{"error":"injected"}';

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const requests: ProxiedRequest[] = [];
  let failures: { left: number; status: number } = { left: 0, status: 503 };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = req.url ?? "/";
      if (failures.left > 0) {
        failures.left--;
        requests.push({ path, status: failures.status, injected: true, body: parseJson(body), answer: INJECTED });
        res.writeHead(failures.status, { "content-type": "application/json" }).end(INJECTED);
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !["host", "connection", "content-length", "transfer-encoding"].includes(k))) as Record<string, string>;
      try {
        const answer = await fetch(`${target}${path}`, { method: req.method, headers, body: body.length ? body : undefined });
        const text = Buffer.from(await answer.arrayBuffer());
        requests.push({ path, status: answer.status, injected: false, body: parseJson(body), answer: text.toString("utf8", 0, 2_000) });
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/octet-stream" }).end(text);
      } catch (e) {
        requests.push({ path, status: 502, injected: false, body: parseJson(body), answer: (e as Error).message });
        res.writeHead(502).end(String((e as Error).message));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (count, status = 503) => {
      failures = { left: count, status };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
