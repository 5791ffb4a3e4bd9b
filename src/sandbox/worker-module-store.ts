/**
 * The compiled-module store of a sandbox worker (`setCompiledModuleStore`): modules by compile-request key, so that a
 * policy compiled once is not generated again, by this worker, by another worker, or after a restart.
 *
 * - Memory: the modules this worker generated or read, and those the pool relayed from the other workers (`accept`);
 *   at most `maxBytes`, the least recently used go first.
 * - Disk (when a folder is set): `DiskCompileStore` (src/rego/compile-cache.ts): entries keyed by content and compiler
 *   version, written atomically, validated on read (a corrupt entry is a miss and is generated again). A folder that
 *   cannot be written turns it into memory only, with one warning.
 * - What this worker generated since the last `takeFresh()` goes back to the pool with the job's answer.
 */
import type { CompiledModuleStore } from "../rego/compile.js";
import { DiskCompileStore } from "../rego/compile-cache.js";

/** Where a worker keeps compiled modules: `dir` null for memory only. */
export interface ModuleCacheSetting {
  dir: string | null;
  maxBytes: number;
  /** The compiler's identity (`compilerVersion()`), computed once by the pool rather than by every worker. */
  compilerVersion: string;
}

export type ModuleEntry = [key: string, wasm: Uint8Array];

export class WorkerModuleStore implements CompiledModuleStore {
  readonly #memory = new Map<string, Uint8Array>();
  #memoryBytes = 0;
  #fresh: ModuleEntry[] = [];
  #warnings: string[] = [];
  readonly #disk: DiskCompileStore | undefined;

  constructor(private readonly setting: ModuleCacheSetting) {
    this.#disk =
      setting.dir === null
        ? undefined
        : new DiskCompileStore({ dir: setting.dir, maxBytes: setting.maxBytes, compilerVersion: setting.compilerVersion, debug: (line) => this.#warnings.push(line) });
  }

  get(key: string): Uint8Array | undefined {
    const remembered = this.#memory.get(key);
    if (remembered !== undefined) {
      this.#remember(key, remembered);
      return remembered;
    }
    const stored = this.#disk?.get(key);
    if (stored !== undefined) this.#remember(key, stored);
    return stored;
  }

  put(key: string, wasm: Uint8Array): void {
    this.#remember(key, wasm);
    this.#disk?.put(key, wasm);
    this.#fresh.push([key, wasm]);
  }

  /** Modules another worker generated (relayed by the pool). */
  accept(modules: readonly ModuleEntry[]): void {
    for (const [key, wasm] of modules) this.#remember(key, wasm);
  }

  /** The modules generated since the last call, and the disk store's warnings (unwritable folder, corrupt entry). */
  takeFresh(): { modules: ModuleEntry[]; warnings: string[] } {
    const out = { modules: this.#fresh, warnings: this.#warnings };
    this.#fresh = [];
    this.#warnings = [];
    return out;
  }

  #remember(key: string, wasm: Uint8Array): void {
    const old = this.#memory.get(key);
    if (old !== undefined) {
      this.#memory.delete(key);
      this.#memoryBytes -= old.length;
    }
    this.#memory.set(key, wasm);
    this.#memoryBytes += wasm.length;
    for (const [k, m] of this.#memory) {
      if (this.#memoryBytes <= this.setting.maxBytes) break;
      this.#memory.delete(k);
      this.#memoryBytes -= m.length;
    }
  }
}
