/**
 * N replicas of the BUILT server (`node dist/src/app/server.js`, as the container image runs it) against the GitHub
 * simulator's HTTP server: one build copy (build-app-copy.ts, node_modules linked), the same environment for every
 * replica (plus REDIS_URL when given), each on its own free port, its output kept; `stopAll()` for afterAll.
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, buildAppCopy } from "./build-app-copy.js";
import { freePort } from "./free-port.js";
import { spawnNode, waitForHttp, type Spawned } from "./spawned-process.js";
import { appServerEnv } from "../../src/simulator/app-server-env.js";
import type { CreatedApp, RunningServer } from "../../src/simulator/github-simulator.js";

export interface Replica {
  /** "replica-1", "replica-2"… */
  readonly name: string;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Where GitHub's webhooks go. */
  readonly webhookUrl: string;
  readonly proc: Spawned;
  /** Everything it wrote so far. */
  log(): string;
  /** SIGTERM (graceful drain), SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServerCopy {
  readonly dir: string;
  remove(): void;
}

/** Builds the app into a temp dir once (tsc, runtime files) with the repository's node_modules linked. */
export function buildServerCopy(): ServerCopy {
  const dir = mkdtempSync(join(tmpdir(), "fleetward-replicas-"));
  try {
    buildAppCopy(dir);
    symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment every replica gets: the app's credentials, GitHub = the simulator over HTTP, JSON logs. */
export function replicaEnv(app: CreatedApp, api: RunningServer, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", ...appServerEnv(app, api), LOG_FORMAT: "json", ...extra };
}

function exited(proc: Spawned): boolean {
  return proc.child.exitCode !== null || proc.child.signalCode !== null;
}

async function startOne(name: string, dir: string, env: Record<string, string>, readyTimeoutMs: number): Promise<Replica> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc = spawnNode(["dist/src/app/server.js"], { cwd: dir, env: { ...env, PORT: String(port) } });
    const url = `http://127.0.0.1:${port}`;
    try {
      const res = await waitForHttp(`${url}/healthz`, proc, readyTimeoutMs);
      if (res.status !== 200) throw new Error(`${name}: /healthz answered ${res.status}:\n${proc.output()}`);
    } catch (e) {
      proc.stop();
      // A probed port can be taken in between by another process: try another one.
      if (attempt < 3 && /EADDRINUSE/.test(proc.output())) continue;
      throw new Error(`${name} did not start: ${(e as Error).message}`, { cause: e });
    }
    return {
      name,
      port,
      url,
      webhookUrl: `${url}/api/github/webhooks`,
      proc,
      log: () => proc.output(),
      stop: async (graceMs = 5_000) => {
        if (exited(proc)) return;
        proc.stop();
        const timer = setTimeout(() => {
          if (!exited(proc)) proc.child.kill("SIGKILL");
        }, graceMs);
        await proc.exited;
        clearTimeout(timer);
      },
    };
  }
}

export interface Replicas {
  readonly list: readonly Replica[];
  /** Stops every replica (SIGTERM, then SIGKILL); safe to call twice. */
  stopAll(): Promise<void>;
}

/** Starts `count` replicas from `copy` with `env` (each its own PORT), concurrently; all or none. */
export async function startReplicas(copy: ServerCopy, count: number, env: Record<string, string>, readyTimeoutMs = 60_000): Promise<Replicas> {
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startOne(`replica-${i + 1}`, copy.dir, env, readyTimeoutMs)));
  const list = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const stopAll = async () => {
    await Promise.all(list.map((r) => r.stop()));
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  return { list, stopAll };
}
