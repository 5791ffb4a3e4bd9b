/**
 * `fleetward render <dir> [--reorder legacy|none]`: builds the kustomization in `<dir>` as `kustomize build` does,
 * in process, and prints the YAML stream (documents separated by `---`). The repository (what the render may read)
 * is the nearest folder above `<dir>` holding `.git`, else the working directory when `<dir>` is inside it, else
 * `<dir>` itself. On failure prints `file:line: code: message` and exits 1.
 *
 * `fleetward render --conformance <cases.json>`: runs Kustomize's krusty cases (the format of
 * test/fixtures/kustomize-conformance/cases.json) and closes with `N passed, M failed`; exit 1 when any failed.
 * Usage errors exit 2.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { runConformanceCases } from "../../render/conformance.js";
import type { ConformanceCase } from "../../render/conformance.js";
import { DiskFs, renderKustomization, stringifyKYamlStream } from "../../render/index.js";
import type { CliIO } from "../cli-io.js";

const USAGE = "usage: fleetward render <dir> [--reorder legacy|none]\n       fleetward render --conformance <cases.json>\n";

/** The repository root for `dir` (absolute), see the header. */
export function repositoryRoot(dir: string, cwd: string = process.cwd()): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) break;
  }
  const rel = relative(cwd, dir);
  return rel.startsWith("..") || isAbsolute(rel) ? dir : cwd;
}

async function runConformance(file: string, io: CliIO): Promise<number> {
  let cases: ConformanceCase[];
  try {
    const parsed = JSON.parse(await io.readFile(file)) as { cases?: ConformanceCase[] } | ConformanceCase[];
    cases = Array.isArray(parsed) ? parsed : (parsed.cases ?? []);
  } catch (e) {
    io.stderr(`fleetward render: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  const report = runConformanceCases(cases);
  for (const o of report.outcomes) if (!o.passed) io.stdout(`FAIL ${o.name}: ${o.detail ?? ""}\n`);
  io.stdout(`${report.passed} passed, ${report.failed} failed\n`);
  return report.failed === 0 ? 0 : 1;
}

export async function runRenderCommand(args: string[], io: CliIO): Promise<number> {
  let reorder: "legacy" | "none" = "legacy";
  let conformance: string | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--reorder" || a.startsWith("--reorder=")) {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
      if (v !== "legacy" && v !== "none") {
        io.stderr(`fleetward render: --reorder must be legacy or none\n${USAGE}`);
        return 2;
      }
      reorder = v;
    } else if (a === "--conformance") {
      conformance = args[++i];
      if (!conformance) {
        io.stderr(USAGE);
        return 2;
      }
    } else if (a.startsWith("-")) {
      io.stderr(`fleetward render: unknown option ${a}\n${USAGE}`);
      return 2;
    } else dirs.push(a);
  }
  if (conformance !== undefined) return runConformance(conformance, io);
  if (dirs.length !== 1) {
    io.stderr(USAGE);
    return 2;
  }
  const dir = resolve(dirs[0]!);
  const root = repositoryRoot(dir);
  const result = renderKustomization(new DiskFs(root), relative(root, dir).split(sep).join("/"), { reorder });
  if (!result.ok) {
    for (const d of result.diagnostics) io.stderr(`${d.file}:${d.line}: ${d.code}: ${d.message}\n`);
    return 1;
  }
  for (const d of result.diagnostics) io.stderr(`${d.file}:${d.line}: ${d.code}: ${d.message}\n`);
  io.stdout(stringifyKYamlStream(result.objects.map((o) => o.object)));
  return 0;
}
