/**
 * Load → plan → publish the `fleetward/policy` check of a pull request, and `fleetward/policy-tests` when the pull
 * request changes policy files.
 *
 * - The run is marked in progress first (reusing the run of the same name and head commit, so a redelivered event
 *   updates it instead of creating another).
 * - The configuration and the policies come from the BASE commit: a pull request cannot weaken what judges it.
 *   Policy files are found in one recursive tree listing of the base and read blob by blob; their texts are kept by
 *   the blob SHAs (content hashes) of those files, so each distinct set of policies is read once.
 * - OPA bundles (`policies.bundles`) are read from the same base listing as bytes, kept by blob SHA, so a bundle that
 *   did not change is not read again when other policy files did.
 * - Policy code never runs here: compiling and evaluating (and the policies' unit tests) are jobs of the policy
 *   sandbox (`src/sandbox/`), worker threads with memory limits and the check run's deadline
 *   (`settings.policy.timeout`); the workers cache the compiled policies by the same keys. A job a limit ends
 *   concludes its check `failure` at the test or module it was on.
 * - Changed manifests are read at the head by the blob SHA the file listing gives; identical files are read once.
 *   Blobs are read through the run's BlobReader (github/read-blobs.ts): GraphQL batches of 100, or one tarball of the
 *   commit for large reads (`chooseBlobTransport`), or one REST call each with FLEETWARD_BLOB_READS=per-file; binary
 *   files are not judged.
 * - Only when a Gatekeeper template reads `data.inventory` or a constraint has a `namespaceSelector`: one recursive
 *   tree listing of the head and its unchanged manifest files (up to `policies.gatekeeper.inventory.maxFiles`),
 *   read by blob SHA through a cache that outlives the run (nothing more when the head's tarball was read), so that
 *   the inventory and the Namespaces are the repository's own. Otherwise the changed files stand in (no extra calls).
 *
 * GitHub calls for the policy check (the budget of docs/policy-checks.md), with F changed files, M distinct manifest
 * blobs among them, P distinct policy blobs (0 when the sources are cached) and A annotations:
 *   1 checks.listForRef + 1 checks.create        (start; a second event for the same head: list + update)
 * + ceil(F / 100) pulls.listFiles                 (unless the handler passes the files it listed)
 * + the configuration reads of the base           (0 when the store remembers the base commit's configuration)
 * + 1 git.getTree + ceil(P / 100) GraphQL         (base policies; + 1 git.getBlob per bundle not cached)
 * + H: 1 tarball, or ceil(M / 100) GraphQL        (head manifests, by chooseBlobTransport; + 1 git.getBlob per text
 *                                                  GraphQL truncates)
 * + [1 git.getTree + U reads as above]            (only when a source reads the repository: U unchanged head
 *                                                  manifest blobs not cached; 0 after the head's tarball)
 * + max(1, ceil(A / 50)) checks.update            (publish)
 * + [1 git.getTree + R blob reads                 (only when the base or the change has a kustomization: R blobs
 *    + 1 checks.listForRef + 1 checks.create        renders may read, not cached; read-render-inputs.ts) and the
 *    + 1 checks.update]                              `fleetward/render` run
 * (A pull request at GitHub's listing cap of 3,000 files adds 1 pulls.get on "Re-run", whose event has no file count.)
 */
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { CheckRunPlan } from "../checks/check-run-plan.js";
import type { FleetwardConfig } from "../config/schema.js";
import { buildFleet } from "../fleet/build-fleet.js";
import { classifyPath } from "../fleet/classify-path.js";
import { LruCache } from "./lru-cache.js";
import { isPolicyPath, type LibraryPolicy } from "../policy/check/collect-policy-sources.js";
import { pickRepositoryManifests } from "../policy/check/pick-repository-manifests.js";
import { POLICY_CHECK_NAME } from "../policy/check/plan-policy-check.js";
import { POLICY_TESTS_CHECK_NAME } from "../policy/check/plan-policy-tests.js";
import type { PolicyProblem } from "../policy/check/policy-check-types.js";
import { readPolicyLibrary } from "../policy/check/read-policy-library.js";
import { policySandbox } from "../sandbox/index.js";
import { limitCheckRun } from "../sandbox/limit-check-run.js";
import { observeSandboxTimings } from "./observability/observe-outcomes.js";
import { checkRunTimeoutMs } from "../sandbox/sandbox-limits.js";
import type { BundleBlob, PolicyCheckJob } from "../sandbox/sandbox-jobs.js";
import type { GitHubClient, RepoRef } from "./github/github-client.js";
import { type ChangedFile, countPullRequestFiles, listPullRequestFiles, MAX_PULL_REQUEST_FILES } from "./github/list-pull-request-files.js";
import { publishCheckRun, startCheckRun } from "./github/publish-check-run.js";
import { listTree, readBlobBytes, type TreeListing } from "./github/read-tree-files.js";
import { type BlobReadTarget, BlobReader, type BlobText, blobReadsFromEnv } from "./github/read-blobs.js";
import type { ConfigStore } from "./repo-config.js";
import { readRenderInputs } from "./read-render-inputs.js";
import { RENDER_CHECK_NAME } from "../policy/render/render-check.js";

