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
 * Only the repository's own `.github/fleetward.yml` is read (organization defaults and `_extends` live on GitHub).
 * Prints one line per violation, `file:line: [env] rule: message` (dry-run findings included, marked), policy
 * problems on stderr, and a closing line with the counts. Exit 1 when the check would fail, 0 when it passes,
 * 2 on usage errors or when the inputs cannot be read.
 */
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadConfig } from "../../config/load-config.js";
import { formatConfigDiagnostic } from "../../config/config-diagnostic.js";
import { DEFAULT_CONFIG_PATH } from "../../config/read-extends.js";
import { collectPolicySources, isPolicyPath } from "../../policy/check/collect-policy-sources.js";
import { evaluatePolicyCheck } from "../../policy/check/evaluate-policy-check.js";
import { pickRepositoryManifests } from "../../policy/check/pick-repository-manifests.js";
import { formatPolicyFinding, policyCheckCounts } from "../../policy/check/plan-policy-check.js";
import { readPolicyLibrary } from "../../policy/check/read-policy-library.js";
import type { CliIO } from "../cli-io.js";

const run = promisify(execFile);
const USAGE = "usage: fleetward check [dir] [--base REF]\n";
/** Git output can be large (a repository's file list); a generous cap still guards against runaway output. */
const MAX_GIT_OUTPUT = 256 * 1024 * 1024;

class UsageError extends Error {}

async function git(dir: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run("git", args, { cwd: dir, maxBuffer: MAX_GIT_OUTPUT, encoding: "utf8" });
    return stdout;
  } catch (e) {
    const stderr = (e as { stderr?: unknown }).stderr;
    throw new UsageError(`git ${args.join(" ")}: ${typeof stderr === "string" && stderr.trim() !== "" ? stderr.trim() : String(e)}`);
  }
}

/** Every file under `dir` (relative, forward slashes), skipping `.git` and `node_modules`. */
async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(join(dir, prefix), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== ".git" && entry.name !== "node_modules") out.push(...(await listFiles(dir, rel)));
    } else if (entry.isFile()) out.push(rel);
  }
  return out;
}

async function gitBytes(dir: string, args: string[]): Promise<Uint8Array> {
  try {
    const { stdout } = await run("git", args, { cwd: dir, maxBuffer: MAX_GIT_OUTPUT, encoding: "buffer" });
    return new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength);
  } catch (e) {
    const stderr = (e as { stderr?: unknown }).stderr;
    const text = stderr instanceof Buffer ? stderr.toString("utf8").trim() : "";
    throw new UsageError(`git ${args.join(" ")}: ${text !== "" ? text : String(e)}`);
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

function parseArgs(args: string[]): { dir: string; base?: string } {
  let dir: string | undefined;
  let base: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--base" || a.startsWith("--base=")) {
      const v = a === "--base" ? args[++i] : a.slice("--base=".length);
      if (v === undefined || v === "") throw new UsageError("--base needs a git revision");
      base = v;
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (dir === undefined) dir = a;
    else throw new UsageError(`one directory only (got ${dir} and ${a})`);
  }
  return { dir: dir ?? ".", ...(base !== undefined ? { base } : {}) };
}

export async function runCheckCommand(args: string[], io: CliIO): Promise<number> {
  if (args.includes("-h") || args.includes("--help")) {
    io.stdout(USAGE);
    return 0;
  }
  try {
    return await check(parseArgs(args), io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`fleetward check: ${e.message}\n${USAGE}`);
    return 2;
  }
}

async function check(options: { dir: string; base?: string }, io: CliIO): Promise<number> {
  const { dir, base } = options;
  // The configuration and policies: of REF with --base, else of the working tree.
  const readPolicyText = base !== undefined ? (path: string) => git(dir, ["show", `${base}:./${path}`]) : (path: string) => readFile(join(dir, path), "utf8");
  const configText = base !== undefined ? await git(dir, ["show", `${base}:./${DEFAULT_CONFIG_PATH}`]).catch(() => undefined) : await readOptional(join(dir, DEFAULT_CONFIG_PATH));
  const loaded = loadConfig({ layers: configText === undefined ? [] : [{ source: "repo", file: DEFAULT_CONFIG_PATH, text: configText }] });
  for (const d of loaded.diagnostics) io.stderr(`${formatConfigDiagnostic(d)}\n`);
  if (loaded.config === undefined) {
    io.stderr("fleetward check: the configuration is invalid\n");
    return 1;
  }
  const config = loaded.config;
  if (configText !== undefined && /^_extends:/m.test(configText)) io.stderr("fleetward check: note: _extends and organization defaults are not read locally\n");

  const policy = isPolicyPath(config.policies);
  const basePaths = base !== undefined ? (await git(dir, ["ls-tree", "-r", "--name-only", base, "--", "."])).split("\n").filter((p) => p !== "") : await listFiles(dir);
  const bundlePaths = new Set(config.policies.bundles.map((b) => b.path));
  const present = new Set(basePaths);
  const policyFiles = new Map<string, string>();
  for (const path of basePaths.filter((p) => policy(p) && !bundlePaths.has(p))) policyFiles.set(path, await readPolicyText(path));
  const bundleFiles = new Map<string, Uint8Array>();
  for (const path of [...bundlePaths].filter((p) => present.has(p))) {
    bundleFiles.set(path, base !== undefined ? await gitBytes(dir, ["show", `${base}:./${path}`]) : new Uint8Array(await readFile(join(dir, path))));
  }

  const changed = base !== undefined ? (await git(dir, ["diff", "--name-only", "--relative", `${base}...HEAD`])).split("\n").filter((p) => p !== "") : basePaths;
  const changedFiles: Array<{ path: string; content: string }> = [];
  for (const path of changed) {
    if (policy(path)) continue;
    const content = await readOptional(join(dir, path));
    if (content !== undefined) changedFiles.push({ path, content });
  }

  const sources = collectPolicySources({ policies: config.policies, files: policyFiles, library: await readPolicyLibrary(), bundleFiles });
  // The working tree's other manifests, when a source needs them (none are left over without --base).
  const picked = pickRepositoryManifests({ config, sources, paths: base !== undefined ? await listFiles(dir) : [], changed: new Set(changed) });
  const repositoryFiles: Array<{ path: string; content: string }> = [];
  for (const path of picked.paths) {
    const content = await readOptional(join(dir, path));
    if (content !== undefined) repositoryFiles.push({ path, content });
  }
  const report = await evaluatePolicyCheck({ config, sources, changedFiles, isPolicyPath: policy, repositoryFiles, repositoryProblems: picked.problems });
  for (const p of report.problems) io.stderr(`${p.file}:${p.line}:${p.column}: ${p.severity} ${p.code}: ${p.message}\n`);
  for (const f of report.findings) io.stdout(`${formatPolicyFinding(f)}${f.action === "deny" ? "" : ` (${f.action})`}\n`);
  const counts = policyCheckCounts(report);
  const documents = report.files.reduce((n, f) => n + f.documents, 0);
  io.stdout(
    `${report.files.length} files, ${documents} documents: ${counts.deny} denied, ${counts.warn} warned, ${counts.dryrun} dry-run, ${counts.errors} policy errors\n`,
  );
  return counts.deny > 0 || counts.errors > 0 ? 1 : 0;
}
