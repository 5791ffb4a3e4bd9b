/**
 * A maximum for the memory of every policy module loaded in this thread (unset: no maximum, as the SDK's default).
 * The sandbox's worker sets it, with a callback for when a module runs out of it: the runtime's allocator aborts
 * with "out of memory" when `memory.grow` fails, and the host's own grows throw a RangeError; `toEvalError` reports
 * both here, so that the worker can end the job as over its memory limit rather than as an ordinary eval error.
 */

const WASM_PAGE = 64 * 1024;
/** The SDK's initial memory (pages), kept when a maximum is given. */
const INITIAL_PAGES = 5;

let maximumPages: number | undefined;
let onExceeded: ((message: string) => void) | undefined;

/** Caps each policy module's memory at `bytes` (rounded down to whole pages); `exceeded` is told when one hits it. */
export function setWasmMemoryLimit(bytes: number | undefined, exceeded?: (message: string) => void): void {
  maximumPages = bytes === undefined ? undefined : Math.max(INITIAL_PAGES, Math.floor(bytes / WASM_PAGE));
  onExceeded = exceeded;
}

/** The memory descriptor for the SDK's `loadPolicy` (undefined: the SDK's default). */
export function wasmMemoryDescriptor(): { initial: number; maximum: number } | undefined {
  return maximumPages === undefined ? undefined : { initial: INITIAL_PAGES, maximum: maximumPages };
}

/** Whether an error message says a module's memory could not grow. */
export function isWasmOutOfMemory(message: string): boolean {
  return /opa_malloc: out of memory|Maximum memory size exceeded|WebAssembly\.Memory\.grow\(\)/.test(message);
}

/** Called with every message an evaluation failed with; tells the callback when it is the memory limit. */
export function noteWasmFailure(message: string): void {
  if (onExceeded !== undefined && maximumPages !== undefined && isWasmOutOfMemory(message)) onExceeded(message);
}
