import binaryen from "binaryen";
import {
  ABI_EXPORTS, ALLOWED_POLICY_IMPORTS, HEAP_POINTER_GLOBAL, NATIVE_BUILTIN_PREFIX, RUNTIME_EVAL_IMPORT, RUNTIME_HELPER_PREFIX,
  SDK_DEFAULT_PAGES, WASM_PAGE_SIZE,
} from "../runtime/runtime-abi.js";
import { loadRuntimeWasm } from "../runtime/runtime-location.js";
import { wasmApi } from "../runtime/wasm-api.js";
import { readDataSegments, runtimeModule, type NamedSegment } from "./runtime-template.js";
import { StaticData, type StaticBytes } from "./static-data.js";

/** A failure to build or link a policy module (a bug in generated code or an unusable runtime). */
export class PolicyLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyLinkError";
  }
}

/** Wasm features the runtime is compiled with (AssemblyScript defaults minus SIMD). */
export const POLICY_FEATURES =
  binaryen.Features.MutableGlobals |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt |
  binaryen.Features.SignExt;

export interface LinkOptions {
  /** Value of the exported opa_wasm_abi_minor_version global (default 2; SDKs use opa_eval from 2 on). */
  abiMinorVersion?: number;
  /**
   * Optimize (default true): binaryen's default passes on the generated functions (the runtime is
   * already optimized by asc), then removal of runtime code the policy does not reach.
   */
  optimize?: boolean;
  /** Keep the runtime's fw_* helper exports (default false: they are removed and dead code is dropped). */
  keepRuntimeExports?: boolean;
}

interface EntrypointDef {
  name: string;
  functionName: string;
}

/**
 * Builds an OPA-ABI policy module on top of the compiled runtime: generated functions call the
 * runtime's fw_* helpers (see src/rego/runtime/README.md), and `link()` adds the ABI surface
 * (`eval` dispatcher, `entrypoints`, `builtins`, version globals), appends static data, validates,
 * optimizes and emits the binary.
 *
 * Entrypoint functions have the signature (ctx: i32) -> i32 and return the entrypoint's value, or 0
 * when it is undefined; the dispatcher wraps the value into the result set {{"result": value}}.
 */
export class PolicyModuleBuilder {
  readonly module: binaryen.Module;
  readonly data: StaticData;
  private readonly exportTargets = new Map<string, string>();
  private readonly importTargets = new Map<string, string>();
  private readonly entrypoints: EntrypointDef[] = [];
  private readonly builtins: string[] = [];
  private readonly runtimeFunctions = new Set<string>();
  private readonly heapGlobal: string;
  private readonly startFunction: string;
  private evalFunction = "";
  private initializer: string | undefined;
  private linked = false;

  constructor(runtimeWasm: Uint8Array = loadRuntimeWasm()) {
    if (!wasmApi.validate(runtimeWasm)) throw new PolicyLinkError("runtime module is not valid WebAssembly");
    this.module = runtimeModule(runtimeWasm, POLICY_FEATURES);
    for (let i = 0; i < this.module.getNumExports(); i++) {
      const info = binaryen.getExportInfo(this.module.getExportByIndex(i));
      this.exportTargets.set(info.name, info.value);
    }
    for (let i = 0; i < this.module.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(this.module.getFunctionByIndex(i));
      this.runtimeFunctions.add(info.name);
      if (info.module !== null && info.module !== "" && info.base !== null) this.importTargets.set(`${info.module}.${info.base}`, info.name);
    }
    const heapGlobal = this.exportTargets.get(HEAP_POINTER_GLOBAL);
    if (!heapGlobal) throw new PolicyLinkError(`runtime does not export the ${HEAP_POINTER_GLOBAL} global`);
    this.heapGlobal = heapGlobal;
    const { functionName, heapBase } = this.readHeapBase();
    this.startFunction = functionName;
    this.data = new StaticData(align8(heapBase));
  }

