/**
 * `fleetward test <file|dir|->... [-p policy] [--namespace ns]... [--all-namespaces] [--combine] [--data dir]...
 * [-o stdout|json|tap|table|junit|github] [--parser yaml|json] [--ignore regex] [--quiet] …` (see
 * conftest-output/test-options.ts for every flag): Conftest's `test` on Fleetward's own Rego engine. Policies are the `.rego` files under the policy paths (not `*_test.rego`); inputs are YAML/JSON files
 * (directories are searched for `.yaml`, `.yml`, `.json`; `-` reads standard input as YAML). Exit codes are
 * Conftest's (see `conftestExitCode`); policy, input and data errors exit 1, usage errors 2.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { loadAll } from "js-yaml";
import { formatDiagnostic } from "../../rego/diagnostics.js";
import { acceptGoYamlIndentation, GO_YAML_V2_SCHEMA } from "../../policy/manifests/go-yaml-dialect.js";
import { loadManifestFile } from "../../policy/manifests/load-manifest-file.js";
import { RE2JS } from "re2js";
import { checkConftest, conftestExitCode, mergeConftestData } from "../../policy/conftest/index.js";
import { evaluateConftest } from "../../policy/conftest/evaluate-conftest.js";
import type { CliIO } from "../cli-io.js";
import { formatConftestOutput } from "../conftest-output/format-conftest-output.js";
import { parseTestArgs } from "../conftest-output/test-options.js";
import { limiter, mapConcurrent, READ_CONCURRENCY } from "../map-concurrent.js";

const USAGE =
  "usage: fleetward test <file|dir|->... [-p policy]... [--namespace ns]... [--all-namespaces] [--combine] [--data dir]...\n" +
  "       [-o stdout|json|tap|table|junit|github] [--parser yaml|json] [--ignore regex] [--quiet] [--no-color]\n" +
  "       [--fail-on-warn] [--no-fail] [--suppress-exceptions] [--junit-hide-message] [--rego-version v0|v1]\n";
const STDIN = "-";
const STDIN_PATH = "/dev/stdin";

/** Input files read (and held as text) at once. */
const INPUT_SLICE = 1024;

class InputError extends Error {}

const isInputFile = (name: string) => /\.(ya?ml|json)$/i.test(name);

/**
 * Every file under a path (sorted by name, recursively, symbolic links followed) whose name passes `keep`; a file path
 * is kept as given. Folders are read concurrently (at most `READ_CONCURRENCY` reads at a time), the order is the walk's.
 */
