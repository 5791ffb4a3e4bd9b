/**
 * The jobs the sandbox runs, as plain data in and out (structured-cloned between threads: no functions, no Wasm
 * instances): the `fleetward/policy` evaluation (compile the base's policies, judge the changed manifests) and the
 * `fleetward/policy-tests` run. `runSandboxJob` is what a worker does with one; the compiled policies and loaded
 * bundles are cached here, in the worker, by the content keys the app computes. Which builtins with effects a pull
 * request's policies may call is the server's setting (`effectsPolicyFromEnv`): a worker thread's `process.env` is a
 * copy of the server's, taken when the worker starts.
 *
 * A worker defers the code generator (binaryen): a compile whose module is in the worker's store needs none. When one
 * is missing (`rego_compiler_not_loaded`), the job's compile step runs again after `hooks.loadCompiler` (the worker's
 * loads binaryen with the job's deadline paused).
 */
import type { CheckRunPlan } from "../checks/check-run-plan.js";
import type { BundleConfig, PoliciesConfig } from "../config/policy-schema.js";
import type { FleetwardConfig } from "../config/schema.js";
import { LruCache } from "../app/lru-cache.js";
import { compileCounters, loadCompiler } from "../rego/compile.js";
import { prepareBundlePolicy, type PreparedBundlePolicy } from "../policy/bundle/index.js";
import { collectPolicySources, type LibraryPolicy } from "../policy/check/collect-policy-sources.js";
import { effectsPolicyFromEnv } from "../policy/check/effectful-builtins.js";
import { sourcesReadRepository } from "../policy/check/pick-repository-manifests.js";
import { planPolicyCheck } from "../policy/check/plan-policy-check.js";
import { planPolicyTests } from "../policy/check/plan-policy-tests.js";
import type { PolicyProblem, PolicySource } from "../policy/check/policy-check-types.js";
import type { ManifestFile } from "../policy/manifests/manifest-types.js";
import type { RenderInputs } from "../policy/render/render-pull-request.js";

/** A configured OPA bundle of the base commit: its blob SHA (the cache key) and bytes. */
export interface BundleBlob {
  sha: string;
  bytes: Uint8Array;
}

export interface PolicyCheckJob {
  kind: "policy-check";
  /** A key of the base's policies (their files' blob SHAs and the `policies` configuration): same key, same sources. */
  key: string;
  config: FleetwardConfig;
  headSha: string;
  /** The base's policy files, path → text. */
  policyFiles: ReadonlyMap<string, string>;
  /** The base's configured bundles by path. */
  bundles: ReadonlyMap<string, BundleBlob>;
  library: readonly LibraryPolicy[];
  changedFiles: readonly ManifestFile[];
  /**
   * Whether the head's other manifests were read (`repositoryFiles`) or deliberately not: when false and a source
   * needs them, the job answers `needs-repository` after compiling, and the app sends it again with them.
   */
  repositoryRead: boolean;
  repositoryFiles?: readonly ManifestFile[];
  repositoryProblems: readonly PolicyProblem[];
  /** What Kustomize roots may read (`readRenderInputs`): rendered and judged here, with the `fleetward/render` plan. */
  render?: RenderInputs;
}

/** What the job spent compiling (null: the compiled policies were cached) and evaluating, in milliseconds. */
export interface JobTimings {
  compileMs: number | null;
  evaluateMs: number | null;
}

export type PolicyCheckJobResult =
  | { kind: "needs-repository"; timings?: JobTimings }
  | { kind: "planned"; plan: CheckRunPlan; files: number; findings: number; renderPlan?: CheckRunPlan; timings?: JobTimings };

export interface PolicyTestsJob {
  kind: "policy-tests";
  policies: PoliciesConfig;
  headSha: string;
  /** The head's policy files, path → text. */
  files: ReadonlyMap<string, string>;
}

export interface PolicyTestsJobResult {
  kind: "planned";
  plan: CheckRunPlan;
}

export type SandboxJob = PolicyCheckJob | PolicyTestsJob;
export type SandboxJobResult<J extends SandboxJob> = J extends PolicyCheckJob ? PolicyCheckJobResult : PolicyTestsJobResult;

