/**
 * The step a sandbox worker is on, in memory shared with its parent: the worker writes each step before it starts
 * it (no message to send, so that a step costs about a microsecond and survives the worker being killed); the parent
 * reads the last one when a limit ends the job. A sequence number makes a torn read (the worker writing meanwhile)
 * detectable: odd while a write is in progress.
 */
import type { EvaluationStep } from "../policy/evaluation-step.js";

const SEQ = 0;
const STATUS = 1;
const LENGTH = 2;
const HEADER_BYTES = 3 * Int32Array.BYTES_PER_ELEMENT;
const TEXT_BYTES = 8 * 1024;
/** UTF-16 code units kept of `what` and `file`: their UTF-8 (≤ 3 bytes each) and the JSON fit `TEXT_BYTES`. */
const MAX_FIELD = 1000;

/** What the worker says about how it ended: still running normally, or out of its Wasm memory. */
export type WorkerStatus = "running" | "wasm-memory-exceeded";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class StepBuffer {
  private readonly header: Int32Array;
  private readonly text: Uint8Array;

  constructor(readonly shared: SharedArrayBuffer = new SharedArrayBuffer(HEADER_BYTES + TEXT_BYTES)) {
    this.header = new Int32Array(shared, 0, 3);
    this.text = new Uint8Array(shared, HEADER_BYTES);
  }

  /** Records the step about to start (worker side). */
  write(what: string, file: string, line: number): void {
    Atomics.add(this.header, SEQ, 1);
    const json = JSON.stringify({ what: what.slice(0, MAX_FIELD), file: file.slice(0, MAX_FIELD), line });
    const { written } = encoder.encodeInto(json, this.text);
    Atomics.store(this.header, LENGTH, written);
    Atomics.add(this.header, SEQ, 1);
  }

  /** Marks the worker as ending because a policy module ran out of its memory (worker side). */
  markWasmMemoryExceeded(): void {
    Atomics.store(this.header, STATUS, 1);
  }

  get status(): WorkerStatus {
    return Atomics.load(this.header, STATUS) === 1 ? "wasm-memory-exceeded" : "running";
  }

  /** Clears the step before a new job (parent side, while the worker is idle). */
  reset(): void {
    Atomics.store(this.header, LENGTH, 0);
  }

  /** The last step recorded, or undefined when none was (or a write never completed). */
  read(): EvaluationStep | undefined {
    for (let attempt = 0; attempt < 100; attempt++) {
      const before = Atomics.load(this.header, SEQ);
      if (before % 2 === 1) continue;
      const length = Atomics.load(this.header, LENGTH);
      const json = decoder.decode(this.text.slice(0, length));
      if (Atomics.load(this.header, SEQ) !== before) continue;
      if (length === 0) return undefined;
      try {
        return JSON.parse(json) as EvaluationStep;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}