  /** Internal name of a runtime export (e.g. "fw_value_get"), for `module.call`. */
  runtimeFunction(exportName: string): string {
    const target = this.exportTargets.get(exportName);
    if (!target) throw new PolicyLinkError(`runtime has no export named ${exportName}`);
    return target;
  }

  /** Call of a runtime export returning i32 (all runtime helpers take and return i32 addresses). */
  callRuntime(exportName: string, operands: readonly binaryen.ExpressionRef[], result: binaryen.Type = binaryen.i32): binaryen.ExpressionRef {
    return this.module.call(this.runtimeFunction(exportName), operands, result);
  }

  /** Expression giving a constant string value: the address of a value in static data (nothing allocated). */
  stringValue(text: string): binaryen.ExpressionRef {
    return this.module.i32.const(this.data.addStringValue(text).offset);
  }

  /** i64 constant (binaryen.js 132 takes one bigint; its typings still describe (low, high)). */
  i64Const(value: bigint): binaryen.ExpressionRef {
    const i64 = this.module.i64 as unknown as { const(value: bigint): binaryen.ExpressionRef };
    return i64.const(BigInt.asIntN(64, value));
  }

  /** Expression building an exact integer number value. */
  integerValue(value: bigint): binaryen.ExpressionRef {
    return this.callRuntime("fw_number_i64", [this.i64Const(value)]);
  }

  /** Static NUL-terminated string (e.g. for opa_abort messages). */
  cString(text: string): StaticBytes {
    return this.data.addString(text, true);
  }

  /** Expression calling `env.opa_abort` with a static message (the SDK throws the message as an error). */
  abortWith(message: string): binaryen.ExpressionRef {
    const abort = this.importTargets.get("env.opa_abort");
    if (!abort) throw new PolicyLinkError("runtime does not import env.opa_abort");
    return this.module.call(abort, [this.module.i32.const(this.cString(message).offset)], binaryen.none);
  }

  /** Expression calling `env.opa_abort` with a NUL-terminated message computed at run time. */
  abortWithAddress(cstr: binaryen.ExpressionRef): binaryen.ExpressionRef {
    const abort = this.importTargets.get("env.opa_abort");
    if (!abort) throw new PolicyLinkError("runtime does not import env.opa_abort");
    return this.module.call(abort, [cstr], binaryen.none);
  }

  /**
   * Makes a generated function () -> () the module's start function: it runs once when the module is
   * instantiated, after the data segments are in place and before any SDK reads the heap pointer, so what it
   * allocates stays valid across evaluations.
   */
  setInitializer(functionName: string): void {
    this.initializer = functionName;
  }

  /** Registers an entrypoint implemented by `functionName` (ctx: i32) -> i32; returns its id. */
  addEntrypoint(name: string, functionName: string): number {
    if (this.entrypoints.some((e) => e.name === name)) throw new PolicyLinkError(`duplicate entrypoint ${name}`);
    this.entrypoints.push({ name, functionName });
    return this.entrypoints.length - 1;
  }

  /** Registers a host builtin by name; returns its id (stable per name). */
  builtinId(name: string): number {
    const known = this.builtins.indexOf(name);
    if (known >= 0) return known;
    this.builtins.push(name);
    return this.builtins.length - 1;
  }

  /** Adds the ABI surface, static data and heap start; validates, optimizes and emits the module. */
  link(options: LinkOptions = {}): Uint8Array {
    if (this.linked) throw new PolicyLinkError("module already linked");
    this.linked = true;
    try {
      return this.linkModule(options);
    } finally {
      this.module.dispose();
    }
  }

  /** Releases the binaryen module without linking (builders that are abandoned). */
  dispose(): void {
    if (this.linked) return;
    this.linked = true;
    this.module.dispose();
  }