export interface PolicyCheckTarget {
  pullNumber: number;
  headSha: string;
  baseSha: string;
  /** The base branch: the configuration of `baseSha` falls back to that branch's last valid one. */
  baseRef: string;
  /** The pull request's changed files when the caller listed them already. */
  files?: ChangedFile[];
  /** How many files GitHub says the pull request changes (`changed_files` of the event), when known. */
  changedFileCount?: number;
}

export interface PolicyCheckDeps {
  store: ConfigStore;
  /** The bundled library (default: read from the package once per process). */
  library?: () => Promise<LibraryPolicy[]>;
}

/** The base's policy texts by their key (the files' blob SHAs and the configuration), up to 32 Mi code units. */
const policyTextsCache = new LruCache<Map<string, string>>(32 * 1024 * 1024, (files) => [...files].reduce((n, [p, t]) => n + p.length + t.length, 0));
/** OPA bundles' bytes by blob SHA, up to 64 MiB. */
const bundleBytesCache = new LruCache<Uint8Array>(64 * 1024 * 1024, (bytes) => bytes.byteLength);
/** Texts of the head's unchanged manifests by blob SHA, kept across runs up to 64 Mi UTF-16 code units in all. */
const manifestCache = new LruCache<string>(64 * 1024 * 1024, (text) => text.length);

/** A listed commit as a blob read's target (its size decides whether a tarball pays). */
const listedTarget = (ref: string, listing: TreeListing): BlobReadTarget => ({ ref, commitFiles: listing.blobs.size, commitBytes: listing.bytes });

/** The head as a blob read's target, estimated from the base's listing and the changed files (the head is not listed). */
function headTarget(ref: string, base: TreeListing, files: readonly ChangedFile[]): BlobReadTarget {
  const added = files.filter((f) => f.status === "added" || f.status === "copied").length - files.filter((f) => f.status === "removed").length;
  const perFile = base.blobs.size === 0 ? 0 : base.bytes / base.blobs.size;
  return { ref, commitFiles: base.blobs.size + added, commitBytes: Math.round(base.bytes + added * perFile) };
}

/** Tree listings of one run by commit: the head is listed once even when both the inventory and the policy tests need it. */
type TreeLister = (ref: string) => Promise<TreeListing>;

function treeLister(gh: GitHubClient, where: RepoRef): TreeLister {
  const listings = new Map<string, Promise<TreeListing>>();
  return (ref) => {
    let listing = listings.get(ref);
    if (listing === undefined) {
      listing = listTree(gh, { ...where, ref });
      listings.set(ref, listing);
    }
    return listing;
  };
}

/**
 * The policy files of a commit (path → text; the OPA bundles, which are binary, only by blob SHA), read through one
 * recursive tree listing; and their cache key.
 */