async function expand(path: string, keep: (name: string) => boolean, ignore?: RE2JS): Promise<string[]> {
  let s;
  try {
    s = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file or directory`);
  }
  if (!s.isDirectory()) return [path];
  const limit = limiter(READ_CONCURRENCY);
  const walk = async (dir: string): Promise<string[]> => {
    const entries = (await limit(() => readdir(dir, { withFileTypes: true }))).sort((a, b) => (a.name < b.name ? -1 : 1));
    const parts = await Promise.all(
      entries.map(async (entry): Promise<string[]> => {
        const full = join(dir, entry.name);
        if (ignore?.matcher(full).find() === true) return [];
        const isDirectory = entry.isSymbolicLink() ? (await limit(() => stat(full))).isDirectory() : entry.isDirectory();
        if (isDirectory) return walk(full);
        return keep(entry.name) ? [full] : [];
      }),
    );
    return parts.flat();
  };
  return walk(path);
}

/** Reads files through `io`, `READ_CONCURRENCY` at a time: each text, or the error reading it raised (in order). */
function readEach(io: CliIO, paths: readonly string[]): Promise<Array<{ text: string } | { error: unknown }>> {
  return mapConcurrent(paths, READ_CONCURRENCY, (path) =>
    io.readFile(path).then(
      (text) => ({ text }),
      (error: unknown) => ({ error }),
    ),
  );
}

/** The text read, or the read's error thrown (where the sequential reads would have thrown it). */
function textOf(read: { text: string } | { error: unknown } | undefined): string {
  if (read === undefined) throw new InputError("internal: a file was not read");
  if ("error" in read) throw read.error;
  return read.text;
}

/** Decodes a YAML/JSON file into its documents (empty documents dropped); syntax errors carry file:line:column. */
function decode(path: string, text: string, parser?: "yaml" | "json"): unknown[] {
  if (parser === "json" || (parser === undefined && /\.json$/i.test(path))) {
    try {
      return [JSON.parse(text) as unknown];
    } catch (e) {
      throw new InputError(`${path}: not valid JSON: ${(e as Error).message}`);
    }
  }
  // A `.json` file read as YAML (`--parser yaml`) is YAML to Conftest, while the loader reads it as strict JSON.
  const json = /\.json$/i.test(path);
  const loaded = loadManifestFile({ path, content: text }, {}, { values: !json });
  const error = loaded.diagnostics.find((d) => d.severity === "error");
  if (error !== undefined) throw new InputError(`${error.file}:${error.line}:${error.column}: ${error.code}: ${error.message}`);
  // Conftest reads YAML with sigs.k8s.io/yaml, as Kubernetes does: go-yaml v2 scalars and indentation. The loader's
  // values are those (one parse); only when it had to read the documents one by one is the file parsed again whole.
  const values = loaded.values ?? acceptGoYamlIndentation(text, (t) => loadAll(t, { filename: path, schema: GO_YAML_V2_SCHEMA })).value;
  return values.filter((d) => d !== null && d !== undefined);
}

export async function runTestCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseTestArgs(args);
  if (typeof parsed === "string") {
    io.stderr(`fleetward test: ${parsed}\n${USAGE}`);
    return 2;
  }
  const o = parsed;
  let ignore: RE2JS | undefined;
  try {
    ignore = o.ignore === undefined || o.ignore === "" ? undefined : RE2JS.compile(o.ignore);
  } catch (e) {
    io.stderr(`fleetward test: --ignore: invalid regular expression: ${(e as Error).message}\n`);
    return 2;
  }
  const fail = (message: string): number => {
    io.stderr(`fleetward test: ${message}\n`);
    return 1;
  };

  const modules: { file: string; text: string }[] = [];
  const files: { path: string; documents: unknown[] }[] = [];
  const dataFiles: { path: string; value: unknown }[] = [];
  try {
    // Files are read concurrently and used in order, so the first problem reported is the one a file-by-file run meets.
    for (const p of o.policies) {
      const found = (await expand(p, (n) => n.endsWith(".rego") && !n.endsWith("_test.rego"))).filter((file) => !file.endsWith("_test.rego"));
      const reads = await readEach(io, found);
      found.forEach((file, i) => modules.push({ file, text: textOf(reads[i]) }));
    }
    for (const p of o.data) {
      const found = await expand(p, isInputFile);
      const reads = await readEach(io, found);
      found.forEach((file, i) => {
        for (const value of decode(file, textOf(reads[i]))) dataFiles.push({ path: file, value });
      });
    }
    for (const p of o.inputs) {
      if (p === STDIN) {
        files.push({ path: STDIN, documents: decode(STDIN, await io.readFile(STDIN_PATH), o.parser) });
        continue;
      }
      const found = await expand(p, isInputFile, ignore);
      // Read in slices, so that the texts of a large tree are not all held at once.
      for (let at = 0; at < found.length; at += INPUT_SLICE) {
        const slice = found.slice(at, at + INPUT_SLICE);
        const supported = (file: string) => isInputFile(file) || o.parser !== undefined;
        const reads = await readEach(io, slice.filter(supported));
        let next = 0;
        for (const file of slice) {
          if (!supported(file)) throw new InputError(`${file}: unsupported file type (expected .yaml, .yml or .json, or give --parser)`);
          files.push({ path: file, documents: decode(file, textOf(reads[next++]), o.parser) });
        }
      }
    }
  } catch (e) {
    return fail((e as Error).message);
  }
  if (modules.length === 0) return fail(`no policies found in ${o.policies.join(", ")}`);

  const merged = mergeConftestData(dataFiles);
  if (merged.errors.length > 0) {
    for (const e of merged.errors) io.stderr(`fleetward test: ${e.file}: ${e.code}: ${e.message}\n`);
    return 1;
  }

  const evaluation = evaluateConftest({
    modules,
    files,
    namespaces: o.namespaces,
    allNamespaces: o.allNamespaces,
    combine: o.combine,
    data: merged.data,
    regoVersion: o.regoVersion,
  });
  if (evaluation.diagnostics.length > 0) {
    for (const d of evaluation.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
    return 1;
  }
  if (evaluation.evalErrors.length > 0) {
    for (const e of evaluation.evalErrors) io.stderr(`fleetward test: ${e.file === "" ? "" : `${e.file}: `}${e.code}: ${e.message}\n`);
    return 1;
  }
  const outcome = checkConftest(evaluation.files, evaluation.namespaces);
  if (outcome.errors.length > 0) {
    for (const e of outcome.errors) io.stderr(`fleetward test: ${e.file}: ${e.code}: ${e.message}\n`);
    return 1;
  }
  const code = conftestExitCode(outcome.results, { failOnWarn: o.failOnWarn, noFail: o.noFail });
  // --quiet prints nothing unless the exit code says something failed (Conftest's "disable successful test output").
  if (!o.quiet || code !== 0) io.stdout(formatConftestOutput(outcome.results, o));
  return code;
}
