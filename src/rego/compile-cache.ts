/**
 * The compile cache on disk: generated policy modules kept by the hash of their compile request (sources,
 * entrypoints, options) and of the compiler itself (its code, the runtime module, binaryen's version), so that a
 * later process compiling the same policies skips code generation and never loads binaryen.
 *
 * - Folder: `FLEETWARD_CACHE_DIR`, else `$XDG_CACHE_HOME/fleetward`, else `~/.cache/fleetward`; entries in `modules/`.
 * - An entry is `FWC2`, the SHA-256 of its key (compiler version and request hash, which also names the file), the
 *   SHA-256 of the module, the module. The folder is not trusted: an entry that is short, names another key, does not
 *   match its hash or is not a valid WebAssembly module is ignored (a miss, counted as corrupt), and the module
 *   generated for it replaces it (the entry is removed when found).
 * - Writes go to a temporary file in the same folder, then rename over the entry: a reader sees a whole entry or none.
 * - Size: at most `maxBytes` (`FLEETWARD_CACHE_MAX_MB`, default 256); after a write the oldest entries go (a hit
 *   refreshes an entry's time).
 * - A folder that cannot be created or written (read-only file system, permissions): modules are kept in memory for
 *   the rest of the process, with one debug line and no error.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompiledModuleStore } from "./compile.js";
import { loadRuntimeWasm } from "./runtime/runtime-location.js";

const MAGIC = Buffer.from("FWC2");
const HEADER = MAGIC.length + 64;
export const DEFAULT_CACHE_MAX_MB = 256;
const STALE_TMP_MS = 3_600_000;

/** The cache folder the environment names (see the module comment). */
export function cacheDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLEETWARD_CACHE_DIR) return env.FLEETWARD_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "fleetward");
}

/** `FLEETWARD_CACHE_MAX_MB` in bytes (default 256 MiB), or what is wrong with it. */
export function cacheMaxBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number | { error: string } {
  const text = env.FLEETWARD_CACHE_MAX_MB;
  if (text === undefined || text === "") return DEFAULT_CACHE_MAX_MB * 1024 * 1024;
  const mb = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text.trim()) || !(mb > 0)) return { error: `FLEETWARD_CACHE_MAX_MB must be a positive number of MiB (got "${text}")` };
  return Math.floor(mb * 1024 * 1024);
}

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...codeFiles(full));
    else if (/\.(js|ts)$/.test(entry.name)) out.push(full);
  }
  return out;
}

let version: string | undefined;

/** The compiler's identity: a hash of the compiler's code (this folder), the runtime module and binaryen's version. */
export function compilerVersion(): string {
  if (version !== undefined) return version;
  const hash = createHash("sha256");
  const regoDir = dirname(fileURLToPath(import.meta.url));
  for (const file of codeFiles(regoDir)) hash.update(`${relative(regoDir, file)}\0`).update(readFileSync(file));
  try {
    hash.update(loadRuntimeWasm());
  } catch {
    hash.update("runtime not built");
  }
  const binaryenPackage = createRequire(import.meta.url).resolve("binaryen/package.json");
  hash.update((JSON.parse(readFileSync(binaryenPackage, "utf8")) as { version?: string }).version ?? "");
  version = hash.digest("hex");
  return version;
}

