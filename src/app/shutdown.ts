/**
 * Graceful shutdown (`SIGTERM` from Kubernetes or `docker stop`, `SIGINT` from a terminal): stop accepting
 * connections, let the work already started finish (webhook deliveries whose handlers are still running, even after
 * their HTTP answer; HTTP requests in progress, such as alert notifications), then exit. Work still running after
 * the drain timeout is logged and abandoned: every effect of Fleetward is idempotent, so a redelivery or the
 * reconciler completes it later without duplicates.
 */
import type { ServerResponse } from "node:http";

/** Promises of work in progress (webhook deliveries), so that a shutdown can wait for them. */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();
  private readonly waiters = new Set<() => void>();
  private readonly answering = new Set<ServerResponse>();
  private closing = false;

  get draining(): boolean {
    return this.closing;
  }

  /**
   * A webhook request being answered. Once draining, its answer (and every later one) says `Connection: close`: a
   * closed server stops accepting connections, but a client's kept-alive connection would otherwise go on
   * delivering to a process about to exit.
   */
  answer(res: ServerResponse): void {
    if (this.closing) {
      if (!res.headersSent) res.setHeader("Connection", "close");
      return;
    }
    this.answering.add(res);
    res.once("close", () => this.answering.delete(res));
  }

  /** From now on answers close their connections. */
  startDraining(): void {
    this.closing = true;
    for (const res of this.answering) if (!res.headersSent) res.setHeader("Connection", "close");
    this.answering.clear();
  }

  get count(): number {
    return this.running.size;
  }

  /** Counts `work` as in flight until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => {
      this.running.delete(work);
      if (this.running.size === 0) for (const wake of [...this.waiters]) wake();
    };
    work.then(done, done);
    return work;
  }

  /** Resolves true once nothing is in flight, false when `timeoutMs` passes first. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }
}

/** The longest a shutdown waits for work in flight: `FLEETWARD_SHUTDOWN_TIMEOUT` (a duration or seconds), default 25s. */
export function shutdownTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.FLEETWARD_SHUTDOWN_TIMEOUT?.trim();
  if (raw === undefined || raw === "") return 25_000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(raw);
  if (m === null) throw new Error(`FLEETWARD_SHUTDOWN_TIMEOUT must be a duration such as 25s, 500ms or 1m (got "${raw}")`);
  const n = Number(m[1]);
  return Math.round(m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000);
}

/** The two log levels a shutdown writes (a pino logger fits). */
export interface ShutdownLog {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
}

export interface Stoppable {
  /** Stops accepting connections; resolves when the requests in progress have been answered. */
  stop(): Promise<void>;
}

/**
 * Drains and tells how it went: `true` when everything finished in time. The HTTP server stops accepting at once;
 * deliveries still running after their answer are awaited up to `timeoutMs` in all.
 */
export async function drain(server: Stoppable, inFlight: InFlight, options: { timeoutMs: number; log: ShutdownLog; signal: string }): Promise<boolean> {
  const started = Date.now();
  inFlight.startDraining();
  options.log.info({ inFlight: inFlight.count }, `${options.signal}: stopping; no new connections, waiting for ${inFlight.count} deliveries in flight`);
  const stopped = await Promise.race([server.stop().then(() => true, () => true), delay(options.timeoutMs).then(() => false)]);
  const left = Math.max(0, options.timeoutMs - (Date.now() - started));
  const idle = stopped && (await inFlight.idle(left));
  if (idle) options.log.info(`${options.signal}: drained in ${Date.now() - started} ms; exiting`);
  else options.log.warn({ inFlight: inFlight.count }, `${options.signal}: ${inFlight.count} deliveries still running after ${options.timeoutMs} ms; exiting anyway (redeliveries and the reconciler complete them)`);
  return idle;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
