/**
 * Waits until the app has stopped talking to the simulator: Probot's webhook middleware answers 202 after 9 s
 * while a slow handler (a policy check compiling on a loaded machine) goes on, so `sim.settle()` can return before
 * the handler's last writes. Quiet = no new API request for `quietMs`, deliveries settled; bounded by `timeoutMs`.
 */
import type { GitHubSimulator } from "../../src/simulator/github-simulator.js";

export async function simQuiet(sim: GitHubSimulator, options: { quietMs?: number; timeoutMs?: number } = {}): Promise<void> {
  const quietMs = options.quietMs ?? 2000;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let seen = sim.requestLog.length;
  let since = Date.now();
  for (;;) {
    await sim.settle();
    await new Promise((r) => setTimeout(r, 250));
    if (sim.requestLog.length !== seen) {
      seen = sim.requestLog.length;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    if (Date.now() > deadline) throw new Error(`the app kept calling the simulator for ${options.timeoutMs ?? 90_000} ms`);
  }
}
