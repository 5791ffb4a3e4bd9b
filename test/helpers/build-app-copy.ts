/**
 * A copy of the built app in a folder of its own, as a production install would have it: the compiled
 * TypeScript (`dist/`, built here with tsconfig.build.json), `build/runtime.wasm`, `policies/`, `data/` (the Kubernetes OpenAPI the renderer reads), `bin/`,
 * `app.yml`, `package.json` and `package-lock.json`. No node_modules: the caller installs or links them.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ensureRuntimeBuilt } from "../rego/runtime/ensure-runtime-built.js";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");

/** What the app reads at run time besides dist/ (paths relative to the repository root). */
export const RUNTIME_FILES = ["build/runtime.wasm", "policies", "data", "bin", "app.yml", "package.json", "package-lock.json"];

export function buildAppCopy(into: string): void {
  ensureRuntimeBuilt();
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  let output = "";
  try {
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", join(into, "dist")], { cwd: REPO_ROOT, stdio: "pipe" });
  } catch (error) {
    // Type errors still emit JavaScript (the type check is its own step of `npm test`); a missing output is fatal.
    output = String((error as { stdout?: Buffer }).stdout ?? error);
  }
  for (const built of ["dist/src/app/server.js", "dist/src/cli/main.js"]) {
    if (!existsSync(join(into, built))) throw new Error(`tsc did not write ${built}:\n${output}`);
  }
  for (const file of RUNTIME_FILES) cpSync(join(REPO_ROOT, file), join(into, file), { recursive: true });
}
