/**
 * `fleetward eval -d <file.rego|dir|data.json>… [-i input.json] [--v0] [--strict-builtin-errors] '<query>'`:
 * evaluates a query like `opa eval` and prints `{"result": [{"expressions": [...], "bindings": {...}}]}`
 * (no `result` key when the query is undefined). The query becomes a generated rule in its own package,
 * compiled with the modules. Exit 0 on success (also when undefined), 1 on compile or evaluation errors,
 * 2 on usage errors.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { compile } from "../../rego/compile.js";
import { formatDiagnostic } from "../../rego/diagnostics.js";
import { CompiledPolicy, PolicyEvalError } from "../../rego/evaluator/compiled-policy.js";
import { parseQuery } from "../../rego/parser/parse-query.js";
import { forEachVarInExpr } from "../../rego/check/term-utils.js";
import type { CliIO } from "../cli-io.js";

const USAGE = "usage: fleetward eval -d <file.rego|dir|data.json>... [-i input.json] [--v0] [--strict-builtin-errors] '<query>'\n";
const QUERY_PACKAGE = "fleetward_eval_query";

async function expand(path: string): Promise<string[]> {
  const s = await stat(path);
  if (!s.isDirectory()) return [path];
  const out: string[] = [];
  for (const name of (await readdir(path)).sort()) {
    const full = join(path, name);
    if ((await stat(full)).isDirectory()) out.push(...(await expand(full)));
    else if (name.endsWith(".rego") || name.endsWith(".json")) out.push(full);
  }
  return out;
}

export async function runEvalCommand(args: string[], io: CliIO): Promise<number> {
  const dataPaths: string[] = [];
  let inputPath: string | undefined;
  let v0 = false;
  let strict = false;
  let query: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "-d" || a === "--data") {
      const v = args[++i];
      if (v === undefined) return usage(io, "-d needs a path");
      dataPaths.push(v);
    } else if (a === "-i" || a === "--input") {
      inputPath = args[++i];
      if (inputPath === undefined) return usage(io, "-i needs a path");
    } else if (a === "--v0") v0 = true;
    else if (a === "--strict-builtin-errors") strict = true;
    else if (a === "-h" || a === "--help") {
      io.stdout(USAGE);
      return 0;
    } else if (a.startsWith("-") && a.length > 1) return usage(io, `unknown option ${a}`);
    else if (query === undefined) query = a;
    else return usage(io, "only one query may be given");
  }
  if (query === undefined) return usage(io, "a query is required");

  const modules: Array<{ file: string; text: string }> = [];
  let data: Record<string, unknown> = {};
  try {
    for (const p of dataPaths) {
      for (const file of await expand(p)) {
        const text = await io.readFile(file);
        if (file.endsWith(".json")) {
          const doc = JSON.parse(text) as unknown;
          if (doc !== null && typeof doc === "object" && !Array.isArray(doc)) data = { ...data, ...(doc as Record<string, unknown>) };
          else throw new Error(`${file}: a data file must hold a JSON object`);
        } else modules.push({ file, text });
      }
    }
  } catch (e) {
    io.stderr(`fleetward eval: ${(e as Error).message}\n`);
    return 1;
  }
  let input: string | undefined;
  if (inputPath !== undefined) {
    try {
      input = await io.readFile(inputPath);
      JSON.parse(input);
    } catch (e) {
      io.stderr(`fleetward eval: cannot read input ${inputPath}: ${(e as Error).message}\n`);
      return 1;
    }
  }

  const parsed = parseQuery(query, { file: "query", regoVersion: v0 ? "v0" : "v1" });
  if (!parsed.query) {
    for (const d of parsed.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
    return 1;
  }
  // Each expression's value: `x = y`/`x := y` and other calls evaluate to their result, a term to its value.
  const exprs = parsed.query.body.exprs;
  const vars = new Set<string>();
  for (const e of exprs) {
    forEachVarInExpr(e, (v) => {
      if (v.name !== "input" && v.name !== "data" && v.name !== "_" && !v.name.startsWith("$")) vars.add(v.name);
    }, { skipClosures: true });
  }
  const bodyLines: string[] = [];
  const exprValues: string[] = [];
  exprs.forEach((e, i) => {
    const text = query.slice(e.span.start.offset, e.span.end.offset);
    const x = e.expr;
    const isTerm = !e.negated && e.with.length === 0 && x.type !== "SomeVars" && x.type !== "SomeIn" && x.type !== "Every" && x.type !== "Call";
    if (isTerm) {
      bodyLines.push(`__fw_expr${i} := ${text}`, `__fw_expr${i} != false`);
      exprValues.push(`__fw_expr${i}`);
    } else {
      bodyLines.push(text);
      exprValues.push("true");
    }
  });
  const bindings = [...vars].map((v) => `${JSON.stringify(v)}: ${v}`).join(", ");
  const queryModule = `package ${QUERY_PACKAGE}\n\nq contains [[${exprValues.join(", ")}], {${bindings}}] if {\n${bodyLines.join("\n")}\n}\n`;
  modules.push({ file: "query.rego", text: queryModule });
  const compiled = compile({ modules, entrypoints: [`${QUERY_PACKAGE}/q`], regoVersion: v0 ? "v0" : "v1", strictBuiltinErrors: strict, queryPackages: [`data.${QUERY_PACKAGE}`] });
  if (!compiled.wasm) {
    for (const d of compiled.diagnostics) io.stderr(formatDiagnostic(d) + "\n");
    return 1;
  }
  try {
    const policy = CompiledPolicy.loadSync(compiled.wasm, { strictBuiltinErrors: strict });
    policy.setData(JSON.stringify(data));
    const text = policy.evaluateText(`${QUERY_PACKAGE}/q`, input);
    const rs = JSON.parse(text) as Array<{ result: Array<[unknown[], Record<string, unknown>]> }>;
    const rows = rs[0]?.result ?? [];
    const result = rows.map(([values, b]) => ({
      expressions: values.map((value, i) => {
        const e = exprs[i];
        return {
          value,
          text: e ? query.slice(e.span.start.offset, e.span.end.offset) : "",
          location: { row: e?.span.start.line ?? 1, col: e?.span.start.column ?? 1 },
        };
      }),
      ...(Object.keys(b).length > 0 ? { bindings: b } : {}),
    }));
    io.stdout(JSON.stringify(result.length > 0 ? { result } : {}, null, 2) + "\n");
    return 0;
  } catch (e) {
    const err = e instanceof PolicyEvalError ? e : new PolicyEvalError("eval_internal_error", String(e));
    io.stderr(JSON.stringify({ errors: [{ code: err.code, message: err.message }] }, null, 2) + "\n");
    return 1;
  }
}

function usage(io: CliIO, why: string): number {
  io.stderr(`fleetward eval: ${why}\n${USAGE}`);
  return 2;
}
