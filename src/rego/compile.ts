/**
 * `compile()`: Rego modules + entrypoints → an OPA-ABI WebAssembly module (or diagnostics).
 * Parse → check (`checkModules`) → plan (`planProgram`) → generate code (`generatePolicyWasm`).
 * Results are cached in memory by a hash of the whole request, and the generated module also in the
 * `CompiledModuleStore` when one is set (the CLI's cache on disk, compile-cache.ts): a hit there skips code
 * generation, the only step that needs binaryen.
 *
 * The code generator is loaded while this module is imported unless the process deferred it
 * (wasm/compiler-loading.ts); then `compile()` answers `rego_compiler_not_loaded` until `loadCompiler()` has run, and
 * `compileAsync()` loads it when a module has to be generated.
 */
import { createHash } from "node:crypto";
import type { Diagnostic, DiagnosticCode } from "./diagnostics.js";
import type { Module, RegoVersion } from "./parser/nodes.js";
import { parseModule } from "./parser/parse-module.js";
import { checkModules } from "./check/check-modules.js";
import { planProgram } from "./planner/plan-program.js";
import type { IrProgram } from "./planner/ir-program.js";
import { compilerLoadingDeferred } from "./wasm/compiler-loading.js";

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

/** Where generated modules are kept between processes (keyed by the request's hash; see compile-cache.ts). */
export interface CompiledModuleStore {
  get(key: string): Uint8Array | undefined;
  put(key: string, wasm: Uint8Array): void;
}

/** The diagnostic code of a compile that needed the code generator before `loadCompiler()` ran. */
export const COMPILER_NOT_LOADED: DiagnosticCode = "rego_compiler_not_loaded";

/** What this process's compiles did: modules generated, modules read from the store, compiles refused for want of the generator. */
export const compileCounters = { generated: 0, fromStore: 0, notLoaded: 0 };

type Codegen = typeof import("./wasm/codegen/generate-policy-wasm.js");
let codegen: Codegen | undefined;
let loading: Promise<Codegen> | undefined;
let store: CompiledModuleStore | undefined;

/** Loads the code generator (binaryen) once; later calls return at once. */
export async function loadCompiler(): Promise<void> {
  loading ??= import("./wasm/codegen/generate-policy-wasm.js");
  codegen = await loading;
}

export function compilerLoaded(): boolean {
  return codegen !== undefined;
}

/** Sets (or with undefined, removes) the store generated modules are read from and written to. */
export function setCompiledModuleStore(next: CompiledModuleStore | undefined): void {
  store = next;
}

if (!compilerLoadingDeferred()) await loadCompiler();

const CACHE_LIMIT = 256;
const cache = new Map<string, CompileResult>();

function requestKey(req: CompileRequest): string {
  const h = createHash("sha256");
  h.update(JSON.stringify([req.regoVersion ?? "v1", req.strictBuiltinErrors ?? false, req.optimize ?? false, req.queryPackages ?? [], req.entrypoints, req.modules.map((m) => [m.file, m.text])]));
  return h.digest("hex");
}

function compileDiagnostic(message: string, file: string, code: DiagnosticCode = "rego_compile_error"): Diagnostic {
  const pos = { offset: 0, line: 1, column: 1 };
  return { code, message, span: { file, start: pos, end: pos } };
}

/**
 * Compiles modules to a policy module. Never throws: failures become diagnostics. With the code generator deferred
 * and not loaded yet, a module neither cached nor stored comes back as a `rego_compiler_not_loaded` diagnostic.
 */
export function compile(req: CompileRequest): CompileResult {
  const key = requestKey(req);
  const hit = cache.get(key);
  if (hit) return hit;
  const result = compileUncached(req, key);
  if (result.diagnostics.some((d) => d.code === COMPILER_NOT_LOADED)) return result;
  if (cache.size >= CACHE_LIMIT) {
    const first = cache.keys().next();
    if (!first.done) cache.delete(first.value);
  }
  cache.set(key, result);
  return result;
}

/** `compile()`, loading the code generator first when the module has to be generated. */
export async function compileAsync(req: CompileRequest): Promise<CompileResult> {
  const result = compile(req);
  if (!result.diagnostics.some((d) => d.code === COMPILER_NOT_LOADED)) return result;
  await loadCompiler();
  return compile(req);
}

function compileUncached(req: CompileRequest, key: string): CompileResult {
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
  const stored = store?.get(key);
  if (stored !== undefined) {
    compileCounters.fromStore++;
    return { wasm: stored, diagnostics: [], ir };
  }
  if (codegen === undefined) {
    compileCounters.notLoaded++;
    return { diagnostics: [compileDiagnostic("the code generator is not loaded (call loadCompiler() first)", file, COMPILER_NOT_LOADED)], ir };
  }
  try {
    const wasm = codegen.generatePolicyWasm(ir, { strictBuiltinErrors: req.strictBuiltinErrors ?? false, optimize: req.optimize ?? false });
    compileCounters.generated++;
    store?.put(key, wasm);
    return { wasm, diagnostics: [], ir };
  } catch (e) {
    return { diagnostics: [compileDiagnostic(`code generation: ${(e as Error).message}`, file)], ir };
  }
}
