/**
 * Runs an asynchronous Node API (DNS, HTTP) for a host builtin, which must answer synchronously: the work runs in
 * a short-lived worker thread while this thread waits on a shared flag (Atomics.wait), with a deadline.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { builtinError } from "./operands.js";

/**
 * Calls `fn` (the source text of an `async (arg) => result` function, run in a worker; results must be structured-
 * cloneable) with `arg` and returns its result, or throws a builtin error with `name`, its message, or the timeout.
 */
export function callSync<T>(name: string, fn: string, arg: unknown, timeoutMs: number): T {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const source = `
    const { workerData } = require("node:worker_threads");
    const fn = ${fn};
    fn(workerData.arg).then((ok) => ({ ok }), (e) => ({ error: String((e && e.message) || e) })).then((out) => {
      workerData.port.postMessage(out);
      Atomics.store(workerData.flag, 0, 1);
      Atomics.notify(workerData.flag, 0);
    });`;
  const worker = new Worker(source, { eval: true, workerData: { arg, flag, port: port2 }, transferList: [port2] });
  try {
    if (Atomics.wait(flag, 0, 0, timeoutMs) === "timed-out") throw builtinError(`${name}: timed out after ${timeoutMs} ms`);
    const reply = receiveMessageOnPort(port1)?.message as { ok?: T; error?: string } | undefined;
    if (!reply) throw builtinError(`${name}: no answer`);
    if (reply.error !== undefined) throw builtinError(`${name}: ${reply.error}`);
    return reply.ok as T;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
