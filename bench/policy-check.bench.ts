/**
 * The pull request policy check end to end: a pull request of 1,000 changed manifests against 20 Gatekeeper
 * constraints (`policy-check-scenario.ts`), handled by the real app (Probot, in process) against the GitHub
 * simulator with zero latency (nock transport). Figures:
 *   - total time from the `pull_request.opened` delivery until every webhook is handled, and the part spent in the
 *     simulator (routing, OpenAPI validation, git objects); app-side time = total − simulator;
 *   - the process's CPU time over the same span minus the simulator's time (app-side CPU; less sensitive to a
 *     loaded machine than wall time);
 *   - cold (policies compiled for this base) and warm (a second pull request on the same base: compiled sources and
 *     configuration cached);
 *   - GitHub API calls of the policy check against `minimumPolicyCheckCalls`;
 *   - peak RSS and heap above the level before the pull request (sampled every 5 ms).
 */
import { GitHubSimulator, type SimRequest, type SimResponse } from "../src/simulator/github-simulator.js";
import type { BenchResult, BenchSuite } from "./bench-suite.js";
import { installPolicyCheckScenario, minimumPolicyCheckCalls, policyCheckCalls, policyCheckScenario, VIOLATIONS_PER_BAD_FILE } from "./policy-check-scenario.js";

interface Measured {
  totalMs: number;
  /** CPU time of the process (user + system) over the same span. */
  cpuMs: number;
  simMs: number;
  calls: number;
  peakRssMb: number;
  peakHeapMb: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const mb = (bytes: number) => bytes / 2 ** 20;

async function measurePullRequest(sim: GitHubSimulator, branch: string, simTime: { ms: number }): Promise<Measured> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 5);
  const before = sim.requestLog.length;
  simTime.ms = 0;
  const cpu = process.cpuUsage();
  const start = now();
  sim.openPullRequest({ owner: "acme", repo: "gitops", head: branch, title: `1,000 apps (${branch})`, user: "alice" });
  await sim.settle();
  const totalMs = now() - start;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  const calls = policyCheckCalls(sim.requestLog.slice(before)).length;
  return { totalMs, cpuMs: (used.user + used.system) / 1000, simMs: simTime.ms, calls, peakRssMb: mb(peakRss - base.rss), peakHeapMb: mb(peakHeap - base.heapUsed) };
}

export const policyCheckSuite: BenchSuite = {
  name: "policy-check",
  async run(): Promise<BenchResult[]> {
    const scenario = policyCheckScenario();
    const sim = new GitHubSimulator();
    const simTime = { ms: 0 };
    const handle = sim.handle.bind(sim);
    sim.handle = async (req: SimRequest): Promise<SimResponse> => {
      const t = now();
      try {
        return await handle(req);
      } finally {
        simTime.ms += now() - t;
      }
    };
    sim.interceptWithNock();
    try {
      await installPolicyCheckScenario(sim, scenario);
      sim.commitFiles({ owner: "acme", repo: "gitops", branch: "bulk-1", files: scenario.changedFiles, user: "alice", message: "cold" });
      sim.clock.advance(1000);
      sim.commitFiles({ owner: "acme", repo: "gitops", branch: "bulk-2", files: scenario.changedFiles, user: "alice", message: "warm", from: "main" });
      await sim.settle();

      const cold = await measurePullRequest(sim, "bulk-1", simTime);
      const warm = await measurePullRequest(sim, "bulk-2", simTime);
      sim.assertNoViolations();
      const annotations = scenario.violatingFiles * VIOLATIONS_PER_BAD_FILE;
      const files = Object.keys(scenario.changedFiles).length;
      const minCold = minimumPolicyCheckCalls({ files, manifestBlobs: files, policyBlobs: scenario.policyBlobs, annotations, configReads: 2, tokens: 1 });
      const minWarm = minimumPolicyCheckCalls({ files, manifestBlobs: files, policyBlobs: 0, annotations, configReads: 0, tokens: 0 });
      const setup = `${files} files, ${scenario.constraints} constraints, ${annotations} annotations`;
      return [
        { name: "cold PR: total (delivery → settled)", value: cold.totalMs, unit: "ms", note: setup },
        { name: "cold PR: app-side (total − simulator)", value: cold.totalMs - cold.simMs, unit: "ms", note: `simulator ${cold.simMs.toFixed(0)} ms; includes compiling the 8 templates` },
        { name: "cold PR: app-side CPU (CPU − simulator)", value: cold.cpuMs - cold.simMs, unit: "ms" },
        { name: "cold PR: API calls", value: cold.calls, unit: "calls", ratio: cold.calls / minCold, baseline: `minimum ${minCold}` },
        { name: "cold PR: peak memory above start", value: cold.peakRssMb, unit: "MiB RSS", note: `heap +${cold.peakHeapMb.toFixed(0)} MiB` },
        { name: "warm PR: total (delivery → settled)", value: warm.totalMs, unit: "ms", note: "same base: compiled policies and configuration cached" },
        { name: "warm PR: app-side (total − simulator)", value: warm.totalMs - warm.simMs, unit: "ms", note: `simulator ${warm.simMs.toFixed(0)} ms` },
        { name: "warm PR: app-side CPU (CPU − simulator)", value: warm.cpuMs - warm.simMs, unit: "ms", note: `${((warm.cpuMs - warm.simMs) / (files * scenario.constraints)).toFixed(3)} ms per (constraint, object) pair` },
        { name: "warm PR: API calls", value: warm.calls, unit: "calls", ratio: warm.calls / minWarm, baseline: `minimum ${minWarm}` },
        { name: "warm PR: peak memory above start", value: warm.peakRssMb, unit: "MiB RSS", note: `heap +${warm.peakHeapMb.toFixed(0)} MiB` },
      ];
    } finally {
      sim.stopNock();
    }
  },
};
