/**
 * The entry of a sandbox worker thread (loaded from the build, `dist/src/sandbox/sandbox-worker.js`). It records
 * each evaluation step in the memory it shares with its parent, caps every policy module's Wasm memory, and runs
 * the jobs it is sent one at a time, once it has said it is ready (after a warm-up compile). A module that runs out of its memory ends the worker at once (the parent
 * reports the memory limit and starts another); the worker's JavaScript heap is capped by the parent's
 * `resourceLimits`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { setEvaluationStepRecorder } from "../policy/evaluation-step.js";
import { compile } from "../rego/compile.js";
import { CompiledPolicy } from "../rego/evaluator/compiled-policy.js";
import { setWasmMemoryLimit } from "../rego/evaluator/wasm-memory-limit.js";
import { runSandboxJob, type SandboxJob } from "./sandbox-jobs.js";
import { StepBuffer } from "./step-buffer.js";

/** What the parent passes when it starts the worker. */
export interface SandboxWorkerData {
  steps: SharedArrayBuffer;
  memoryMb: number;
}

/** A job message, and the worker's answer to it. */
export interface SandboxRequest {
  id: number;
  job: SandboxJob;
}
export type SandboxResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

const port = parentPort;
if (port === null) throw new Error("sandbox-worker.js runs only as a worker thread");
const data = workerData as SandboxWorkerData;
const steps = new StepBuffer(data.steps);

setEvaluationStepRecorder((what, file, line) => steps.write(what, file, line));
setWasmMemoryLimit(data.memoryMb * 1024 * 1024, () => {
  steps.markWasmMemoryExceeded();
  process.exit(1);
});

port.on("message", (request: SandboxRequest) => {
  runSandboxJob(request.job).then(
    (value) => port.postMessage({ id: request.id, ok: true, value } satisfies SandboxResponse),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies SandboxResponse),
  );
});
// Warm up before saying so: the first compile of a thread reads the runtime into binaryen, which takes seconds on a
// busy machine and must not count against the first job's deadline.
const warm = compile({ modules: [{ file: "fleetward:sandbox-warm-up.rego", text: "package warm_up\n\nready := true\n" }], entrypoints: ["warm_up/ready"] });
if (warm.wasm !== undefined) CompiledPolicy.loadSync(warm.wasm).evaluate("warm_up/ready");
port.postMessage({ ready: true });
