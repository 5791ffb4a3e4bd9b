/**
 * `fleetward eval [-d <file.rego|dir|data.json>]… [-b <bundle.tar.gz|dir>] [-i input.json] [--v0]
 * [--strict-builtin-errors] [--format json|pretty] '<query>'`: evaluates a query like `opa eval` and prints
 * `{"result": [{"expressions": [...], "bindings": {...}}]}` (no `result` key when the query is undefined), or with
 * `--format pretty` what `opa eval -f pretty` prints. The query becomes a generated rule in its own package (see
 * eval/query-module.ts), compiled with the modules. With `-b`, a bundle's `policy.wasm` answers a query that is one
 * of its entrypoints (`data.a.b`); any other query compiles the bundle's Rego sources with its data. Exit 0 on
 * success (also when undefined), 1 on compile, bundle or evaluation errors, 2 on usage errors.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { BundleError } from "../../rego/bundle/bundle-error.js";
import { BundlePolicy } from "../../rego/bundle/bundle-policy.js";
import type { Bundle } from "../../rego/bundle/bundle-types.js";
import { placeBundleData } from "../../rego/bundle/place-bundle-data.js";
import { compileAsync } from "../../rego/compile.js";
import { formatDiagnostic } from "../../rego/diagnostics.js";
import { CompiledPolicy, PolicyEvalError } from "../../rego/evaluator/compiled-policy.js";
import { parseQuery } from "../../rego/parser/parse-query.js";
import type { CliIO } from "../cli-io.js";
import { type EvalResult, formatEvalPretty } from "../eval/format-eval-pretty.js";
import { QUERY_ENTRYPOINT, QUERY_PACKAGE, queryModule } from "../eval/query-module.js";
import { readBundlePath } from "../eval/read-bundle-path.js";

const USAGE =
  "usage: fleetward eval [-d <file.rego|dir|data.json>]... [-b <bundle.tar.gz|dir>]... [-i input.json] [--v0]\n" +
  "                      [--strict-builtin-errors] [--format json|pretty] '<query>'\n";

interface EvalOptions {
  dataPaths: string[];
  bundlePaths: string[];
  inputPath?: string;
  v0: boolean;
  strict: boolean;
  format: "json" | "pretty";
  query: string;
}

/** The `.rego` and `.json` files under a path, each with its folder below the path (where its data goes, as opa's loader places it). */
async function expand(path: string, rel: string[] = []): Promise<Array<{ file: string; dir: string[] }>> {
  if (!(await stat(path)).isDirectory()) return [{ file: path, dir: rel }];
  const out: Array<{ file: string; dir: string[] }> = [];
  for (const name of (await readdir(path)).sort()) {
    const full = join(path, name);
    if ((await stat(full)).isDirectory()) out.push(...(await expand(full, [...rel, name])));
    else if (name.endsWith(".rego") || name.endsWith(".json")) out.push({ file: full, dir: rel });
  }
  return out;
}

function parseArgs(args: string[]): EvalOptions | string {
  const o: Omit<EvalOptions, "query"> & { query?: string } = { dataPaths: [], bundlePaths: [], v0: false, strict: false, format: "json" };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    if (flag === "-d" || flag === "--data" || flag === "-b" || flag === "--bundle") {
      const v = value();
      if (v === undefined) return `${flag} needs a path`;
      (flag === "-d" || flag === "--data" ? o.dataPaths : o.bundlePaths).push(v);
    } else if (flag === "-i" || flag === "--input") {
      o.inputPath = value();
      if (o.inputPath === undefined) return `${flag} needs a path`;
    } else if (flag === "-f" || flag === "--format") {
      const v = value();
      if (v !== "json" && v !== "pretty") return `${flag} must be json or pretty (got ${v ?? "nothing"})`;
      o.format = v;
    } else if (flag === "--v0") o.v0 = true;
    else if (flag === "--strict-builtin-errors") o.strict = true;
    else if (a.startsWith("-") && a.length > 1) return `unknown option ${a}`;
    else if (o.query === undefined) o.query = a;
    else return "only one query may be given";
  }
  if (o.query === undefined) return "a query is required";
  return { ...o, query: o.query };
}

