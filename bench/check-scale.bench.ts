/**
 * `fleetward check` and `fleetward test` at scale (issue 17, "Linear, concurrent I/O"), in this process:
 *
 * - `check` on generated checkouts of 1,000, 10,000 and 100,000 manifest files (bench/check-scale-tree.ts, realistic:
 *   every 25th file breaks policies, every 97th does not parse; Conftest modules, five library policies, an inventory
 *   template, a Kustomize root): CPU time (user + system) of the command, wall time, the process's peak RSS so far,
 *   and the growth from one size to the next (10× the files: linear is 10×). The policies are compiled by a warm-up
 *   run first (compiles are cached by content in the process), so the figures are the command's own work.
 *   `FLEETWARD_BENCH_CHECK_MAX` caps the largest size (default 100,000).
 * - `test` on 1,000 of those files against a plain TypeScript loop doing the same rules (bench/conftest-by-hand.ts)
 *   from the same files: both outputs must be byte-identical (`-o json`) before anything is timed; the share of
 *   `evaluateConftest` (the engine: Wasm evaluation and its input writing) in `test` is measured on the same documents.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadAll } from "js-yaml";
import { runCheckCommand } from "../src/cli/commands/check-command.js";
import { runTestCommand } from "../src/cli/commands/test-command.js";
import { processIO, type CliIO } from "../src/cli/cli-io.js";
import { evaluateConftest } from "../src/policy/conftest/evaluate-conftest.js";
import { formatConftestJson } from "../src/policy/conftest/format-conftest.js";
import { GO_YAML_V2_SCHEMA } from "../src/policy/manifests/go-yaml-dialect.js";
import { type BenchResult, type BenchSuite, median } from "./bench-suite.js";
import { checkScaleTree } from "./check-scale-tree.js";
import { conftestByHand } from "./conftest-by-hand.js";

const ROOT = join(import.meta.dirname, "..", "..");
const VIOLATING_EVERY = 25;
const SIZES = [1_000, 10_000, 100_000];
/** The "10k manifests" counted as Kubernetes documents rather than files (≈ 2 per file): an extra row. */
const DOCUMENTS_ROW_FILES = 5_000;
const TEST_FILES = 1_000;

function writeTree(files: number, noBroken = false): string {
  const dir = mkdtempSync(join(tmpdir(), `fleetward-check-scale-${files}-`));
  for (const [path, text] of Object.entries(checkScaleTree({ files, root: ROOT, violatingEvery: VIOLATING_EVERY, noBroken }))) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A CliIO that keeps stdout (for comparisons) or only its size, and the last text written to stdout. */
function sink(keep: boolean): CliIO & { out: string; bytes: number; last: string } {
  const io = {
    out: "",
    bytes: 0,
    last: "",
    stdout(t: string) {
      io.bytes += t.length;
      io.last = t;
      if (keep) io.out += t;
    },
    stderr(t: string) {
      io.bytes += t.length;
    },
    readFile: processIO.readFile,
  };
  return io;
}

interface Measured {
  cpuMs: number;
  wallMs: number;
  code: number;
}

async function measure(run: () => Promise<number>): Promise<Measured> {
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const code = await run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs, code };
}

const peakRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

/** The documents `check` judged, from its closing line (`N files, M documents…`). */
function documentsJudged(closing: string): string {
  return /^\d+ files, (\d+) documents/.exec(closing)?.[1] ?? "?";
}

