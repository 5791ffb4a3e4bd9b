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

const USAGE =
  "usage: fleetward test <file|dir|->... [-p policy]... [--namespace ns]... [--all-namespaces] [--combine] [--data dir]...\n" +
  "       [-o stdout|json|tap|table|junit|github] [--parser yaml|json] [--ignore regex] [--quiet] [--no-color]\n" +
  "       [--fail-on-warn] [--no-fail] [--suppress-exceptions] [--junit-hide-message] [--rego-version v0|v1]\n";
const STDIN = "-";
const STDIN_PATH = "/dev/stdin";

class InputError extends Error {}

const isInputFile = (name: string) => /\.(ya?ml|json)$/i.test(name);

/** Every file under a path (sorted, recursively) whose name passes `keep`; a file path is kept as given. */
async function expand(path: string, keep: (name: string) => boolean, ignore?: RE2JS): Promise<string[]> {
  let s;
  try {
    s = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file or directory`);
  }
  if (!s.isDirectory()) return [path];
  const out: string[] = [];
  for (const name of (await readdir(path)).sort()) {
    const full = join(path, name);
    if (ignore?.matcher(full).find() === true) continue;
    if ((await stat(full)).isDirectory()) out.push(...(await expand(full, keep, ignore)));
    else if (keep(name)) out.push(full);
  }
  return out;
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
  const loaded = loadManifestFile({ path, content: text });
  const error = loaded.diagnostics.find((d) => d.severity === "error");
  if (error !== undefined) throw new InputError(`${error.file}:${error.line}:${error.column}: ${error.code}: ${error.message}`);
  // Conftest reads YAML with sigs.k8s.io/yaml, as Kubernetes does: go-yaml v2 scalars and indentation.
  return acceptGoYamlIndentation(text, (t) => loadAll(t, { filename: path, schema: GO_YAML_V2_SCHEMA })).value.filter((d) => d !== null && d !== undefined);
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
    for (const p of o.policies) {
      for (const file of await expand(p, (n) => n.endsWith(".rego") && !n.endsWith("_test.rego"))) {
        if (file.endsWith("_test.rego")) continue;
        modules.push({ file, text: await io.readFile(file) });
      }
    }
    for (const p of o.data) {
      for (const file of await expand(p, isInputFile)) {
        for (const value of decode(file, await io.readFile(file))) dataFiles.push({ path: file, value });
      }
    }
    for (const p of o.inputs) {
      if (p === STDIN) {
        files.push({ path: STDIN, documents: decode(STDIN, await io.readFile(STDIN_PATH), o.parser) });
        continue;
      }
      const found = await expand(p, isInputFile, ignore);
      for (const file of found) {
        if (!isInputFile(file) && o.parser === undefined) throw new InputError(`${file}: unsupported file type (expected .yaml, .yml or .json, or give --parser)`);
        files.push({ path: file, documents: decode(file, await io.readFile(file), o.parser) });
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
