/**
 * `fleetward check [dir] [--base REF]`: the pull request policy check (`fleetward/policy`), run on a local
 * checkout with the same planner as the app.
 *
 * - With `--base REF`: the changed files are `git diff --name-only REF...HEAD` (read from the working tree), and the
 *   configuration and the policies are those of REF (`git show REF:path`), as the app judges a pull request by its
 *   base branch.
 * - Without: every manifest under `dir` is judged with the configuration and policies of the working tree.
 *
 * OPA bundles (`policies.bundles`) are read as bytes from the same place as the policies. When a Gatekeeper template
 * reads `data.inventory` or a constraint has a `namespaceSelector`, the working tree's other manifests (up to
 * `policies.gatekeeper.inventory.maxFiles`) fill the inventory and the Namespaces, as the app reads the head's.
 *
 * Kustomize roots (`render:`) that the changes reach (every root without `--base`) are rendered, and their objects
 * judged as the app judges them: findings at the line that set the field, messages naming the root, a root that cannot
 * be rendered a `deny` at its kustomization's line; files inside kustomization folders are judged through the renders.
 *
 * Only the repository's own `.github/fleetward.yml` is read (organization defaults and `_extends` live on GitHub).
 * Prints one line per violation, `file:line: [env] rule: message` (dry-run findings included, marked), policy
 * problems on stderr, and a closing line with the counts. Exit 1 when the check would fail, 0 when it passes,
 * 2 on usage errors or when the inputs cannot be read.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { collectPolicySources, isPolicyPath } from "../../policy/check/collect-policy-sources.js";
import { pickRepositoryManifests } from "../../policy/check/pick-repository-manifests.js";
import { formatPolicyFinding, planPolicyCheck, policyCheckCounts } from "../../policy/check/plan-policy-check.js";
import { readPolicyLibrary } from "../../policy/check/read-policy-library.js";
import { ALLOW_ALL_EFFECTS } from "../../policy/check/effectful-builtins.js";
import type { CliIO } from "../cli-io.js";
import {
  git,
  gitBytes,
  listFiles,
  listRevisionFiles,
  loadCheckoutConfig,
  parseDirAndBase,
  readRevisionFiles,
  readWorktreeFiles,
  runCheckoutCommand,
  UsageError,
} from "../checkout-files.js";
import { readCheckoutRenderInputs } from "../read-checkout-render-inputs.js";

const USAGE = "usage: fleetward check [dir] [--base REF]\n";

const asFiles = (texts: ReadonlyMap<string, string>) => [...texts].map(([path, content]) => ({ path, content }));

export function runCheckCommand(args: string[], io: CliIO): Promise<number> {
  return runCheckoutCommand("check", USAGE, args, io, () => check(parseDirAndBase(args), io));
}

async function check(options: { dir: string; base?: string }, io: CliIO): Promise<number> {
  const { dir, base } = options;
  const { config } = await loadCheckoutConfig(dir, base, io, "check");
  if (config === undefined) return 1;

  const policy = isPolicyPath(config.policies);
  // The working tree is listed once: its files without --base, its other manifests and the render inputs with it.
  const worktreePaths = await listFiles(dir);
  const basePaths = base !== undefined ? await listRevisionFiles(dir, base) : worktreePaths;
  const bundlePaths = new Set(config.policies.bundles.map((b) => b.path));
  const present = new Set(basePaths);
  // The configuration and policies: of REF with --base (one `git cat-file --batch`), else of the working tree.
  const policyPaths = basePaths.filter((p) => policy(p) && !bundlePaths.has(p));
  const policyFiles = base !== undefined ? await readRevisionFiles(dir, base, policyPaths) : await readWorktreeFiles(dir, policyPaths);
  const missing = policyPaths.find((p) => !policyFiles.has(p));
  if (missing !== undefined) throw new UsageError(`cannot read ${base !== undefined ? `${base}:` : ""}${missing}`);
  const bundleFiles = new Map<string, Uint8Array>();
  for (const path of [...bundlePaths].filter((p) => present.has(p))) {
    bundleFiles.set(path, base !== undefined ? await gitBytes(dir, ["show", `${base}:./${path}`]) : new Uint8Array(await readFile(join(dir, path))));
  }

  const changed = base !== undefined ? (await git(dir, ["diff", "--name-only", "--relative", `${base}...HEAD`])).split("\n").filter((p) => p !== "") : basePaths;
  const changedFiles = asFiles(await readWorktreeFiles(dir, changed.filter((p) => !policy(p))));

  // The CLI runs builtins with effects (http.send, …), as opa does; only the app refuses them.
  const sources = collectPolicySources({ policies: config.policies, files: policyFiles, library: await readPolicyLibrary(), bundleFiles, effects: ALLOW_ALL_EFFECTS });
  // The working tree's other manifests, when a source needs them (none are left over without --base).
  const picked = pickRepositoryManifests({ config, sources, paths: base !== undefined ? worktreePaths : [], changed: new Set(changed) });
  const repositoryFiles = asFiles(await readWorktreeFiles(dir, picked.paths));
  // Kustomize roots the changes reach are rendered and their objects judged, as the app does (docs/rendering.md).
  const render = await readCheckoutRenderInputs({ dir, ...(base !== undefined ? { base } : {}), config, changedPaths: changed, headPaths: worktreePaths });
  const { report } = await planPolicyCheck({ config, headSha: "", sources, changedFiles, repositoryFiles, repositoryProblems: picked.problems, ...(render !== undefined ? { render } : {}) });
  for (const p of report.problems) io.stderr(`${p.file}:${p.line}:${p.column}: ${p.severity} ${p.code}: ${p.message}\n`);
  for (const f of report.findings) io.stdout(`${formatPolicyFinding(f)}${f.action === "deny" ? "" : ` (${f.action})`}\n`);
  const counts = policyCheckCounts(report);
  const documents = report.files.reduce((n, f) => n + f.documents, 0);
  const roots = report.roots !== undefined && report.roots.length > 0 ? `, ${report.roots.length} rendered roots` : "";
  io.stdout(
    `${report.files.length} files, ${documents} documents${roots}: ${counts.deny} denied, ${counts.warn} warned, ${counts.dryrun} dry-run, ${counts.errors} policy errors\n`,
  );
  return counts.deny > 0 || counts.errors > 0 ? 1 : 0;
}
