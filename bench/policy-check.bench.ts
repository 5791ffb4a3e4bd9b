/**
 * The pull request policy check end to end: a pull request of 1,000 changed manifests against 20 Gatekeeper
 * constraints (`policy-check-scenario.ts`), handled by the real app (Probot, in process) against the GitHub
 * simulator (nock transport). Figures:
 *   - total time from the `pull_request.opened` delivery until every webhook is handled, and the part spent in the
 *     simulator (routing, OpenAPI validation, git objects); app-side time = total − simulator;
 *   - the process's CPU time over the same span minus the simulator's time (app-side CPU, the policy sandbox's worker
 *     threads included: process.cpuUsage counts every thread);
 *   - cold with an empty compile cache (the first pull request after a fresh start: a sandbox worker starts, loads
 *     binaryen, generates the templates' modules), warm (a second pull request on the same base: compiled sources and
 *     configuration cached), and cold after a restart with the disk cache kept (`FLEETWARD_CACHE_DIR`, a temp folder
 *     here: a new worker reads the modules, binaryen is not loaded); modules generated and read from the cache;
 *   - GitHub API calls of the policy check against the budget `minimumPolicyCheckCalls` (docs/policy-checks.md);
 *   - the head's blob reads by transport (warm runs forced with FLEETWARD_BLOB_READS): calls and response bytes of
 *     GraphQL batches, the tarball and per-file REST reads (what the threshold in read-blobs.ts chooses between);
 *   - wall time with 50 ms of simulated latency on every request (API calls and the download), batched and per file;
 *   - peak RSS and heap above the level before the pull request (sampled every 5 ms).
 */
import { GitHubSimulator, type SimRequest, type SimResponse } from "../src/simulator/github-simulator.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { policySandbox } from "../src/sandbox/index.js";
import type { BenchResult, BenchSuite } from "./bench-suite.js";
import { installPolicyCheckScenario, minimumPolicyCheckCalls, policyCheckCalls, policyCheckScenario, VIOLATIONS_PER_BAD_FILE } from "./policy-check-scenario.js";

interface Measured {
  totalMs: number;
  /** CPU time of the process (user + system) over the same span. */
  cpuMs: number;
  simMs: number;
  calls: number;
  /** Response bytes of the head's blob reads (GraphQL, REST blobs, the tarball download). */
  blobBytes: number;
  blobCalls: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** Modules the sandbox generated and read from its caches during the pull request. */
  compiles: { generated: number; fromStore: number };
}

/** What the wrapped simulator counts and how slow it answers. */
interface SimMeter {
  ms: number;
  bytes: number;
  latencyMs: number;
}

const BLOB_OPERATIONS = new Set(["graphql", "git/get-blob", "repos/download-tarball-archive", "codeload"]);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const mb = (bytes: number) => bytes / 2 ** 20;

async function measurePullRequest(sim: GitHubSimulator, branch: string, meter: SimMeter, reads = "auto"): Promise<Measured> {
  process.env.FLEETWARD_BLOB_READS = reads;
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
  meter.ms = 0;
  meter.bytes = 0;
  const stats = policySandbox().pool.compileStats;
  const compiled = { ...stats };
  const cpu = process.cpuUsage();
  const start = now();
  sim.openPullRequest({ owner: "acme", repo: "gitops", head: branch, title: `1,000 apps (${branch})`, user: "alice" });
  await sim.settle();
  const totalMs = now() - start;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  delete process.env.FLEETWARD_BLOB_READS;
  const log = sim.requestLog.slice(before);
  const calls = policyCheckCalls(log);
  const blobCalls = calls.filter((c) => c.operationId !== null && BLOB_OPERATIONS.has(c.operationId)).length;
  return {
    totalMs,
    cpuMs: (used.user + used.system) / 1000,
    simMs: meter.ms,
    calls: calls.length,
    blobBytes: meter.bytes,
    blobCalls,
    peakRssMb: mb(peakRss - base.rss),
    peakHeapMb: mb(peakHeap - base.heapUsed),
    compiles: { generated: stats.generated - compiled.generated, fromStore: stats.fromStore - compiled.fromStore },
  };
}

/** The simulator, timed (its own time is taken off the app's), counting blob-read bytes, with optional latency. */
function meteredSimulator(meter: SimMeter): GitHubSimulator {
  const sim = new GitHubSimulator();
  const handle = sim.handle.bind(sim);
  // Requests overlap (8 reads at a time): the simulator's time is the union of the spans when one is in progress.
  let active = 0;
  let since = 0;
  sim.handle = async (req: SimRequest): Promise<SimResponse> => {
    if (meter.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, meter.latencyMs));
    if (active++ === 0) since = now();
    const logged = sim.requestLog.length;
    try {
      const res = await handle(req);
      const op = sim.requestLog[logged]?.operationId;
      if (op !== undefined && op !== null && BLOB_OPERATIONS.has(op)) meter.bytes += res.bytes?.length ?? Buffer.byteLength(res.body);
      return res;
    } finally {
      if (--active === 0) meter.ms += now() - since;
    }
  };
  return sim;
}

