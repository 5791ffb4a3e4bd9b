/**
 * A small pool of worker threads that runs policy code away from the server's event loop. The workers start on the
 * first job (all of them, so that the next jobs do not wait for one to load) and are reused; each runs one job at a
 * time, with `resourceLimits` on its heap, a Wasm memory maximum for every policy module (set by the worker itself),
 * and a wall-clock deadline per job. A job past its deadline or over a memory limit ends its worker: the job
 * resolves as a `SandboxLimitHit` naming the step the worker was on (read from the memory they share), and a
 * replacement worker starts. A worker that dies otherwise rejects its job with the reason (one that dies before it
 * is ready rejects every waiting job: the build is broken). Jobs wait in order while every worker is busy or
 * starting; the deadline counts from the job's start on a ready worker, so loading the compiler does not count.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { EvaluationStep } from "../policy/evaluation-step.js";
import type { SandboxLimits } from "./sandbox-limits.js";
import type { SandboxJob, SandboxJobResult } from "./sandbox-jobs.js";
import type { SandboxRequest, SandboxResponse, SandboxWorkerData } from "./sandbox-worker.js";
import { StepBuffer } from "./step-buffer.js";

/** A job ended by a limit: which, after how long, and the step the worker was on. */
export interface SandboxLimitHit {
  ok: false;
  limit: "time" | "memory";
  /** The limit as configured (milliseconds for time, MiB for memory). */
  amount: number;
  step?: EvaluationStep;
  elapsedMs: number;
}

export type SandboxOutcome<T> = { ok: true; value: T; elapsedMs: number } | SandboxLimitHit;

export class SandboxUnavailableError extends Error {
  readonly code = "sandbox_worker_missing";
  constructor(path: string) {
    super(`the policy sandbox's worker ${path} does not exist: build the server first (npm run build)`);
    this.name = "SandboxUnavailableError";
  }
}

/**
 * Where the worker's JavaScript is: next to this module in the build, and the build's copy when this module runs
 * as TypeScript (under jest, which cannot load TypeScript in a worker thread: the test script builds first).
 */
export function sandboxWorkerPath(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  if (here.endsWith(".js")) return join(dirname(here), "sandbox-worker.js");
  return join(resolve(dirname(here), "..", ".."), "dist", "src", "sandbox", "sandbox-worker.js");
}

interface Pending {
  id: number;
  job: SandboxJob;
  timeoutMs: number;
  resolve: (outcome: SandboxOutcome<unknown>) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  steps: StepBuffer;
  /** Set when the worker has loaded its modules and said so. */
  ready: boolean;
  current?: { pending: Pending; started: number; timer: NodeJS.Timeout };
  /** The error the worker ended with, when it did ('error' comes before 'exit'). */
  error?: Error;
}

export class SandboxPool {
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  constructor(
    readonly limits: Pick<SandboxLimits, "workers" | "memoryMb">,
    readonly workerPath: string = sandboxWorkerPath(),
  ) {}

  /** How many workers are alive (for tests and health). */
  get workers(): number {
    return this.#slots.length;
  }

  /** How many workers have loaded and warmed up. */
  get readyWorkers(): number {
    return this.#slots.filter((s) => s.ready).length;
  }