/** Compiled policy sets by key (each holds its compiled Wasm modules). */
const sourcesCache = new LruCache<PolicySource[]>(16);
/** Loaded OPA bundles by blob SHA and entrypoints (each holds its Wasm instances). */
const bundleCache = new LruCache<PreparedBundlePolicy>(8);

const bundleKey = (sha: string, bundle: BundleConfig) => `${sha}\u0000${JSON.stringify(bundle.entrypoints)}`;

/** A loader for `collectPolicySources`: each configured bundle loaded once (a path the base lacks: undefined). */
function bundleLoader(bundles: readonly BundleConfig[], blobs: ReadonlyMap<string, BundleBlob>): (bundle: BundleConfig) => PreparedBundlePolicy | undefined {
  // This job's bundles are kept here too: more of them than the cache holds must not evict each other.
  const loaded = new Map<string, PreparedBundlePolicy>();
  for (const bundle of bundles) {
    const blob = blobs.get(bundle.path);
    if (blob === undefined) continue;
    const key = bundleKey(blob.sha, bundle);
    const prepared = loaded.get(key) ?? bundleCache.get(key) ?? prepareBundlePolicy({ bundle: blob.bytes, entrypoints: bundle.entrypoints, name: bundle.path });
    loaded.set(key, prepared);
    bundleCache.set(key, prepared);
  }
  return (bundle) => {
    const blob = blobs.get(bundle.path);
    return blob === undefined ? undefined : loaded.get(bundleKey(blob.sha, bundle));
  };
}

/** What the worker provides: how to load the code generator when a compile needs it. */
export interface SandboxJobHooks {
  loadCompiler: () => Promise<void>;
}

const DEFAULT_HOOKS: SandboxJobHooks = { loadCompiler };

/** Runs a step that compiles; when a module had to be generated without the generator, loads it and runs the step again. */
async function withCompiler<T>(step: () => T | Promise<T>, hooks: SandboxJobHooks): Promise<T> {
  const refused = compileCounters.notLoaded;
  const first = await step();
  if (compileCounters.notLoaded === refused) return first;
  await hooks.loadCompiler();
  return step();
}

async function runPolicyCheckJob(job: PolicyCheckJob, hooks: SandboxJobHooks): Promise<PolicyCheckJobResult> {
  const { policies } = job.config;
  const compileStart = performance.now();
  const cached = sourcesCache.get(job.key);
  const effects = effectsPolicyFromEnv(process.env);
  const sources = cached ?? (await withCompiler(() => collectPolicySources({ policies, files: job.policyFiles, library: job.library, loadBundle: bundleLoader(policies.bundles, job.bundles), effects }), hooks));
  const compileMs = cached ? null : performance.now() - compileStart;
  sourcesCache.set(job.key, sources);
  if (!job.repositoryRead && sourcesReadRepository(sources) && policies.gatekeeper.inventory.maxFiles !== 0) return { kind: "needs-repository", timings: { compileMs, evaluateMs: null } };
  const evaluateStart = performance.now();
  const { plan, report, renderPlan } = await planPolicyCheck({
    config: job.config,
    headSha: job.headSha,
    sources,
    changedFiles: job.changedFiles,
    ...(job.repositoryFiles !== undefined ? { repositoryFiles: job.repositoryFiles } : {}),
    repositoryProblems: job.repositoryProblems,
    ...(job.render !== undefined ? { render: job.render } : {}),
  });
  const timings = { compileMs, evaluateMs: performance.now() - evaluateStart };
  return { kind: "planned", plan, files: report.files.length, findings: report.findings.length, ...(renderPlan !== undefined ? { renderPlan } : {}), timings };
}

/** Runs one job (in a sandbox worker; in-process only in unit tests). */
export async function runSandboxJob(job: SandboxJob, hooks: SandboxJobHooks = DEFAULT_HOOKS): Promise<PolicyCheckJobResult | PolicyTestsJobResult> {
  switch (job.kind) {
    case "policy-check":
      return runPolicyCheckJob(job, hooks);
    case "policy-tests": {
      const run = () => planPolicyTests({ policies: job.policies, headSha: job.headSha, files: job.files, effects: effectsPolicyFromEnv(process.env) });
      return { kind: "planned", plan: await withCompiler(run, hooks) };
    }
  }
}
