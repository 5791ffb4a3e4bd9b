import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Raised when build/runtime.wasm has not been built yet. */
export class RuntimeNotBuiltError extends Error {
  constructor(readonly wasmPath: string) {
    super(`Rego runtime not built: ${wasmPath} is missing. Run: node scripts/build-runtime.mjs`);
    this.name = "RuntimeNotBuiltError";
  }
}

/** The repository root: the nearest ancestor of this file with a package.json named "fleetward". */
function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      const parsed: unknown = JSON.parse(readFileSync(pkg, "utf8"));
      if (typeof parsed === "object" && parsed !== null && (parsed as { name?: unknown }).name === "fleetward") return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot locate the fleetward repository root");
    dir = parent;
  }
}

/** Absolute path of the built runtime module (build/runtime.wasm); override with FLEETWARD_RUNTIME_WASM. */
export function runtimeWasmPath(): string {
  const override = process.env.FLEETWARD_RUNTIME_WASM;
  if (override) return path.resolve(override);
  return path.join(repositoryRoot(), "build", "runtime.wasm");
}

/** Reads the built runtime module; throws RuntimeNotBuiltError if it is missing. */
export function loadRuntimeWasm(): Uint8Array {
  const file = runtimeWasmPath();
  if (!existsSync(file)) throw new RuntimeNotBuiltError(file);
  return new Uint8Array(readFileSync(file));
}
