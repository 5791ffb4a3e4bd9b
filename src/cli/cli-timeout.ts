/**
 * `--timeout` of the commands that evaluate policies (`test`, `verify`, `check`, `eval`): they run in-process, so a
 * watchdog thread enforces it. The watchdog shares the evaluation's step buffer; past the deadline it writes
 * `fleetward <command>: exceeded the time limit (30 s) at <file>:<line> (<step>)` to stderr and ends the process
 * (SIGTERM, exit status 143), however busy the main thread is. `--timeout 0` turns it off.
 */
import { Worker } from "node:worker_threads";
import { parseDuration } from "../config/parse-duration.js";
import { setEvaluationStepRecorder } from "../policy/evaluation-step.js";
import { formatSeconds } from "../sandbox/sandbox-limits.js";
import { StepBuffer } from "../sandbox/step-buffer.js";

export const DEFAULT_CLI_TIMEOUT_MS = 30_000;

/** The commands `--timeout` applies to. */
export const TIMED_COMMANDS: ReadonlySet<string> = new Set(["test", "verify", "check", "eval"]);

/** Takes `--timeout D` / `--timeout=D` (a duration, or seconds) out of the arguments. */
export function takeTimeoutOption(args: readonly string[]): { args: string[]; timeoutMs: number } | { error: string } {
  const rest: string[] = [];
  let text: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--timeout") {
      text = args[++i];
      if (text === undefined) return { error: "--timeout needs a duration, e.g. --timeout 30s" };
    } else if (arg.startsWith("--timeout=")) text = arg.slice("--timeout=".length);
    else rest.push(arg);
  }
  if (text === undefined) return { args: rest, timeoutMs: DEFAULT_CLI_TIMEOUT_MS };
  const parsed = parseDuration(/^[0-9]+$/.test(text) ? `${text}s` : text);
  if (!parsed.ok) return { error: `--timeout: ${parsed.error}` };
  return { args: rest, timeoutMs: parsed.ms };
}

/** What the watchdog worker is given. */
export interface WatchdogData {
  steps: SharedArrayBuffer;
  timeoutMs: number;
  /** The message's start, e.g. `fleetward test: exceeded the time limit (30 s)`. */
  message: string;
}

/**
 * Starts the watchdog for this process; returns the function that stops it (and the step recording). Only for the
 * `fleetward` process itself: past the deadline it ends the whole process.
 */
export function armWatchdog(command: string, timeoutMs: number): () => void {
  const steps = new StepBuffer();
  setEvaluationStepRecorder((what, file, line) => steps.write(what, file, line));
  const workerData: WatchdogData = { steps: steps.shared, timeoutMs, message: `fleetward ${command}: exceeded the time limit (${formatSeconds(timeoutMs)})` };
  const worker = new Worker(new URL("./cli-watchdog-worker.js", import.meta.url), { workerData });
  worker.unref();
  return () => {
    setEvaluationStepRecorder(undefined);
    void worker.terminate();
  };
}
