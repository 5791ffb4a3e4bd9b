/**
 * The CLI's watchdog thread (`armWatchdog`): sleeps until the deadline, then reports the step the main thread was on
 * and ends the process. It runs only from the build (`dist/`), as the `fleetward` command does.
 */
import { writeSync } from "node:fs";
import { workerData } from "node:worker_threads";
import { StepBuffer } from "../sandbox/step-buffer.js";
import type { WatchdogData } from "./cli-timeout.js";

const data = workerData as WatchdogData;
const steps = new StepBuffer(data.steps);

setTimeout(() => {
  const step = steps.read();
  writeSync(2, `${data.message}${step === undefined ? "" : ` at ${step.file}:${step.line} (${step.what})`}\n`);
  process.kill(process.pid, "SIGTERM");
}, data.timeoutMs);