async function readPolicyFiles(
  reader: BlobReader,
  where: RepoRef & { ref: string },
  trees: TreeLister,
  config: FleetwardConfig,
  wantTexts: (key: string) => boolean,
): Promise<{ key: string; files: Map<string, string>; bundleShas: Map<string, string> }> {
  const listing = await trees(where.ref);
  if (listing.truncated) throw new Error(`the tree of ${where.owner}/${where.repo}@${where.ref} is too large for one listing`);
  const policy = isPolicyPath(config.policies);
  const bundlePaths = new Set(config.policies.bundles.map((b) => b.path));
  const picked = [...listing.blobs].filter(([path]) => policy(path)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = createHash("sha256").update(JSON.stringify([config.policies, picked])).digest("hex");
  const bundleShas = new Map(picked.filter(([path]) => bundlePaths.has(path)));
  const textual = picked.filter(([path]) => !bundlePaths.has(path));
  if (!wantTexts(key)) return { key, files: new Map(), bundleShas };
  const texts = await reader.texts(
    textual.map(([, sha]) => sha),
    listedTarget(where.ref, listing),
  );
  return { key, files: new Map(textual.flatMap(([path, sha]) => withText(path, texts.get(sha)))), bundleShas };
}

/** The configured bundles of the commit as bytes (only those not kept by blob SHA are read), by path. */
async function readBundles(gh: GitHubClient, where: RepoRef, shas: ReadonlyMap<string, string>): Promise<Map<string, BundleBlob>> {
  const bundles = new Map<string, BundleBlob>();
  for (const [path, sha] of shas) {
    const bytes = bundleBytesCache.get(sha) ?? (await readBlobBytes(gh, { ...where, sha }));
    bundleBytesCache.set(sha, bytes);
    bundles.set(path, { sha, bytes });
  }
  return bundles;
}

/**
 * The head's unchanged manifest files, when a source reads the repository (the sandbox said so): one tree listing,
 * then the picked files by blob SHA through the cross-run cache. A listing GitHub truncated gives a warning and no
 * files.
 */
async function readRepositoryManifests(
  reader: BlobReader,
  where: RepoRef & { ref: string },
  trees: TreeLister,
  config: FleetwardConfig,
  changed: ReadonlySet<string>,
): Promise<{ files?: Array<{ path: string; content: string }>; problems: PolicyProblem[] }> {
  const listing = await trees(where.ref);
  if (listing.truncated) {
    const message = `data.inventory and the Namespaces of namespaceSelector come from the changed files only: the tree of ${where.ref} is too large for one listing`;
    return { problems: [{ code: "policy_inventory_too_large", severity: "warning", message, file: ".github/fleetward.yml", line: 1, column: 1 }] };
  }
  const picked = pickRepositoryManifests({ config, sources: [{ readsRepository: true, problems: [] }], paths: listing.blobs.keys(), changed });
  const shas = picked.paths.map((path) => listing.blobs.get(path) ?? "");
  const texts = await reader.texts(
    shas.filter((sha) => !manifestCache.has(sha)),
    listedTarget(where.ref, listing),
  );
  const files = picked.paths.flatMap((path, i) => {
    const sha = shas[i] ?? "";
    const content = texts.get(sha) ?? manifestCache.get(sha);
    if (content === undefined || content === null) return [];
    manifestCache.set(sha, content);
    return [{ path, content }];
  });
  return { files, problems: picked.problems };
}

/**
 * GitHub lists at most 3,000 files of a pull request. At that cap, the files it did not list (counted from the
 * event's `changed_files`, or one `pulls.get` when the event had none) cannot be judged: an error, so that a
 * violation cannot hide beyond the listing.
 */
async function unlistedFilesProblem(gh: GitHubClient, where: RepoRef, target: PolicyCheckTarget, listed: number): Promise<PolicyProblem[]> {
  if (listed < MAX_PULL_REQUEST_FILES) return [];
  const total = target.changedFileCount ?? (await countPullRequestFiles(gh, { ...where, pullNumber: target.pullNumber }));
  if (total <= listed) return [];
  const message =
    `This pull request changes ${total.toLocaleString("en-US")} files, but GitHub lists only the first ${MAX_PULL_REQUEST_FILES.toLocaleString("en-US")}: ` +
    `${(total - listed).toLocaleString("en-US")} files were not judged. Split the pull request so that every file can be checked.`;
  return [{ code: "policy_files_not_listed", severity: "error", message, file: ".github/fleetward.yml", line: 1, column: 1 }];
}

/** `[path, text]` for a text blob; nothing for a binary one (binary files are not judged). */
const withText = (path: string, text: BlobText | undefined): Array<[string, string]> => (typeof text === "string" ? [[path, text]] : []);

function notEvaluated(name: string, headSha: string, title: string, summary: string): CheckRunPlan {
  return { name, headSha, conclusion: "neutral", title, summary, annotations: [] };
}

/** The run of a check that stopped with an error (never left in progress): what went wrong; a re-run tries again. */
function errorPlan(name: string, headSha: string, title: string, error: unknown): CheckRunPlan {
  const message = error instanceof Error ? error.message : String(error);
  return { name, headSha, conclusion: "failure", title, summary: `The check stopped with an error: ${message}\n\nUse "Re-run" to try again.`, annotations: [] };
}

/** Runs `fleetward/policy` (and `fleetward/policy-tests` when policy files changed) for one pull request head. */
export async function runPolicyCheck(gh: GitHubClient, where: RepoRef, target: PolicyCheckTarget, deps: PolicyCheckDeps, log: Logger): Promise<void> {
  const runId = await startCheckRun(gh, where, POLICY_CHECK_NAME, target.headSha, "Evaluating policies");
  try {
    await checkAndPublish(gh, where, target, deps, log, runId);
  } catch (error) {
    log.error({ err: error, sha: target.headSha }, "policy check failed");
    await publishCheckRun(gh, where, errorPlan(POLICY_CHECK_NAME, target.headSha, "Fleetward could not evaluate the policies", error), runId);
  }
}

async function checkAndPublish(gh: GitHubClient, where: RepoRef, target: PolicyCheckTarget, deps: PolicyCheckDeps, log: Logger, runId: number): Promise<void> {
  const files = target.files ?? (await listPullRequestFiles(gh, { ...where, pullNumber: target.pullNumber }));
  const active = await deps.store.active(gh, { ...where, ref: target.baseRef, headSha: target.baseSha }, log);
  if (active === null) {
    const summary = `The base commit ${target.baseSha.slice(0, 7)} has no valid Fleetward configuration, so there are no policies to apply (see the \`fleetward/config\` check).`;
    await publishCheckRun(gh, where, notEvaluated(POLICY_CHECK_NAME, target.headSha, "No valid configuration on the base branch", summary), runId);
    return;
  }
  const { config } = active;
  const trees = treeLister(gh, where);
  const reader = new BlobReader(gh, where, blobReadsFromEnv(process.env), log);
  const base = await readPolicyFiles(reader, { ...where, ref: target.baseSha }, trees, config, (key) => !policyTextsCache.has(key));
  const policyFiles = policyTextsCache.get(base.key) ?? base.files;
  policyTextsCache.set(base.key, policyFiles);
  const { pool, limits } = policySandbox();
  const timeoutMs = checkRunTimeoutMs(config.settings.policy.timeout, limits);

  const policy = isPolicyPath(config.policies);
  const fleet = buildFleet(config);
  const manifests = files.filter(
    (f): f is ChangedFile & { blobSha: string } => f.status !== "removed" && f.blobSha !== undefined && !policy(f.path) && classifyPath(fleet, f.path).manifest,
  );
  const texts = await reader.texts(
    manifests.map((f) => f.blobSha),
    headTarget(target.headSha, await trees(target.baseSha), files),
  );
  const changed = new Set(files.filter((f) => f.status !== "removed").map((f) => f.path));
  // Kustomize roots (docs/rendering.md): the files they may read, rendered and judged in the sandbox.
  const rendering = await readRenderInputs(reader, trees, config, target, files);
  const job: PolicyCheckJob = {
    kind: "policy-check",
    key: base.key,
    config,
    headSha: target.headSha,
    policyFiles,
    bundles: await readBundles(gh, where, base.bundleShas),
    library: await (deps.library ?? readPolicyLibrary)(),
    changedFiles: manifests.flatMap((f) => withText(f.path, texts.get(f.blobSha)).map(([path, content]) => ({ path, content }))),
    repositoryRead: false,
    repositoryProblems: [...(await unlistedFilesProblem(gh, where, target, files.length)), ...rendering.problems],
    ...(rendering.inputs !== undefined ? { render: rendering.inputs } : {}),
  };
  let outcome = await pool.run(job, timeoutMs);
  observeSandboxTimings(outcome);
  if (outcome.ok && outcome.value.kind === "needs-repository") {
    // The compiled sources need the head's other manifests (data.inventory): read them, then judge (the same worker
    // budget: what the first job used is taken off).
    const repository = await readRepositoryManifests(reader, { ...where, ref: target.headSha }, trees, config, changed);
    const again = { ...job, repositoryRead: true, repositoryProblems: [...job.repositoryProblems, ...repository.problems] };
    outcome = await pool.run(repository.files !== undefined ? { ...again, repositoryFiles: repository.files } : again, Math.max(1, timeoutMs - outcome.elapsedMs));
    observeSandboxTimings(outcome);
  }
  const plan = !outcome.ok
    ? limitCheckRun(POLICY_CHECK_NAME, target.headSha, outcome, "policy check")
    : outcome.value.kind === "planned"
      ? outcome.value.plan
      : notEvaluated(POLICY_CHECK_NAME, target.headSha, "Fleetward could not evaluate the policies", "The sandbox asked for the repository's manifests twice.");
  const counts = outcome.ok && outcome.value.kind === "planned" ? { files: outcome.value.files, findings: outcome.value.findings } : { limit: outcome.ok ? undefined : outcome.limit };
  log.info({ check: plan.name, sha: target.headSha, base: target.baseSha, conclusion: plan.conclusion, ...counts }, "policies checked");
  // The compiled-module cache's warnings (an unwritable FLEETWARD_CACHE_DIR: once per process; a corrupt entry).
  for (const line of pool.takeWarnings()) log.warn(line);
  await publishCheckRun(gh, where, plan, runId);
  if (outcome.ok && outcome.value.kind === "planned" && outcome.value.renderPlan !== undefined) {
    await publishCheckRun(gh, where, outcome.value.renderPlan, await startCheckRun(gh, where, RENDER_CHECK_NAME, target.headSha, "Rendering"));
  }

  if (files.some((f) => policy(f.path) || (f.previousPath !== undefined && policy(f.previousPath)))) {
    const testsRun = await startCheckRun(gh, where, POLICY_TESTS_CHECK_NAME, target.headSha, "Running the policies' unit tests");
    let tests: CheckRunPlan;
    try {
      const head = await readPolicyFiles(reader, { ...where, ref: target.headSha }, trees, config, () => true);
      const ran = await pool.run({ kind: "policy-tests", policies: config.policies, headSha: target.headSha, files: head.files }, timeoutMs);
      tests = ran.ok ? ran.value.plan : limitCheckRun(POLICY_TESTS_CHECK_NAME, target.headSha, ran, "policy tests");
      log.info({ check: tests.name, sha: target.headSha, conclusion: tests.conclusion, ...(ran.ok ? {} : { limit: ran.limit }) }, "policy tests run");
    } catch (error) {
      // Its own run says so (the policy check's run is published already and stays as it is).
      log.error({ err: error, sha: target.headSha }, "policy tests failed");
      tests = errorPlan(POLICY_TESTS_CHECK_NAME, target.headSha, "Fleetward could not run the policy tests", error);
    }
    await publishCheckRun(gh, where, tests, testsRun);
  }
}