export interface DiskCompileStoreOptions {
  dir: string;
  maxBytes: number;
  /** Defaults to `compilerVersion()`. */
  compilerVersion?: string;
  /** Receives a line for each notable event (unwritable folder, corrupt entry). */
  debug?: (line: string) => void;
  /** Whether bytes read back are a module worth loading (default `WebAssembly.validate`). */
  validate?: (module: Uint8Array) => boolean;
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest();
/** `WebAssembly.validate` (the project's TypeScript libraries do not declare the WebAssembly global). */
const validateWasm = (module: Uint8Array): boolean => (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly.validate(module);

/** The store `compile()` uses (setCompiledModuleStore): on disk, or in memory once the folder proved unwritable. */
export class DiskCompileStore implements CompiledModuleStore {
  readonly stats = { hits: 0, misses: 0, writes: 0, corrupt: 0, evicted: 0 };
  private memory: Map<string, Uint8Array> | undefined;
  private readonly modulesDir: string;
  private readonly version: string;

  constructor(private readonly options: DiskCompileStoreOptions) {
    this.modulesDir = join(options.dir, "modules");
    this.version = options.compilerVersion ?? compilerVersion();
  }

  /** True once writes failed and modules are kept in memory. */
  get inMemory(): boolean {
    return this.memory !== undefined;
  }

  private entryKey(key: string): Buffer {
    return sha256(`${this.version}\0${key}`);
  }

  private file(key: string): string {
    return join(this.modulesDir, `${this.entryKey(key).toString("hex")}.fwc`);
  }

  get(key: string): Uint8Array | undefined {
    const remembered = this.memory?.get(key);
    if (remembered !== undefined) return this.hit(remembered);
    const file = this.file(key);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const module = bytes.subarray(HEADER);
    const validate = this.options.validate ?? validateWasm;
    const whole =
      bytes.length > HEADER &&
      bytes.subarray(0, MAGIC.length).equals(MAGIC) &&
      bytes.subarray(MAGIC.length, MAGIC.length + 32).equals(this.entryKey(key)) &&
      sha256(module).equals(bytes.subarray(MAGIC.length + 32, HEADER));
    if (!whole || !validate(module)) {
      this.stats.corrupt++;
      this.stats.misses++;
      this.options.debug?.(`compile cache: ignored a corrupt entry ${file}`);
      try {
        // Removed, so that it is reported once; the module generated for it takes its place.
        unlinkSync(file);
      } catch {
        // A read-only cache: it stays, and is ignored again next time.
      }
      return undefined;
    }
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // A read-only cache still serves its entries.
    }
    return this.hit(new Uint8Array(module));
  }

  private hit(module: Uint8Array): Uint8Array {
    this.stats.hits++;
    return module;
  }

  put(key: string, wasm: Uint8Array): void {
    if (this.memory !== undefined) {
      this.remember(key, wasm);
      return;
    }
    const file = this.file(key);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      mkdirSync(this.modulesDir, { recursive: true });
      writeFileSync(tmp, Buffer.concat([MAGIC, this.entryKey(key), sha256(wasm), wasm]));
      renameSync(tmp, file);
      this.stats.writes++;
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // Never written.
      }
      this.memory = new Map();
      this.options.debug?.(`compile cache: ${this.options.dir} is not writable (${(e as NodeJS.ErrnoException).code ?? String(e)}); keeping compiled modules in memory`);
      this.remember(key, wasm);
      return;
    }
    this.evict();
  }

  private remember(key: string, wasm: Uint8Array): void {
    const memory = this.memory as Map<string, Uint8Array>;
    memory.set(key, wasm);
    let total = 0;
    for (const m of memory.values()) total += m.length;
    for (const [k, m] of memory) {
      if (total <= this.options.maxBytes) break;
      memory.delete(k);
      total -= m.length;
      this.stats.evicted++;
    }
  }

  /** Removes the oldest entries until the folder holds at most maxBytes, and temporary files left by ended processes. */
  private evict(): void {
    const entries: Array<{ file: string; size: number; time: number }> = [];
    let total = 0;
    for (const name of readdirSync(this.modulesDir)) {
      const file = join(this.modulesDir, name);
      try {
        const s = statSync(file);
        // A temporary file an hour old was left by a process that ended while writing it.
        if (name.endsWith(".tmp") && Date.now() - s.mtimeMs > STALE_TMP_MS) unlinkSync(file);
        if (!name.endsWith(".fwc")) continue;
        entries.push({ file, size: s.size, time: s.mtimeMs });
        total += s.size;
      } catch {
        // Removed by another process meanwhile.
      }
    }
    if (total <= this.options.maxBytes) return;
    entries.sort((a, b) => a.time - b.time);
    for (const e of entries) {
      if (total <= this.options.maxBytes) break;
      try {
        unlinkSync(e.file);
        this.stats.evicted++;
      } catch {
        // Another process evicted it first.
      }
      total -= e.size;
    }
  }
}