  private linkModule(options: LinkOptions): Uint8Array {
    const m = this.module;
    const minor = options.abiMinorVersion ?? 2;
    if (!Number.isInteger(minor) || minor < 0) throw new PolicyLinkError(`invalid ABI minor version ${minor}`);
    if (this.entrypoints.length === 0) throw new PolicyLinkError("a policy module needs at least one entrypoint");
    for (const e of this.entrypoints) {
      if (!m.getFunction(e.functionName)) throw new PolicyLinkError(`entrypoint ${e.name}: function ${e.functionName} is not defined`);
    }

    this.addJsonExport("entrypoints", Object.fromEntries(this.entrypoints.map((e, i) => [e.name, i])));
    this.addJsonExport("builtins", Object.fromEntries(this.builtins.map((b, i) => [b, i])));
    this.replaceEvalImport();

    m.addGlobal("opa_wasm_abi_version", binaryen.i32, false, m.i32.const(1));
    m.addGlobalExport("opa_wasm_abi_version", "opa_wasm_abi_version");
    m.addGlobal("opa_wasm_abi_minor_version", binaryen.i32, false, m.i32.const(minor));
    m.addGlobalExport("opa_wasm_abi_minor_version", "opa_wasm_abi_minor_version");

    this.placeStaticData();

    if (!options.keepRuntimeExports) {
      for (const name of [...this.exportTargets.keys()]) {
        if (name.startsWith(RUNTIME_HELPER_PREFIX) || name.startsWith(NATIVE_BUILTIN_PREFIX)) m.removeExport(name);
      }
    }
    if (!m.validate()) throw new PolicyLinkError("generated module failed validation");
    if (options.optimize ?? true) {
      const level = binaryen.getOptimizeLevel();
      const shrink = binaryen.getShrinkLevel();
      binaryen.setOptimizeLevel(2);
      binaryen.setShrinkLevel(1);
      try {
        for (let i = 0; i < m.getNumFunctions(); i++) {
          const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
          if (!this.runtimeFunctions.has(info.name) || info.name === this.evalFunction) m.optimizeFunction(info.name);
        }
        m.runPasses(["remove-unused-module-elements"]);
      } finally {
        binaryen.setOptimizeLevel(level);
        binaryen.setShrinkLevel(shrink);
      }
    }
    const binary = m.emitBinary();
    checkModuleInterface(binary);
    return binary;
  }

  /** The runtime's start function only sets the heap pointer to the end of its data: read that value. */
  private readHeapBase(): { functionName: string; heapBase: number } {
    const start = this.module.getStart();
    if (!start) throw new PolicyLinkError("runtime has no start function initialising the heap pointer");
    const fn = binaryen.getFunctionInfo(start);
    const body = binaryen.getExpressionInfo(fn.body);
    if (body.id === binaryen.GlobalSetId) {
      const set = body as binaryen.GlobalSetInfo;
      const value = binaryen.getExpressionInfo(set.value);
      if (set.name === this.heapGlobal && value.id === binaryen.ConstId) {
        const heapBase = (value as binaryen.ConstInfo).value;
        if (typeof heapBase === "number") return { functionName: fn.name, heapBase };
      }
    }
    throw new PolicyLinkError("unexpected runtime start function: expected only `global.set fw_heap_ptr (i32.const base)`");
  }

  private addJsonExport(exportName: string, value: Record<string, number>): void {
    const m = this.module;
    const json = this.data.addString(JSON.stringify(value));
    const fn = `fleetward$${exportName}`;
    m.addFunction(
      fn,
      binaryen.none,
      binaryen.i32,
      [],
      this.callRuntime("opa_json_parse", [m.i32.const(json.offset), m.i32.const(json.length)]),
    );
    m.addFunctionExport(fn, exportName);
  }

