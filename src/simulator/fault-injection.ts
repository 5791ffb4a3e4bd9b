/**
 * Random GitHub server errors for the simulator: a seeded share of the requests is answered 502, either BEFORE the
 * operation runs (nothing applied) or AFTER it ran (a write applied, its webhooks emitted, yet the client sees 502),
 * as a proxy in front of GitHub fails. Each decision is a hash of the seed, the request (method and path) and how
 * often that request was seen, so it does not depend on how concurrent clients interleave: the same run of requests
 * gets the same faults. Every fault is logged.
 */
import { createHash } from "node:crypto";

export type FaultTiming = "before" | "after";

export interface FaultRequest {
  method: string;
  /** GitHub's operation id, e.g. "pulls/create". */
  operationId: string;
  /** The request path without its query, e.g. "/repos/acme/gitops/pulls". */
  path: string;
}

export interface FaultOptions {
  /** Seed of the decisions (a run with the same seed and the same requests gets the same faults). */
  seed: string | number;
  /** Share of the eligible requests that fail, 0 to 1 (0.1 = 10 %). */
  rate: number;
  /** Share of the faults that come after the operation ran, 0 to 1 (default 0.5). */
  afterShare?: number;
  /** The status answered (default 502). */
  status?: number;
  /** Which requests may fail (default: all). */
  eligible?: (request: FaultRequest) => boolean;
}

export interface InjectedFault extends FaultRequest {
  /** 1 for the first fault, 2 for the second… */
  seq: number;
  when: FaultTiming;
  /** The status answered. */
  status: number;
  /** The status the operation itself produced ("after" faults only). */
  operationStatus?: number;
  /** Wall-clock time of the fault. */
  at: Date;
}

export class FaultOptionsError extends Error {
  readonly code = "sim_fault_options";
}

function unit(bytes: Buffer, offset: number): number {
  return bytes.readUInt32BE(offset) / 0x1_0000_0000;
}

function checkShare(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new FaultOptionsError(`${name} must be a number from 0 to 1, got ${String(value)}`);
}

/** Decides, per request, whether and when it fails; keeps the log. */
export class FaultInjector {
  readonly log: InjectedFault[] = [];
  readonly status: number;
  private readonly seen = new Map<string, number>();
  private readonly afterShare: number;
  private paused = false;

  constructor(private readonly options: FaultOptions) {
    checkShare("rate", options.rate);
    this.afterShare = options.afterShare ?? 0.5;
    checkShare("afterShare", this.afterShare);
    this.status = options.status ?? 502;
    if (!Number.isInteger(this.status) || this.status < 500 || this.status > 599) throw new FaultOptionsError(`status must be a 5xx status, got ${String(options.status)}`);
  }

  /** No faults until `resume()` (decisions are not taken meanwhile, so they do not use up the sequence). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Whether this request fails, and when; null when it goes through. Counts the request. */
  decide(request: FaultRequest): FaultTiming | null {
    if (this.paused || this.options.rate === 0) return null;
    if (this.options.eligible && !this.options.eligible(request)) return null;
    const key = `${request.method} ${request.path}`;
    const n = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, n);
    const digest = createHash("sha256").update(`${String(this.options.seed)}\0${key}\0${n}`).digest();
    if (unit(digest, 0) >= this.options.rate) return null;
    return unit(digest, 4) < this.afterShare ? "after" : "before";
  }

  /** Records a fault that was answered. */
  record(request: FaultRequest, when: FaultTiming, operationStatus?: number): InjectedFault {
    const fault: InjectedFault = { seq: this.log.length + 1, method: request.method, operationId: request.operationId, path: request.path, when, status: this.status, at: new Date() };
    if (operationStatus !== undefined) fault.operationStatus = operationStatus;
    this.log.push(fault);
    return fault;
  }

  /** The log as text lines, for a failing test's message. */
  describe(): string {
    return this.log.map((f) => `#${f.seq} ${f.when} ${f.method} ${f.path} [${f.operationId}]${f.operationStatus !== undefined ? ` (applied: ${f.operationStatus})` : ""}`).join("\n");
  }
}