  /** Runs a job in a worker with `timeoutMs` of wall-clock time. */
  run<J extends SandboxJob>(job: J, timeoutMs: number): Promise<SandboxOutcome<SandboxJobResult<J>>> {
    if (this.#closed) return Promise.reject(new Error("the policy sandbox is closed"));
    if (!existsSync(this.workerPath)) return Promise.reject(new SandboxUnavailableError(this.workerPath));
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, job, timeoutMs, resolve: resolve as Pending["resolve"], reject });
      this.#dispatch();
    });
  }

  /** Ends every worker; queued and running jobs are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.reject(new Error("the policy sandbox was closed"));
    const slots = this.#slots.splice(0);
    for (const slot of slots) this.#settle(slot, () => slot.current?.pending.reject(new Error("the policy sandbox was closed")));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0 && !this.#closed) {
      const slot = this.#slots.find((s) => s.ready && s.current === undefined);
      if (slot === undefined) {
        // The job waits for a worker to finish or to be ready; the pool starts all its workers on the first job, so
        // that the next ones do not wait for a worker to load and warm up.
        while (this.#slots.length < this.limits.workers) this.#spawn();
        return;
      }
      this.#start(slot, this.#queue.shift() as Pending);
    }
  }

  #spawn(): Slot {
    const steps = new StepBuffer();
    const workerData: SandboxWorkerData = { steps: steps.shared, memoryMb: this.limits.memoryMb };
    const worker = new Worker(this.workerPath, { workerData, resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb } });
    const slot: Slot = { worker, steps, ready: false };
    worker.unref();
    worker.on("message", (response: SandboxResponse | { ready: true }) => {
      if ("ready" in response) {
        slot.ready = true;
        this.#dispatch();
      } else this.#answered(slot, response);
    });
    worker.on("error", (error) => (slot.error = error));
    worker.on("exit", (code) => this.#exited(slot, code));
    this.#slots.push(slot);
    return slot;
  }

  #start(slot: Slot, pending: Pending): void {
    slot.steps.reset();
    const timer = setTimeout(() => this.#timedOut(slot), pending.timeoutMs);
    slot.current = { pending, started: performance.now(), timer };
    slot.worker.ref();
    try {
      slot.worker.postMessage({ id: pending.id, job: pending.job } satisfies SandboxRequest);
    } catch (error) {
      // The job is not plain data (a function, a class instance the clone refuses).
      this.#settle(slot, () => pending.reject(error instanceof Error ? error : new Error(String(error))));
      this.#dispatch();
    }
  }

  /** Ends the slot's current job with `settle`; the slot is idle afterwards. */
  #settle(slot: Slot, settle: () => void): void {
    const current = slot.current;
    if (current === undefined) return;
    clearTimeout(current.timer);
    slot.current = undefined;
    slot.worker.unref();
    settle();
  }

  #elapsed(slot: Slot): number {
    return slot.current === undefined ? 0 : performance.now() - slot.current.started;
  }

  #answered(slot: Slot, response: SandboxResponse): void {
    const pending = slot.current?.pending;
    if (pending === undefined || pending.id !== response.id) return;
    const elapsedMs = this.#elapsed(slot);
    this.#settle(slot, () => (response.ok ? pending.resolve({ ok: true, value: response.value, elapsedMs }) : pending.reject(new Error(response.error))));
    this.#dispatch();
  }

  /**
   * Takes the slot out of the pool; after a limit, starts its replacement at once (a worker that crashed is replaced
   * on the next job only, so that a broken build cannot restart workers in a loop).
   */
  #retire(slot: Slot, replace: boolean): void {
    const at = this.#slots.indexOf(slot);
    if (at < 0) return;
    this.#slots.splice(at, 1);
    if (replace && !this.#closed) this.#spawn();
    this.#dispatch();
  }

  #timedOut(slot: Slot): void {
    const pending = slot.current?.pending;
    if (pending === undefined) return;
    const hit: SandboxLimitHit = { ok: false, limit: "time", amount: pending.timeoutMs, elapsedMs: this.#elapsed(slot), ...stepOf(slot) };
    this.#settle(slot, () => pending.resolve(hit));
    void slot.worker.terminate();
    this.#retire(slot, true);
  }

  #exited(slot: Slot, code: number): void {
    if (!slot.ready) {
      const reason = new Error(`the policy sandbox's worker did not start (exit code ${code})${slot.error !== undefined ? `: ${slot.error.message}` : ""}`);
      for (const p of this.#queue.splice(0)) p.reject(reason);
    }
    const pending = slot.current?.pending;
    const outOfMemory = slot.steps.status === "wasm-memory-exceeded" || (slot.error as { code?: string } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
    if (pending !== undefined) {
      const elapsedMs = this.#elapsed(slot);
      this.#settle(slot, () =>
        outOfMemory
          ? pending.resolve({ ok: false, limit: "memory", amount: this.limits.memoryMb, elapsedMs, ...stepOf(slot) })
          : pending.reject(new Error(`the policy sandbox's worker stopped (exit code ${code})${slot.error !== undefined ? `: ${slot.error.message}` : ""}`)),
      );
    }
    this.#retire(slot, outOfMemory);
  }
}

function stepOf(slot: Slot): { step?: EvaluationStep } {
  const step = slot.steps.read();
  return step === undefined ? {} : { step };
}