/** `check` on a tree of `files` files, median of `runs`: CPU, wall, the documents judged and the output's size. */
async function timeCheck(files: number, runs: number): Promise<{ cpuMs: number; wallMs: number; documents: string; printedKiB: number }> {
  const dir = writeTree(files);
  try {
    const io = sink(false);
    const measured: Measured[] = [];
    for (let i = 0; i < runs; i++) measured.push(await measure(() => runCheckCommand([dir], io)));
    if (measured.some((m) => m.code !== 1)) throw new Error(`check on ${files} files: exit ${measured.map((m) => m.code).join(", ")} (expected 1: the tree has violations)`);
    return { cpuMs: median(measured.map((m) => m.cpuMs)), wallMs: median(measured.map((m) => m.wallMs)), documents: documentsJudged(io.last), printedKiB: io.bytes / runs / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function checkFigures(): Promise<BenchResult[]> {
  const max = Number(process.env.FLEETWARD_BENCH_CHECK_MAX ?? SIZES[SIZES.length - 1]);
  const out: BenchResult[] = [];
  const warm = writeTree(200);
  try {
    await runCheckCommand([warm], sink(false));
  } finally {
    rmSync(warm, { recursive: true, force: true });
  }
  let previous: { files: number; cpuMs: number } | undefined;
  for (const files of SIZES.filter((n) => n <= max)) {
    const runs = files >= 100_000 ? 1 : 3;
    const t = await timeCheck(files, runs);
    out.push({
      name: `check, ${files.toLocaleString("en")} manifest files (${Number(t.documents).toLocaleString("en")} documents; CPU, median of ${runs})`,
      value: t.cpuMs,
      unit: "ms",
      ...(previous !== undefined ? { ratio: t.cpuMs / previous.cpuMs, baseline: `${previous.files.toLocaleString("en")} files (linear: ${files / previous.files}×)` } : {}),
      note: `wall ${t.wallMs.toFixed(0)} ms; peak RSS of the process so far ${peakRssMiB().toFixed(0)} MiB; ${t.printedKiB.toFixed(0)} KiB printed`,
    });
    previous = { files, cpuMs: t.cpuMs };
  }
  if (DOCUMENTS_ROW_FILES <= max) {
    const t = await timeCheck(DOCUMENTS_ROW_FILES, 3);
    out.push({
      name: `check, ${Number(t.documents).toLocaleString("en")} documents (${DOCUMENTS_ROW_FILES.toLocaleString("en")} files; CPU, median of 3)`,
      value: t.cpuMs,
      unit: "ms",
      note: `wall ${t.wallMs.toFixed(0)} ms; "10k manifests" counted as Kubernetes documents`,
    });
  }
  return out;
}

async function testFigures(): Promise<BenchResult[]> {
  const dir = writeTree(TEST_FILES, true);
  try {
    const inputs = [join(dir, "envs"), join(dir, "apps"), join(dir, "bases")];
    const args = [...inputs, "-p", join(dir, "policy"), "-o", "json"];
    const viaTest = sink(true);
    await runTestCommand(args, viaTest);
    // The same files, in the same order, through the loop.
    const paths = (JSON.parse(viaTest.out) as Array<{ filename: string }>).map((r) => r.filename);
    const byHand = formatConftestJson(await conftestByHand(paths));
    if (byHand !== viaTest.out) throw new Error("the hand-written loop and fleetward test disagree (-o json): fix the loop before timing");

    const rounds = 5;
    const testRuns: number[] = [];
    const loopRuns: number[] = [];
    for (let i = 0; i < rounds; i++) {
      testRuns.push((await measure(() => runTestCommand(args, sink(false)))).cpuMs);
      loopRuns.push((await measure(async () => (formatConftestJson(await conftestByHand(paths)).length > 0 ? 0 : 1))).cpuMs);
    }
    // The engine's share: evaluateConftest alone on the same decoded documents (policies compiled and cached already).
    const modules = await Promise.all(
      ["images.rego", "lib/kubernetes.rego", "operations.rego", "security.rego"].map(async (f) => ({ file: join(dir, "policy", f), text: await processIO.readFile(join(dir, "policy", f)) })),
    );
    const files = await Promise.all(
      paths.map(async (path) => ({ path, documents: loadAll(await processIO.readFile(path), { schema: GO_YAML_V2_SCHEMA }).filter((d) => d !== null && d !== undefined) })),
    );
    const engineRuns: number[] = [];
    for (let i = 0; i < rounds; i++) engineRuns.push((await measure(async () => evaluateConftest({ modules, files }).files.length)).cpuMs);
    const testMs = median(testRuns);
    const loopMs = median(loopRuns);
    const engineMs = median(engineRuns);
    const documents = files.reduce((n, f) => n + f.documents.length, 0);
    return [
      {
        name: `test, ${paths.length.toLocaleString("en")} files (${documents.toLocaleString("en")} documents, -o json; CPU, median of ${rounds})`,
        value: testMs,
        unit: "ms",
        ratio: testMs / loopMs,
        baseline: "plain TS loop, same rules and output",
        note: `evaluateConftest (the engine: input writing and Wasm evaluation) ${engineMs.toFixed(0)} ms, ${((100 * engineMs) / testMs).toFixed(0)}% of it; outputs byte-identical`,
      },
      { name: "the plain TS loop: read, decode (go-yaml v2), rules, JSON output", value: loopMs, unit: "ms" },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const checkScaleSuite: BenchSuite = {
  name: "check scale",
  async run() {
    return [...(await testFigures()), ...(await checkFigures())];
  },
};
