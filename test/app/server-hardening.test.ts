/**
 * The built server, spawned as `npm start` runs it: it refuses to start with APP_ID but no WEBHOOK_SECRET,
 * refuses a 50 MB webhook within a second without its memory growing by the body's size, and keeps
 * credentials out of its log.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAppCopy, REPO_ROOT } from "../helpers/build-app-copy.js";
import { freePort } from "../helpers/free-port.js";
import { rssOf, spawnNode, waitForHttp, type Spawned } from "../helpers/spawned-process.js";

const MB = 1024 * 1024;
let dir: string;
let privateKey: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "fleetward-server-"));
  buildAppCopy(dir);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function appEnv(port: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    APP_ID: "4242",
    PRIVATE_KEY: privateKey,
    PORT: String(port),
    HOST: "127.0.0.1",
    // Nothing listens there: the app never reaches a real GitHub.
    GHE_HOST: "127.0.0.1:9",
    GHE_PROTOCOL: "http",
    FLEETWARD_RECONCILE_INTERVAL: "off",
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
    ...extra,
  };
}

test("with APP_ID but no WEBHOOK_SECRET the server exits non-zero, naming WEBHOOK_SECRET", async () => {
  const server = spawnNode(["dist/src/app/server.js"], { cwd: dir, env: appEnv(await freePort()) });
  try {
    const code = await Promise.race([server.exited, new Promise<string>((r) => setTimeout(() => r("still running"), 60_000))]);
    expect(code).toBe(1);
    expect(server.output()).toContain("fleetward: WEBHOOK_SECRET is not set");
  } finally {
    server.stop();
  }
}, 90_000);

/**
 * POSTs `total` bytes to the webhook path over a plain socket, reading while it writes, as a client that reads an
 * early answer does; resolves with the status and the milliseconds until the status line arrived. Write errors
 * after the refusal (the server closes the connection after its linger) are expected and ignored.
 */
function postWebhook(port: number, total: number, chunked: boolean): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const head = [
      "POST /api/github/webhooks HTTP/1.1",
      `host: 127.0.0.1:${port}`,
      "content-type: application/json",
      "x-github-event: push",
      `x-github-delivery: ${chunked ? "delivery-chunked" : "delivery-declared"}`,
      "x-hub-signature-256: sha256=0000",
      chunked ? "transfer-encoding: chunked" : `content-length: ${total}`,
      "",
      "",
    ].join("\r\n");
    let answer = "";
    let done = false;
    const finish = (result: { status: number; ms: number } | Error): void => {
      if (done) return;
      done = true;
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(answer);
      if (status) finish({ status: Number(status[1]), ms: performance.now() - started });
    });
    socket.on("error", () => undefined);
    socket.on("close", () => finish(new Error(`the connection closed without an answer (${JSON.stringify(answer.slice(0, 200))})`)));
    const piece = Buffer.alloc(256 * 1024, 0x20);
    const chunk = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]) : piece;
    let sent = 0;
    const pump = (): void => {
      while (sent < total && !done && !socket.destroyed) {
        sent += piece.length;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      if (!done && !socket.destroyed) socket.write(chunked ? "0\r\n\r\n" : "");
    };
    socket.once("connect", () => {
      socket.write(head);
      pump();
    });
  });
}

describe("a 50 MB webhook", () => {
  let server: Spawned;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    server = spawnNode(["dist/src/app/server.js"], { cwd: dir, env: appEnv(port, { WEBHOOK_SECRET: "s3cret" }) });
    expect((await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, 60_000)).status).toBe(200);
  }, 90_000);

  afterAll(() => server?.stop());

  // GitHub sends a Content-Length: refused before a byte is read. A chunked body is read up to the 25 MB cap
  // first (it has to be sent that far), so its time bound is looser.
  test.each([
    ["with its Content-Length", 1000, false],
    ["chunked", 5000, true],
  ])("%s is refused with 413 in under %i ms, the server's RSS growing by less than 50 MB", async (_what, bound, chunked) => {
    const pid = server.child.pid as number;
    const before = await rssOf(pid);
    const answer = await postWebhook(port, 50 * MB, chunked);
    const after = await rssOf(pid);
    expect(answer.status).toBe(413);
    expect(answer.ms).toBeLessThan(bound);
    expect(after - before).toBeLessThan(50 * MB);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const refusal = server.output().split("\n").find((l) => l.includes(chunked ? "delivery-chunked" : "delivery-declared"));
    expect(refusal).toMatch(/"level":40/);
  }, 30_000);

  test("credentials in request headers are not logged", async () => {
    const token = "alert-token-5d1e9c";
    const res = await fetch(`http://127.0.0.1:${port}/api/alerts/generic`, { method: "POST", headers: { authorization: `Bearer ${token}`, cookie: `session=${token}` }, body: "{}" });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    const line = server.output().split("\n").find((l) => l.includes('"url":"/api/alerts/generic"'));
    expect(line).toContain('"authorization":"[redacted]"');
    expect(server.output()).not.toContain(token);
  }, 30_000);
});
