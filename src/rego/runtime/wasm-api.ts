/**
 * Typed access to the JavaScript WebAssembly API. The project's TypeScript lib (ES2023, no DOM) does not
 * declare `WebAssembly`, so this module describes the small part Fleetward uses without adding globals.
 */

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

export interface WasmGlobal {
  value: number;
}

export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmImportDescriptor {
  module: string;
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
}

export interface WasmExportDescriptor {
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
}

export type WasmImports = Record<string, Record<string, unknown>>;

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmNamespace {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(module: WasmModule): WasmImportDescriptor[];
    exports(module: WasmModule): WasmExportDescriptor[];
  };
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance;
  validate(bytes: Uint8Array): boolean;
}

/** The host's WebAssembly namespace. */
export const wasmApi: WasmNamespace = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;