export const policyCheckSuite: BenchSuite = {
  name: "policy-check",
  async run(): Promise<BenchResult[]> {
    const scenario = policyCheckScenario();
    const meter: SimMeter = { ms: 0, bytes: 0, latencyMs: 0 };
    const sim = meteredSimulator(meter);
    sim.interceptWithNock();
    // An empty compile cache of its own (the sandbox reads the variable when its pool starts, on the first job).
    const cacheDir = mkdtempSync(join(tmpdir(), "fleetward-bench-cache-"));
    const previousCacheDir = process.env.FLEETWARD_CACHE_DIR;
    process.env.FLEETWARD_CACHE_DIR = cacheDir;
    try {
      const installed = await installPolicyCheckScenario(sim, scenario);
      const branches = ["cold", "warm", "restart", "graphql", "per-file", "latency", "latency-per-file"];
      for (const branch of branches) {
        sim.commitFiles({ owner: "acme", repo: "gitops", branch, files: scenario.changedFiles, user: "alice", message: branch, from: "main" });
        sim.clock.advance(1000);
      }
      await sim.settle();

      const cold = await measurePullRequest(sim, "cold", meter);
      const warm = await measurePullRequest(sim, "warm", meter);
      await installed.restart();
      const restarted = await measurePullRequest(sim, "restart", meter);
      const graphql = await measurePullRequest(sim, "graphql", meter, "graphql");
      const perFile = await measurePullRequest(sim, "per-file", meter, "per-file");
      meter.latencyMs = 50;
      const slow = await measurePullRequest(sim, "latency", meter);
      const slowPerFile = await measurePullRequest(sim, "latency-per-file", meter, "per-file");
      meter.latencyMs = 0;
      sim.assertNoViolations();
      const annotations = scenario.violatingFiles * VIOLATIONS_PER_BAD_FILE;
      const files = Object.keys(scenario.changedFiles).length;
      const head = { files, manifestBlobs: files, headFiles: files + Object.keys(scenario.baseFiles).length, headBytes: 2 ** 20, annotations };
      const minCold = minimumPolicyCheckCalls({ ...head, policyBlobs: scenario.policyBlobs, configReads: 2, tokens: 1 });
      const minWarm = minimumPolicyCheckCalls({ ...head, policyBlobs: 0, configReads: 0, tokens: 0 });
      const setup = `${files} files, ${scenario.constraints} constraints, ${annotations} annotations`;
      const compiles = (m: Measured) => `${m.compiles.generated} modules generated, ${m.compiles.fromStore} from the cache`;
      const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
      return [
        { name: "cold PR: total (delivery → settled)", value: cold.totalMs, unit: "ms", note: setup },
        { name: "cold PR: app-side (total − simulator)", value: cold.totalMs - cold.simMs, unit: "ms", note: `simulator ${cold.simMs.toFixed(0)} ms; empty compile cache` },
        { name: "cold PR: app-side CPU (CPU − simulator)", value: cold.cpuMs - cold.simMs, unit: "ms", note: `sandbox workers included; ${compiles(cold)}` },
        { name: "cold PR: API calls", value: cold.calls, unit: "calls", ratio: cold.calls / minCold, baseline: `budget ${minCold}` },
        { name: "cold PR: peak memory above start", value: cold.peakRssMb, unit: "MiB RSS", note: `heap +${cold.peakHeapMb.toFixed(0)} MiB` },
        { name: "warm PR: total (delivery → settled)", value: warm.totalMs, unit: "ms", note: "same base: compiled policies and configuration cached" },
        { name: "warm PR: app-side (total − simulator)", value: warm.totalMs - warm.simMs, unit: "ms", note: `simulator ${warm.simMs.toFixed(0)} ms` },
        { name: "warm PR: app-side CPU (CPU − simulator)", value: warm.cpuMs - warm.simMs, unit: "ms", note: `${((warm.cpuMs - warm.simMs) / (files * scenario.constraints)).toFixed(3)} ms per (constraint, object) pair` },
        { name: "warm PR: API calls", value: warm.calls, unit: "calls", ratio: warm.calls / minWarm, baseline: `budget ${minWarm}` },
        { name: "warm PR: peak memory above start", value: warm.peakRssMb, unit: "MiB RSS", note: `heap +${warm.peakHeapMb.toFixed(0)} MiB` },
        { name: "restart, disk cache kept: total", value: restarted.totalMs, unit: "ms", note: "sandbox and Probot instance new; main-thread text caches kept" },
        { name: "restart, disk cache kept: app-side CPU", value: restarted.cpuMs - restarted.simMs, unit: "ms", note: `${compiles(restarted)}; ${restarted.calls} calls` },
        { name: "head blobs, tarball (auto): calls", value: warm.blobCalls, unit: "calls", note: `${kib(warm.blobBytes)} downloaded (gzip'd tar of the head, 1 download not counted as a call)` },
        { name: "head blobs, GraphQL batches: calls", value: graphql.blobCalls, unit: "calls", note: `${kib(graphql.blobBytes)} of JSON answers` },
        { name: "head blobs, per file (REST): calls", value: perFile.blobCalls, unit: "calls", note: `${kib(perFile.blobBytes)} of JSON answers` },
        { name: "GraphQL PR: app-side CPU (CPU − simulator)", value: graphql.cpuMs - graphql.simMs, unit: "ms", note: `${graphql.calls} calls` },
        { name: "per-file PR: app-side CPU (CPU − simulator)", value: perFile.cpuMs - perFile.simMs, unit: "ms", note: `${perFile.calls} calls` },
        { name: "50 ms latency per request: warm PR total", value: slow.totalMs, unit: "ms", note: `${slow.calls} calls` },
        { name: "50 ms latency per request: per-file PR total", value: slowPerFile.totalMs, unit: "ms", ratio: slowPerFile.totalMs / slow.totalMs, baseline: "batched", note: `${slowPerFile.calls} calls` },
      ];
    } finally {
      sim.stopNock();
      if (previousCacheDir === undefined) delete process.env.FLEETWARD_CACHE_DIR;
      else process.env.FLEETWARD_CACHE_DIR = previousCacheDir;
      rmSync(cacheDir, { recursive: true, force: true });
    }
  },
};
