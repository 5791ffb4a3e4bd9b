/**
 * The entry of a sandbox worker thread (loaded from the build, `dist/src/sandbox/sandbox-worker.js`). It records
 * each evaluation step in the memory it shares with its parent, caps every policy module's Wasm memory, and runs
 * the jobs it is sent one at a time. A module that runs out of its memory ends the worker at once (the parent
 * reports the memory limit and starts another); the worker's JavaScript heap is capped by the parent's
 * `resourceLimits`.
 *
 * Compiled modules come from the worker's store (worker-module-store.ts: memory, the pool's relays of what other
 * workers generated, the disk cache); the code generator (binaryen, over 1 s of CPU with the first compile's reading
 * of the runtime) is loaded only when a module has to be generated, with the job's deadline paused meanwhile. The
 * worker says it is ready once its modules are imported.
 */
import "../rego/wasm/defer-compiler-loading.js";
import { parentPort, workerData } from "node:worker_threads";
import { setEvaluationStepRecorder } from "../policy/evaluation-step.js";
import { compile, compileCounters, loadCompiler, setCompiledModuleStore } from "../rego/compile.js";
import { setWasmMemoryLimit } from "../rego/evaluator/wasm-memory-limit.js";
import { runSandboxJob, type SandboxJob } from "./sandbox-jobs.js";
import { StepBuffer } from "./step-buffer.js";
import { type ModuleCacheSetting, type ModuleEntry, WorkerModuleStore } from "./worker-module-store.js";

/** What the parent passes when it starts the worker. */
export interface SandboxWorkerData {
  steps: SharedArrayBuffer;
  memoryMb: number;
  cache: ModuleCacheSetting;
}

/** A job message (with the modules other workers generated since this worker's last job), and the worker's answers. */
export interface SandboxRequest {
  id: number;
  job: SandboxJob;
  modules: ModuleEntry[];
}
/** What compiling did in a job: modules generated, modules read from the store; the store's new modules and warnings. */
export interface SandboxCompileReport {
  generated: number;
  fromStore: number;
  modules: ModuleEntry[];
  warnings: string[];
}
export type SandboxResponse = ({ id: number; ok: true; value: unknown } | { id: number; ok: false; error: string }) & { compiles: SandboxCompileReport };
/** Sent while the worker loads the code generator: the parent stops the job's clock until `loading` is false. */
export interface SandboxCompilerLoading {
  id: number;
  loading: boolean;
}

const port = parentPort;
if (port === null) throw new Error("sandbox-worker.js runs only as a worker thread");
const data = workerData as SandboxWorkerData;
const steps = new StepBuffer(data.steps);
const store = new WorkerModuleStore(data.cache);
setCompiledModuleStore(store);

setEvaluationStepRecorder((what, file, line) => steps.write(what, file, line));
setWasmMemoryLimit(data.memoryMb * 1024 * 1024, () => {
  steps.markWasmMemoryExceeded();
  process.exit(1);
});

/** Loads binaryen and runs a first compile (it reads the runtime into binaryen), with the deadline paused. */
async function loadCompilerPaused(id: number): Promise<void> {
  port?.postMessage({ id, loading: true } satisfies SandboxCompilerLoading);
  try {
    await loadCompiler();
    // Not kept: the store holds the policies' modules only (a stored warm-up would skip the warm-up next time).
    setCompiledModuleStore(undefined);
    compile({ modules: [{ file: "fleetward:sandbox-warm-up.rego", text: "package warm_up\n\nready := true\n" }], entrypoints: ["warm_up/ready"] });
  } finally {
    setCompiledModuleStore(store);
    port?.postMessage({ id, loading: false } satisfies SandboxCompilerLoading);
  }
}

port.on("message", (request: SandboxRequest) => {
  store.accept(request.modules);
  const fromStore = compileCounters.fromStore;
  const report = (): SandboxCompileReport => {
    const fresh = store.takeFresh();
    return { generated: fresh.modules.length, fromStore: compileCounters.fromStore - fromStore, ...fresh };
  };
  runSandboxJob(request.job, { loadCompiler: () => loadCompilerPaused(request.id) }).then(
    (value) => port.postMessage({ id: request.id, ok: true, value, compiles: report() } satisfies SandboxResponse),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error), compiles: report() } satisfies SandboxResponse),
  );
});
port.postMessage({ ready: true });
