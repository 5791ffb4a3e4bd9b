import binaryen from "binaryen";

/** Data segments as binaryen.js really exposes them (its typings name an older API). */
interface DataSegmentApi {
  getNumDataSegments(): number;
  getDataSegmentByIndex(index: number): number;
  getDataSegmentInfo(ref: number): { name: string; offset: number | null; data: ArrayBuffer; passive: boolean };
}

/** binaryen.js reads an optional `name` on segments (missing from its typings). */
export type NamedSegment = binaryen.MemorySegment & { name?: string };

/** A module's data segments, with active offsets built as constants in `target` (default: the module itself). */
export function readDataSegments(module: binaryen.Module, target: binaryen.Module = module): NamedSegment[] {
  const api = module as unknown as Partial<DataSegmentApi>;
  if (typeof api.getNumDataSegments !== "function" || typeof api.getDataSegmentByIndex !== "function" || typeof api.getDataSegmentInfo !== "function") {
    throw new Error("binaryen.js lacks the data segment API this linker needs");
  }
  const segments: NamedSegment[] = [];
  const count = api.getNumDataSegments();
  for (let i = 0; i < count; i++) {
    const info = api.getDataSegmentInfo(api.getDataSegmentByIndex(i));
    segments.push({
      offset: info.passive || info.offset === null ? 0 : target.i32.const(info.offset),
      data: new Uint8Array(info.data),
      passive: info.passive,
      name: info.name,
    });
  }
  return segments;
}

interface ImportedMemory {
  name: string;
  module: string;
  base: string;
  initial: number;
  max: number;
  shared: boolean;
}

/**
 * The runtime module parsed once, from which each policy build gets a fresh binaryen module by copying
 * functions, globals, memory, data and exports (binaryen.js has no module clone). Copying the IR costs
 * about a fifth of `binaryen.readBinary`, which otherwise parses the whole 45 KB runtime for every compile.
 * The template stays alive for the process (one per distinct runtime: a new runtime replaces it).
 *
 * `load` checks that a copy emits exactly the bytes binaryen emits for the parsed runtime; a runtime using
 * anything this copier does not handle (tables, tags, imported globals, several memories) gets no template.
 */
export class RuntimeTemplate {
  private constructor(
    private readonly source: binaryen.Module,
    private readonly features: binaryen.Features,
    private readonly functions: readonly binaryen.FunctionInfo[],
    private readonly globals: readonly binaryen.GlobalInfo[],
    private readonly exports: readonly binaryen.ExportInfo[],
    private readonly memory: ImportedMemory,
    private readonly start: string,
  ) {}

  /** Parses the runtime; undefined (and nothing kept) when it cannot be copied faithfully. */
  static load(runtimeWasm: Uint8Array, features: binaryen.Features): RuntimeTemplate | undefined {
    const source = binaryen.readBinary(runtimeWasm);
    source.setFeatures(features);
    const template = RuntimeTemplate.describe(source, features);
    if (template) {
      const copy = template.instantiate();
      try {
        if (sameBytes(copy.emitBinary(), source.emitBinary())) return template;
      } finally {
        copy.dispose();
      }
    }
    source.dispose();
    return undefined;
  }

  /** Releases the parsed runtime. */
  dispose(): void {
    this.source.dispose();
  }

  private static describe(source: binaryen.Module, features: binaryen.Features): RuntimeTemplate | undefined {
    const raw = source as unknown as { getNumTables?: () => number; getNumMemories?: () => number; getNumTags?: () => number };
    if ((raw.getNumTables?.() ?? 1) !== 0 || (raw.getNumMemories?.() ?? 1) !== 1 || (raw.getNumTags?.() ?? 0) !== 0) return undefined;
    const functions: binaryen.FunctionInfo[] = [];
    for (let i = 0; i < source.getNumFunctions(); i++) functions.push(binaryen.getFunctionInfo(source.getFunctionByIndex(i)));
    const globals: binaryen.GlobalInfo[] = [];
    for (let i = 0; i < source.getNumGlobals(); i++) globals.push(binaryen.getGlobalInfo(source.getGlobalByIndex(i)));
    if (globals.some((g) => g.module !== null && g.module !== "")) return undefined;
    const exports: binaryen.ExportInfo[] = [];
    for (let i = 0; i < source.getNumExports(); i++) exports.push(binaryen.getExportInfo(source.getExportByIndex(i)));
    if (exports.some((e) => e.kind !== binaryen.ExternalFunction && e.kind !== binaryen.ExternalGlobal)) return undefined;
    const memory = importedMemory(source);
    const startRef = source.getStart();
    if (!memory || !startRef) return undefined;
    return new RuntimeTemplate(source, features, functions, globals, exports, memory, binaryen.getFunctionInfo(startRef).name);
  }

  /** A fresh module equal to the runtime; the caller owns (and disposes) it. */
  instantiate(): binaryen.Module {
    const m = new binaryen.Module();
    m.setFeatures(this.features);
    for (const f of this.functions) {
      if (f.module !== null && f.module !== "" && f.base !== null) m.addFunctionImport(f.name, f.module, f.base, f.params, f.results);
      else m.addFunction(f.name, f.params, f.results, f.vars, m.copyExpression(f.body));
    }
    for (const g of this.globals) m.addGlobal(g.name, g.type, g.mutable, m.copyExpression(g.init));
    const mem = this.memory;
    m.setMemory(mem.initial, mem.max, null, readDataSegments(this.source, m), mem.shared, false, mem.name);
    m.addMemoryImport(mem.name, mem.module, mem.base, mem.shared);
    for (const e of this.exports) {
      if (e.kind === binaryen.ExternalFunction) m.addFunctionExport(e.value, e.name);
      else m.addGlobalExport(e.value, e.name);
    }
    m.setStart(m.getFunction(this.start));
    return m;
  }
}

function importedMemory(m: binaryen.Module): ImportedMemory | undefined {
  // binaryen names the first imported memory "mimport$0" when reading a binary without a name section.
  for (const name of ["mimport$0", "0", "memory"]) {
    try {
      const info = m.getMemoryInfo(name);
      if (info.module !== null && info.base !== null && !info.is64) {
        return { name, module: info.module, base: info.base, initial: info.initial, max: info.max ?? -1, shared: info.shared };
      }
    } catch {
      // not this name
    }
  }
  return undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

let cached: { bytes: Uint8Array; template: RuntimeTemplate | undefined } | undefined;

/**
 * A fresh binaryen module of `runtimeWasm`: copied from the template of the last runtime seen (parsed once),
 * or read from the bytes when that runtime cannot be copied faithfully.
 */
export function runtimeModule(runtimeWasm: Uint8Array, features: binaryen.Features): binaryen.Module {
  if (!cached || !sameBytes(cached.bytes, runtimeWasm)) {
    const previous = cached;
    cached = { bytes: runtimeWasm.slice(), template: RuntimeTemplate.load(runtimeWasm, features) };
    previous?.template?.dispose();
  }
  if (cached.template) return cached.template.instantiate();
  const m = binaryen.readBinary(runtimeWasm);
  m.setFeatures(features);
  return m;
}
