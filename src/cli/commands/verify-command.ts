/**
 * `fleetward verify <dir|suite.yaml>…`: runs gator verify suites (`kind: Suite`, test.gatekeeper.sh) with Fleetward's
 * own Rego-to-Wasm engine. Directories are searched recursively for YAML files holding a Suite (skipping
 * node_modules and dot-directories); a file named explicitly must hold one. Prints a gator-like report ending with
 * `N passed, M failed`. Exit 0 when every case passed, 1 when a case failed or a suite is invalid or missing,
 * 2 on usage errors.
 */
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { loadManifestFile } from "../../policy/manifests/load-manifest-file.js";
import { createTemplateEvaluator } from "../../policy/gatekeeper/compile-template.js";
import { formatGatorReport } from "../../policy/gator/format-gator-report.js";
import type { GatorCaseRun, GatorSuite } from "../../policy/gator/gator-types.js";
import { isGatorSuiteDocument, parseGatorSuite } from "../../policy/gator/parse-gator-suite.js";
import { runGatorSuite, type ReadRepositoryFile } from "../../policy/gator/run-gator-suite.js";
import type { CliIO } from "../cli-io.js";

const USAGE = "usage: fleetward verify <dir|suite.yaml>...\n";

export interface VerifyOptions {
  /**
   * The directory suite paths are resolved against (default: the working directory). A suite outside it uses its
   * own directory as the root, so its paths may not leave that directory.
   */
  root?: string;
}

const isYaml = (name: string) => name.endsWith(".yaml") || name.endsWith(".yml");

async function findYamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const full = join(dir, name);
    const s = await stat(full);
    if (s.isDirectory()) {
      if (name !== "node_modules" && !name.startsWith(".")) out.push(...(await findYamlFiles(full)));
    } else if (isYaml(name)) out.push(full);
  }
  return out;
}

const toPosix = (p: string) => p.split(sep).join("/");

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface SuiteLocation {
  /** The directory the suite's repository paths are relative to. */
  root: string;
  /** The suite file relative to `root` (forward slashes). */
  file: string;
}

function locate(absolute: string, root: string): SuiteLocation {
  const rel = relative(root, absolute);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return { root: dirname(absolute), file: basename(absolute) };
  return { root, file: toPosix(rel) };
}

export async function runVerifyCommand(args: string[], io: CliIO, options: VerifyOptions = {}): Promise<number> {
  const targets: string[] = [];
  for (const a of args) {
    if (a === "-h" || a === "--help") {
      io.stdout(USAGE);
      return 0;
    }
    if (a.startsWith("-") && a.length > 1) return usage(io, `unknown option ${a}`);
    targets.push(a);
  }
  if (targets.length === 0) return usage(io, "give at least one directory or suite file");
  const root = resolve(options.root ?? process.cwd());

  let problems = 0;
  const problem = (text: string) => {
    problems++;
    io.stderr(`${text}\n`);
  };

  // Candidate files: explicit files must hold a Suite; files found in directories are skipped when they do not.
  const candidates: Array<{ path: string; explicit: boolean }> = [];
  for (const t of targets) {
    const abs = resolve(root, t);
    try {
      const s = await stat(abs);
      if (s.isDirectory()) for (const f of await findYamlFiles(abs)) candidates.push({ path: f, explicit: false });
      else candidates.push({ path: abs, explicit: true });
    } catch (e) {
      problem(`fleetward verify: cannot read ${t}: ${message(e)}`);
    }
  }

  const suites: Array<{ suite: GatorSuite; root: string }> = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.path)) continue;
    seen.add(c.path);
    const where = locate(c.path, root);
    let text: string;
    try {
      text = await io.readFile(c.path);
    } catch (e) {
      problem(`fleetward verify: cannot read ${where.file}: ${message(e)}`);
      continue;
    }
    const loaded = loadManifestFile({ path: where.file, content: text });
    const suiteDocs = loaded.documents.filter((d) => isGatorSuiteDocument(d.value));
    if (suiteDocs.length === 0) {
      if (c.explicit) {
        const d = loaded.diagnostics[0];
        problem(d !== undefined ? `${d.file}:${d.line}:${d.column}: ${d.message}` : `${where.file}: holds no test.gatekeeper.sh Suite`);
      }
      continue;
    }
    for (const doc of suiteDocs) {
      const parsed = parseGatorSuite(doc);
      for (const d of parsed.diagnostics) problem(`${d.file}:${d.line}:${d.column}: ${d.code}: ${d.message}`);
      if (parsed.suite !== undefined) suites.push({ suite: parsed.suite, root: where.root });
    }
  }
  if (suites.length === 0 && problems === 0) {
    io.stderr(`fleetward verify: no Suite (kind: Suite, apiVersion test.gatekeeper.sh/*) found in ${targets.join(", ")}\n`);
    return 1;
  }

  const evaluate = createTemplateEvaluator();
  const results: Array<{ suite: GatorSuite; runs: GatorCaseRun[] }> = [];
  for (const { suite, root: suiteRoot } of suites) {
    const read: ReadRepositoryFile = async (path) => {
      try {
        return await io.readFile(join(suiteRoot, path));
      } catch (e) {
        if (e !== null && typeof e === "object" && (e as { code?: unknown }).code === "ENOENT") return undefined;
        throw new Error(`cannot read ${path}: ${message(e)}`, { cause: e });
      }
    };
    results.push({ suite, runs: await runGatorSuite(suite, read, evaluate) });
  }
  const report = formatGatorReport(results);
  io.stdout(report.lines.join("\n") + "\n");
  return report.failed > 0 || problems > 0 ? 1 : 0;
}

function usage(io: CliIO, why: string): number {
  io.stderr(`fleetward verify: ${why}\n${USAGE}`);
  return 2;
}
