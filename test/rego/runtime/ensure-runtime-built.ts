import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { runtimeWasmPath } from "../../../src/rego/runtime/runtime-location.js";

/** Newest modification time of any file under dir (recursively). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds build/runtime.wasm when it is missing or older than any AssemblyScript source (builtins/ included),
 * so the runtime tests never run against a stale module. (`node scripts/build-runtime.mjs` does the same.)
 */
export function ensureRuntimeBuilt(): void {
  const wasm = runtimeWasmPath();
  const root = path.resolve(path.dirname(wasm), "..");
  const sources = path.join(root, "src", "rego", "runtime", "assembly");
  if (existsSync(wasm) && statSync(wasm).mtimeMs >= newestMtime(sources)) return;
  execFileSync(process.execPath, [path.join(root, "scripts", "build-runtime.mjs")], { cwd: root, stdio: "pipe" });
}
