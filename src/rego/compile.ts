/**
 * `compile()`: Rego modules + entrypoints → an OPA-ABI WebAssembly module (or diagnostics).
 * Parse → check (`checkModules`) → plan (`planProgram`) → generate code (`generatePolicyWasm`).
 * Results are cached in memory by a hash of the whole request.
 */
import { createHash } from "node:crypto";
import type { Diagnostic } from "./diagnostics.js";
import type { Module, RegoVersion } from "./parser/nodes.js";
import { parseModule } from "./parser/parse-module.js";
import { checkModules } from "./check/check-modules.js";
import { planProgram } from "./planner/plan-program.js";
import { generatePolicyWasm } from "./wasm/codegen/generate-policy-wasm.js";
import type { IrProgram } from "./planner/ir-program.js";

export interface CompileRequest {
  modules: Array<{ file: string; text: string }>;
  /** Entrypoints as `pkg/rule` or `data.pkg.rule`. */
  entrypoints: string[];
  regoVersion?: RegoVersion;
  strictBuiltinErrors?: boolean;
  /**
   * Run binaryen's optimizer on the generated functions (default false: linking is ~3x faster and V8
   * optimizes the code when it compiles the module; pass true for smaller modules).
   */
  optimize?: boolean;
  /** Packages (`data.x`) of generated queries, not part of `data` as policies see it (see `PlanOptions`). */
  queryPackages?: string[];
}

export interface CompileResult {
  wasm?: Uint8Array;
  diagnostics: Diagnostic[];
  /** The planned IR (present when planning succeeded). */
  ir?: IrProgram;
}

const CACHE_LIMIT = 256;
const cache = new Map<string, CompileResult>();

function requestKey(req: CompileRequest): string {
  const h = createHash("sha256");
  h.update(JSON.stringify([req.regoVersion ?? "v1", req.strictBuiltinErrors ?? false, req.optimize ?? false, req.queryPackages ?? [], req.entrypoints, req.modules.map((m) => [m.file, m.text])]));
  return h.digest("hex");
}

function compileDiagnostic(message: string, file: string): Diagnostic {
  const pos = { offset: 0, line: 1, column: 1 };
  return { code: "rego_compile_error", message, span: { file, start: pos, end: pos } };
}

/** Compiles modules to a policy module. Never throws: failures become diagnostics. */
export function compile(req: CompileRequest): CompileResult {
  const key = requestKey(req);
  const hit = cache.get(key);
  if (hit) return hit;
  const result = compileUncached(req);
  if (cache.size >= CACHE_LIMIT) {
    const first = cache.keys().next();
    if (!first.done) cache.delete(first.value);
  }
  cache.set(key, result);
  return result;
}

function compileUncached(req: CompileRequest): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const modules: Module[] = [];
  for (const m of req.modules) {
    const parsed = parseModule(m.text, { file: m.file, regoVersion: req.regoVersion ?? "v1" });
    diagnostics.push(...parsed.diagnostics);
    if (parsed.module) modules.push(parsed.module);
  }
  if (diagnostics.length > 0) return { diagnostics };
  const checked = checkModules(modules);
  if (!checked.program) return { diagnostics: checked.diagnostics };
  const file = req.modules[0]?.file ?? "";
  if (req.entrypoints.length === 0) return { diagnostics: [compileDiagnostic("no entrypoints given", file)] };
  let ir: IrProgram;
  try {
    ir = planProgram(checked.program, req.entrypoints, { queryPackages: req.queryPackages ?? [] });
  } catch (e) {
    return { diagnostics: [compileDiagnostic(`planner: ${(e as Error).message}`, file)] };
  }
  try {
    const wasm = generatePolicyWasm(ir, { strictBuiltinErrors: req.strictBuiltinErrors ?? false, optimize: req.optimize ?? false });
    return { wasm, diagnostics: [], ir };
  } catch (e) {
    return { diagnostics: [compileDiagnostic(`code generation: ${(e as Error).message}`, file)], ir };
  }
}
