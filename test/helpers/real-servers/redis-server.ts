/**
 * Debian's /usr/bin/redis-server for a test: 127.0.0.1 on a free port, no persistence (`--save '' --appendonly no`),
 * its dir a temp dir, readiness by PING with a deadline. `kill()` is SIGKILL (a crashed Redis), `restart()` starts it
 * again on the same port (an empty Redis, as after a crash without persistence).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../free-port.js";
import { ServerStartError, spawnReal, type RealProcess } from "./real-process.js";

export const REDIS_BINARY = "/usr/bin/redis-server";

export interface RedisServer {
  readonly name: "redis";
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly dir: string;
  /** The current process (a new one after restart()). */
  readonly proc: RealProcess;
  /** Everything every process of this server wrote so far. */
  log(): string;
  /** SIGKILL, resolves when it has exited (a crashed Redis: clients see their connection reset). */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits for PING (bounded); an earlier process is stopped first. */
  restart(): Promise<void>;
  /** Stops the server and removes its temp dir. */
  stop(): Promise<void>;
}

/** One PING over a raw socket: true on +PONG within `timeoutMs`. */
export function pingRedis(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let answer = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => {
      answer += d.toString();
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"));
    });
  });
}

function exited(proc: RealProcess): boolean {
  return proc.child.exitCode !== null || proc.child.signalCode !== null;
}

async function waitPing(proc: RealProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(proc)) {
      throw new ServerStartError("server_exited", `${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before answering PING on ${port}; its log:\n${proc.log()}`);
    }
    if (await pingRedis(port, 500)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.stop();
  throw new ServerStartError("server_not_ready", `${proc.name}: no PONG on 127.0.0.1:${port} within ${timeoutMs} ms; its log:\n${proc.log()}`);
}

function spawnRedis(dir: string, port: number): RealProcess {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--protected-mode", "yes"];
  return spawnReal("redis", REDIS_BINARY, args, dir);
}

export async function startRedis(options: { startTimeoutMs?: number } = {}): Promise<RedisServer> {
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = await mkdtemp(join(tmpdir(), "fleetward-redis-"));
  let earlier = "";
  let proc: RealProcess | undefined;
  let port = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      proc = spawnRedis(dir, port);
      try {
        await waitPing(proc, port, timeoutMs);
        break;
      } catch (e) {
        // A probed port can be taken in between: try another one.
        if (attempt < 3 && e instanceof ServerStartError && e.code === "server_exited" && /address already in use/i.test(proc.log())) continue;
        throw e;
      }
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  let current: RealProcess = proc;
  return {
    name: "redis",
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get proc() {
      return current;
    },
    log: () => earlier + current.log(),
    kill: async () => {
      if (exited(current)) return;
      const gone = new Promise<void>((resolve) => current.child.once("exit", () => resolve()));
      current.child.kill("SIGKILL");
      await gone;
    },
    restart: async () => {
      await current.stop();
      earlier += current.log() + "\n----- restarted -----\n";
      current = spawnRedis(dir, port);
      await waitPing(current, port, timeoutMs);
    },
    stop: async () => {
      await current.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
