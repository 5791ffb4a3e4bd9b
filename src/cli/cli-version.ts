/**
 * What `fleetward --version` (and `fleetward <command> --version`) prints: the package's version, the Wasm ABI the
 * compiler emits, the runtime module the compiled policies link (its SHA-256, as it changes with every runtime
 * build), the OPA Wasm SDK that loads them, and Node.js. Reads only small files; loads no compiler.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runtimeWasmPath } from "../rego/runtime/runtime-location.js";

/** The ABI the policy module builder exports (opa_wasm_abi_version 1, opa_wasm_abi_minor_version 2). */
const WASM_ABI = "1.2";

function readPackageJson(path: string): { name?: string; version?: string } | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
}

/** The nearest package.json above this file named "fleetward" (src/ when run from sources, dist/src/ when built). */
function fleetwardRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (readPackageJson(join(dir, "package.json"))?.name === "fleetward") return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function versionText(): string {
  const root = fleetwardRoot();
  const version = root === undefined ? "unknown" : (readPackageJson(join(root, "package.json"))?.version ?? "unknown");
  const sdk = root === undefined ? undefined : readPackageJson(join(root, "node_modules", "@open-policy-agent", "opa-wasm", "package.json"))?.version;
  let runtime = "not built (npm run build:runtime)";
  try {
    const bytes = readFileSync(runtimeWasmPath());
    runtime = `sha256:${createHash("sha256").update(bytes).digest("hex").slice(0, 16)} (${bytes.length} bytes)`;
  } catch {
    // Leaves "not built": --version must answer even without a runtime.
  }
  return (
    `fleetward ${version}\n` +
    `Rego compiler: fleetward ${version}, OPA Wasm ABI ${WASM_ABI}\n` +
    `Rego runtime: ${runtime}\n` +
    `OPA Wasm SDK: @open-policy-agent/opa-wasm ${sdk ?? "not installed"}\n` +
    `Node.js: ${process.version}\n`
  );
}