/** The entrypoint a query names when it is one bare `data.a.b` reference, else undefined. */
function entrypointOf(query: string): string | undefined {
  const m = /^\s*data((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*$/.exec(query);
  return m?.[1]?.slice(1).split(".").join("/");
}

function print(io: CliIO, format: EvalOptions["format"], result: EvalResult[]): number {
  if (format === "pretty") io.stdout(formatEvalPretty(result));
  else io.stdout(JSON.stringify(result.length > 0 ? { result } : {}, null, 2) + "\n");
  return 0;
}

function evalError(io: CliIO, e: unknown): number {
  const err = e instanceof PolicyEvalError || e instanceof BundleError ? e : new PolicyEvalError("eval_internal_error", String(e));
  io.stderr(JSON.stringify({ errors: [{ code: err.code, message: err.message }] }, null, 2) + "\n");
  return 1;
}

/** `-b` with a Wasm module and a query that is one of its entrypoints: the bundle's own module answers. */
function evalBundleWasm(io: CliIO, o: EvalOptions, bundles: Bundle[], input: string | undefined): number | undefined {
  const entrypoint = entrypointOf(o.query);
  const bundle = bundles.length === 1 ? bundles[0] : undefined;
  if (entrypoint === undefined || bundle === undefined || bundle.wasmModules.length === 0 || o.dataPaths.length > 0) return undefined;
  const policy = BundlePolicy.loadSync(bundle, { strictBuiltinErrors: o.strict });
  if (!policy.entrypoints.includes(entrypoint)) return undefined;
  const rs = JSON.parse(policy.evaluateText(entrypoint, input)) as Array<{ result?: unknown }>;
  const text = o.query.trim();
  const col = o.query.indexOf(text) + 1;
  const result: EvalResult[] = rs.filter((r) => "result" in r).map((r) => ({ expressions: [{ value: r.result, text, location: { row: 1, col } }] }));
  return print(io, o.format, result);
}

export async function runEvalCommand(args: string[], io: CliIO): Promise<number> {
  if (args.includes("-h") || args.includes("--help")) {
    io.stdout(USAGE);
    return 0;
  }
  const o = parseArgs(args);
  if (typeof o === "string") return usage(io, o);

  const modules: Array<{ file: string; text: string }> = [];
  const data: Record<string, unknown> = {};
  const bundles: Bundle[] = [];
  try {
    for (const p of o.bundlePaths) {
      const bundle = await readBundlePath(p);
      bundles.push(bundle);
      placeBundleData(data, [], bundle.data, p);
      for (const f of bundle.regoFiles) modules.push({ file: `${p}:${f.path}`, text: f.text });
    }
    for (const p of o.dataPaths) {
      for (const { file, dir } of await expand(p)) {
        const text = await io.readFile(file);
        if (file.endsWith(".json")) placeBundleData(data, dir, JSON.parse(text) as unknown, file);
        else modules.push({ file, text });
      }
    }
  } catch (e) {
    io.stderr(`fleetward eval: ${e instanceof BundleError ? `${e.code}: ` : ""}${(e as Error).message}\n`);
    return 1;
  }
  let input: string | undefined;
  if (o.inputPath !== undefined) {
    try {
      input = await io.readFile(o.inputPath);
      JSON.parse(input);
    } catch (e) {
      io.stderr(`fleetward eval: cannot read input ${o.inputPath}: ${(e as Error).message}\n`);
      return 1;
    }
  }

  try {
    const fromWasm = evalBundleWasm(io, o, bundles, input);
    if (fromWasm !== undefined) return fromWasm;
  } catch (e) {
    return evalError(io, e);
  }
  if (bundles.length > 0 && modules.length === 0) {
    io.stderr(`fleetward eval: the bundle has no Rego sources, so only its entrypoints can be queried (data.<entrypoint with dots>)\n`);
    return 1;
  }

  const regoVersion = o.v0 ? "v0" : "v1";
  const parsed = parseQuery(o.query, { file: "query", regoVersion });
  if (!parsed.query) {
    for (const d of parsed.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
    return 1;
  }
  const generated = queryModule(o.query, parsed.query, o.v0);
  modules.push({ file: "query.rego", text: generated.text });
  const compiled = await compileAsync({ modules, entrypoints: [QUERY_ENTRYPOINT], regoVersion, strictBuiltinErrors: o.strict, queryPackages: [`data.${QUERY_PACKAGE}`] });
  if (!compiled.wasm) {
    for (const d of compiled.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
    return 1;
  }
  try {
    const policy = CompiledPolicy.loadSync(compiled.wasm, { strictBuiltinErrors: o.strict });
    policy.setData(JSON.stringify(data));
    const rs = JSON.parse(policy.evaluateText(QUERY_ENTRYPOINT, input)) as Array<{ result: Array<[unknown[], Record<string, unknown>]> }>;
    const result = (rs[0]?.result ?? []).map(([values, b]) => ({
      expressions: values.map((value, i) => {
        const e = generated.expressions[i];
        return { value, text: e?.text ?? "", location: { row: e?.row ?? 1, col: e?.col ?? 1 } };
      }),
      ...(Object.keys(b).length > 0 ? { bindings: b } : {}),
    }));
    return print(io, o.format, result);
  } catch (e) {
    return evalError(io, e);
  }
}

function usage(io: CliIO, why: string): number {
  io.stderr(`fleetward eval: ${why}\n${USAGE}`);
  return 2;
}
