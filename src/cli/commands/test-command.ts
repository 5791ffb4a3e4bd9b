/**
 * `fleetward test <file|dir|->... [-p policy] [--namespace ns]... [--all-namespaces] [--combine] [--data dir]...
 * [-o stdout|json] [--fail-on-warn] [--no-fail] [--rego-version v0|v1]`: Conftest's `test` on Fleetward's own Rego
 * engine. Policies are the `.rego` files under the policy paths (not `*_test.rego`); inputs are YAML/JSON files
 * (directories are searched for `.yaml`, `.yml`, `.json`; `-` reads standard input as YAML). Exit codes are
 * Conftest's (see `conftestExitCode`); policy, input and data errors exit 1, usage errors 2.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { CORE_SCHEMA, loadAll, mergeTag } from "js-yaml";
import { formatDiagnostic } from "../../rego/diagnostics.js";
import { loadManifestFile } from "../../policy/manifests/load-manifest-file.js";
import { checkConftest, conftestExitCode, formatConftestJson, formatConftestStandard, mergeConftestData } from "../../policy/conftest/index.js";
import { evaluateConftest } from "../../policy/conftest/evaluate-conftest.js";
import type { CliIO } from "../cli-io.js";

const USAGE =
  "usage: fleetward test <file|dir|->... [-p policy]... [--namespace ns]... [--all-namespaces] [--combine] [--data dir]...\n" +
  "       [-o stdout|json] [--fail-on-warn] [--no-fail] [--rego-version v0|v1]\n";
const STDIN = "-";
const STDIN_PATH = "/dev/stdin";
const SCHEMA = CORE_SCHEMA.withTags(mergeTag);

interface TestOptions {
  inputs: string[];
  policies: string[];
  namespaces: string[];
  allNamespaces: boolean;
  combine: boolean;
  data: string[];
  output: "stdout" | "json";
  failOnWarn: boolean;
  noFail: boolean;
  regoVersion: "v0" | "v1";
}

class InputError extends Error {}

const isInputFile = (name: string) => /\.(ya?ml|json)$/i.test(name);

/** Every file under a path (sorted, recursively) whose name passes `keep`; a file path is kept as given. */
async function expand(path: string, keep: (name: string) => boolean): Promise<string[]> {
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
    if ((await stat(full)).isDirectory()) out.push(...(await expand(full, keep)));
    else if (keep(name)) out.push(full);
  }
  return out;
}

/** Decodes a YAML/JSON file into its documents (empty documents dropped); syntax errors carry file:line:column. */
function decode(path: string, text: string): unknown[] {
  const loaded = loadManifestFile({ path, content: text });
  const error = loaded.diagnostics.find((d) => d.severity === "error");
  if (error !== undefined) throw new InputError(`${error.file}:${error.line}:${error.column}: ${error.code}: ${error.message}`);
  if (/\.json$/i.test(path)) return [JSON.parse(text) as unknown];
  return loadAll(text, { filename: path, schema: SCHEMA }).filter((d) => d !== null && d !== undefined);
}

function parseArgs(args: string[]): TestOptions | string {
  const o: TestOptions = {
    inputs: [],
    policies: [],
    namespaces: [],
    allNamespaces: false,
    combine: false,
    data: [],
    output: "stdout",
    failOnWarn: false,
    noFail: false,
    regoVersion: "v1",
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    switch (flag) {
      case "-p":
      case "--policy": {
        const v = value();
        if (v === undefined) return `${flag} needs a path`;
        o.policies.push(v);
        break;
      }
      case "-n":
      case "--namespace": {
        const v = value();
        if (v === undefined || v === "") return `${flag} needs a namespace`;
        o.namespaces.push(...v.split(",").filter((s) => s !== ""));
        break;
      }
      case "-d":
      case "--data": {
        const v = value();
        if (v === undefined) return `${flag} needs a path`;
        o.data.push(v);
        break;
      }
      case "-o":
      case "--output": {
        const v = value();
        if (v !== "stdout" && v !== "json") return `${flag} must be stdout or json`;
        o.output = v;
        break;
      }
      case "--rego-version": {
        const v = value();
        if (v !== "v0" && v !== "v1") return "--rego-version must be v0 or v1";
        o.regoVersion = v;
        break;
      }
      case "--all-namespaces":
        o.allNamespaces = true;
        break;
      case "--combine":
        o.combine = true;
        break;
      case "--fail-on-warn":
        o.failOnWarn = true;
        break;
      case "--no-fail":
        o.noFail = true;
        break;
      default:
        if (a.startsWith("-") && a !== STDIN) return `unknown option ${a}`;
        o.inputs.push(a);
    }
  }
  if (o.inputs.length === 0) return "at least one file, directory or - is required";
  if (o.policies.length === 0) o.policies.push("policy");
  return o;
}

export async function runTestCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    io.stderr(`fleetward test: ${parsed}\n${USAGE}`);
    return 2;
  }
  const o = parsed;
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
        files.push({ path: STDIN, documents: decode(STDIN, await io.readFile(STDIN_PATH)) });
        continue;
      }
      const found = await expand(p, isInputFile);
      for (const file of found) {
        if (!isInputFile(file)) throw new InputError(`${file}: unsupported file type (expected .yaml, .yml or .json)`);
        files.push({ path: file, documents: decode(file, await io.readFile(file)) });
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
  if (o.output === "json") io.stdout(formatConftestJson(outcome.results));
  else io.stdout(formatConftestStandard(outcome.results).join("\n") + "\n");
  return conftestExitCode(outcome.results, { failOnWarn: o.failOnWarn, noFail: o.noFail });
}
