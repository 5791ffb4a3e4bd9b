/**
 * `fleetward test-rego <path>… [--verbose|-v] [--run|-r regex] [--v0]`: runs the `test_*` rules of the Rego files
 * under the paths as `opa test` does (the semantics of src/policy/rego-tests, which the fleetward/policy-tests check
 * runs on pull requests) and prints opa test's report. JSON and YAML files under a directory are data, placed at
 * their folder below the path. `--run` keeps the tests whose full name (`data.pkg.test_x`) matches the regular
 * expression (RE2 syntax, as Go's). Exit 0 when every test run passes, 2 when one fails or errors, 1 when the
 * modules do not parse or compile, the paths cannot be read or no test is found; usage errors exit 2 too.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { RE2JS } from "re2js";
import { placeBundleData } from "../../rego/bundle/place-bundle-data.js";
import { decodeDataFile, isDataFileName } from "../../rego/bundle/decode-data-file.js";
import { formatDiagnostic } from "../../rego/diagnostics.js";
import { runRegoTests } from "../../policy/rego-tests/run-rego-tests.js";
import type { CliIO } from "../cli-io.js";
import { formatOpaTestReport } from "../rego-test/format-opa-test.js";

const USAGE = "usage: fleetward test-rego <file.rego|dir>... [--verbose|-v] [--run|-r regex] [--v0]\n";


interface Loaded {
  modules: Array<{ file: string; text: string }>;
  data: Record<string, unknown>;
}

async function load(path: string, rel: string[], io: CliIO, into: Loaded): Promise<void> {
  if (!(await stat(path)).isDirectory()) {
    if (path.endsWith(".rego")) into.modules.push({ file: path, text: await io.readFile(path) });
    else if (isDataFileName(path)) placeBundleData(into.data, rel, decodeDataFile(path, await io.readFile(path)), path);
    return;
  }
  for (const name of (await readdir(path)).sort()) {
    if (name.startsWith(".")) continue;
    const full = join(path, name);
    if ((await stat(full)).isDirectory()) await load(full, [...rel, name], io, into);
    else if (name.endsWith(".rego") || isDataFileName(name)) await load(full, rel, io, into);
  }
}

export async function runTestRegoCommand(args: string[], io: CliIO): Promise<number> {
  const paths: string[] = [];
  let verbose = false;
  let v0 = false;
  let run: RE2JS | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (flag === "-v" || flag === "--verbose") verbose = true;
    else if (flag === "--v0") v0 = true;
    else if (flag === "-r" || flag === "--run") {
      const v = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (v === undefined) return usage(io, `${flag} needs a regular expression`);
      try {
        run = RE2JS.compile(v);
      } catch (e) {
        return usage(io, `${flag}: invalid regular expression: ${(e as Error).message}`);
      }
    } else if (a === "-h" || a === "--help") {
      io.stdout(USAGE);
      return 0;
    } else if (a.startsWith("-") && a.length > 1) return usage(io, `unknown option ${a}`);
    else if (a !== "") paths.push(a);
  }
  if (paths.length === 0) return usage(io, "at least one file or directory is required");

  const loaded: Loaded = { modules: [], data: {} };
  try {
    for (const p of paths) await load(p, [], io, loaded);
  } catch (e) {
    io.stderr(`fleetward test-rego: ${(e as Error).message}\n`);
    return 1;
  }
  const outcome = runRegoTests({ modules: loaded.modules, regoVersion: v0 ? "v0" : "v1", data: loaded.data });
  if (outcome.diagnostics.length > 0) {
    for (const d of outcome.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
    return 1;
  }
  const results = outcome.results.filter((r) => run === undefined || run.matcher(r.name).find());
  if (results.length === 0) {
    io.stderr(`fleetward test-rego: no test cases found${run === undefined ? "" : " matching --run"}\n`);
    return 1;
  }
  io.stdout(formatOpaTestReport(results, verbose));
  return results.some((r) => r.outcome === "fail" || r.outcome === "error") ? 2 : 0;
}

function usage(io: CliIO, why: string): number {
  io.stderr(`fleetward test-rego: ${why}\n${USAGE}`);
  return 2;
}