  /** Replaces the runtime's fleetward_link.eval import with the entrypoint dispatcher and exports it as `eval`. */
  private replaceEvalImport(): void {
    const m = this.module;
    const name = this.importTargets.get(`${RUNTIME_EVAL_IMPORT.module}.${RUNTIME_EVAL_IMPORT.base}`);
    if (!name) throw new PolicyLinkError("runtime does not import the eval placeholder");
    const abort = this.importTargets.get("env.opa_abort");
    if (!abort) throw new PolicyLinkError("runtime does not import env.opa_abort");
    const ctx = (): binaryen.ExpressionRef => m.local.get(0, binaryen.i32);
    const invalid = this.cString("invalid entrypoint id");
    const labels = this.entrypoints.map((_, i) => `entry${i}`);
    // block $invalid { block $entryN { ... block $entry0 { br_table } call entry0 ... } ... }
    let inner: binaryen.ExpressionRef = m.switch(labels, "invalid", m.call(this.runtimeFunction("fw_eval_ctx_get_entrypoint"), [ctx()], binaryen.i32));
    for (let i = 0; i < this.entrypoints.length; i++) {
      const entry = this.entrypoints[i];
      const label = labels[i];
      if (!entry || !label) continue;
      const run = m.block(null, [
        this.callRuntime("fw_eval_ctx_set_result", [ctx(), this.callRuntime("fw_result_set", [m.call(entry.functionName, [ctx()], binaryen.i32)])], binaryen.none),
        m.return(m.i32.const(0)),
      ]);
      inner = m.block(null, [m.block(label, [inner]), run]);
    }
    const body = m.block(null, [
      m.block("invalid", [inner]),
      m.call(abort, [m.i32.const(invalid.offset)], binaryen.none),
      m.i32.const(1),
    ], binaryen.i32);
    m.removeFunction(name);
    m.addFunction(name, binaryen.i32, binaryen.i32, [], body);
    this.evalFunction = name;
    m.addFunctionExport(name, "eval");
  }

  /** Appends static data as a segment and moves the heap start past it. */
  private placeStaticData(): void {
    const m = this.module;
    let segments: NamedSegment[];
    try {
      segments = readDataSegments(m);
    } catch (err) {
      throw new PolicyLinkError(err instanceof Error ? err.message : String(err));
    }
    const own = this.data.segment();
    if (own.data.length > 0) segments.push({ offset: m.i32.const(own.offset), data: own.data, passive: false, name: "fleetward$data" });
    const heapBase = align8(this.data.end);
    const pages = Math.max(1, Math.ceil(heapBase / WASM_PAGE_SIZE));
    if (pages > SDK_DEFAULT_PAGES) {
      throw new PolicyLinkError(`static data needs ${pages} memory pages; OPA SDKs provide ${SDK_DEFAULT_PAGES}`);
    }
    const memoryName = this.importedMemoryName();
    m.setMemory(pages, -1, null, segments, false, false, memoryName);
    m.addMemoryImport(memoryName, "env", "memory");

    // The heap pointer global starts after the static data; the runtime's start function is no longer needed
    // (a generated initializer, if any, takes its place).
    m.setStart(0);
    m.removeFunction(this.startFunction);
    m.removeGlobal(this.heapGlobal);
    m.addGlobal(this.heapGlobal, binaryen.i32, true, m.i32.const(heapBase));
    if (this.initializer !== undefined) m.setStart(m.getFunction(this.initializer));
  }

  private importedMemoryName(): string {
    // binaryen names the first imported memory "mimport$0" when reading a binary without a name section.
    for (const candidate of ["mimport$0", "0", "memory"]) {
      try {
        const info = this.module.getMemoryInfo(candidate);
        if (info.module === "env" && info.base === "memory") return candidate;
      } catch {
        // not this name
      }
    }
    throw new PolicyLinkError("runtime does not import env.memory");
  }
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Checks the emitted module's imports and ABI exports. */
export function checkModuleInterface(binary: Uint8Array): void {
  const compiled = new wasmApi.Module(binary);
  const allowed = new Set(ALLOWED_POLICY_IMPORTS);
  const bad = wasmApi.Module.imports(compiled).filter((i) => !allowed.has(`${i.module}.${i.name}`));
  if (bad.length > 0) throw new PolicyLinkError(`module has disallowed imports: ${bad.map((i) => `${i.module}.${i.name}`).join(", ")}`);
  const exported = new Set(wasmApi.Module.exports(compiled).map((e) => e.name));
  const missing = ABI_EXPORTS.filter((name) => !exported.has(name));
  if (missing.length > 0) throw new PolicyLinkError(`module lacks ABI exports: ${missing.join(", ")}`);
}
