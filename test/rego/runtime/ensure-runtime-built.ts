import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { runtimeWasmPath } from "../../../src/rego/runtime/runtime-location.js";

/**
 * Builds build/runtime.wasm when it is missing or older than the AssemblyScript sources, so the
 * runtime tests never run against a stale module. (`node scripts/build-runtime.mjs` does the same.)
 */
export function ensureRuntimeBuilt(): void {
  const wasm = runtimeWasmPath();
  const root = path.resolve(path.dirname(wasm), "..");
  const sources = path.join(root, "src", "rego", "runtime", "assembly");
  const newestSource = Math.max(...readdirSync(sources).map((f) => statSync(path.join(sources, f)).mtimeMs));
  if (existsSync(wasm) && statSync(wasm).mtimeMs >= newestSource) return;
  execFileSync(process.execPath, [path.join(root, "scripts", "build-runtime.mjs")], { cwd: root, stdio: "pipe" });
}
