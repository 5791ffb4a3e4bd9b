/**
 * A real server binary started by a test (Prometheus, Alertmanager): its output kept in memory and in a log
 * file of its temp dir, readiness polled over HTTP with a deadline, stopped with SIGTERM then SIGKILL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, type WriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../free-port.js";

export interface RealProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logPath: string;
  /** Everything it wrote so far (stdout and stderr). */
  log(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export class ServerStartError extends Error {
  constructor(
    readonly code: "server_binary_missing" | "server_exited" | "server_not_ready",
    message: string,
  ) {
    super(message);
    this.name = "ServerStartError";
  }
}

function exitedAlready(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function spawnReal(name: string, binary: string, args: string[], dir: string): RealProcess {
  if (!existsSync(binary)) {
    throw new ServerStartError("server_binary_missing", `${name}: ${binary} is not installed (scripts/setup-test-deps.sh installs it)`);
  }
  const logPath = join(dir, `${name}.log`);
  const file: WriteStream = createWriteStream(logPath);
  const child = spawn(binary, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (d: Buffer) => {
    out += d.toString();
    file.write(d);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("error", (e) => (out += `\n[spawn error] ${e.message}\n`));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  void exited.then(() => file.end());
  return {
    name,
    child,
    logPath,
    log: () => out,
    stop: async (graceMs = 3_000) => {
      if (exitedAlready(child)) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!exitedAlready(child)) child.kill("SIGKILL");
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200; throws a ServerStartError with the log when the process exits or time is up. */
export async function waitReady(proc: RealProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (exitedAlready(proc.child)) {
      throw new ServerStartError("server_exited", `${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${url} was ready; its log:\n${proc.log()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await proc.stop();
  throw new ServerStartError("server_not_ready", `${proc.name}: ${url} not ready within ${timeoutMs} ms (last: ${last}); its log:\n${proc.log()}`);
}

/**
 * Starts a server on a probed free port and waits for `readyPath`. A probed port can be taken in between by
 * another process: when the server exits complaining the address is in use, it is tried again on another port.
 */
export async function startOnFreePort(
  start: (port: number) => RealProcess,
  readyPath: string,
  timeoutMs: number,
): Promise<{ proc: RealProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc = start(port);
    try {
      await waitReady(proc, `http://127.0.0.1:${port}${readyPath}`, timeoutMs);
      return { proc, port };
    } catch (e) {
      if (attempt < 3 && e instanceof ServerStartError && e.code === "server_exited" && /address already in use/i.test(proc.log())) continue;
      throw e;
    }
  }
}

/** Runs `body`; when it fails, the error message gets the logs of the servers (the last 8,000 characters of each). */
export async function withServerLogs(servers: () => readonly { name: string; log(): string }[], body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    const logs = servers()
      .map((s) => `----- ${s.name} log (tail) -----\n${s.log().slice(-8_000)}`)
      .join("\n");
    if (e instanceof Error) {
      e.message = `${e.message}\n${logs}`;
      throw e;
    }
    throw new Error(`${String(e)}\n${logs}`, { cause: e });
  }
}

export interface TempDirServer {
  proc: RealProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  dir: string;
  /** Stops the process and removes its temp dir. */
  stop(): Promise<void>;
}

/**
 * Creates a temp dir, lets `prepare` write the server's files there, and starts `binary` with `args(dir, port)`
 * on a free port (bounded by `timeoutMs` until `readyPath` answers 200). The dir is removed if it fails.
 */
export async function startInTempDir(
  name: string,
  binary: string,
  spec: { prepare(dir: string): Promise<void>; args(dir: string, port: number): string[]; readyPath: string; timeoutMs: number },
): Promise<TempDirServer> {
  const dir = await mkdtemp(join(tmpdir(), `fleetward-${name}-`));
  try {
    await spec.prepare(dir);
    const { proc, port } = await startOnFreePort((port) => spawnReal(name, binary, spec.args(dir, port), dir), spec.readyPath, spec.timeoutMs);
    return {
      proc,
      port,
      url: `http://127.0.0.1:${port}`,
      dir,
      stop: async () => {
        await proc.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
