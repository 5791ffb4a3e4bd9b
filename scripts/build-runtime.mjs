#!/usr/bin/env node
// Builds the AssemblyScript Rego runtime (src/rego/runtime/assembly) into
// build/runtime.wasm (and build/runtime.wat with --text).
//
//   node scripts/build-runtime.mjs [--text] [--out <dir>]
//
// Deterministic: same sources and compiler version give the same bytes.
// The module imports only env.memory, env.opa_abort, env.opa_println,
// env.opa_builtin0..4 and the link-time placeholder fleetward_link.eval
// (replaced by src/rego/wasm when a policy is linked).
import { mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import asc from "assemblyscript/asc";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const RUNTIME_ENTRY = "src/rego/runtime/assembly/index.ts";

/** Compiler arguments (paths relative to the repository root). */
export function runtimeCompilerArgs(outDir, text) {
  const rel = path.relative(root, outDir) || ".";
  const args = [
    RUNTIME_ENTRY,
    "--runtime", "stub",
    "--importMemory",
    "--noExportMemory",
    "--initialMemory", "1",
    "--use", "abort=src/rego/runtime/assembly/host/runtimeAbort",
    "--disable", "simd",
    "--optimizeLevel", "3",
    "--shrinkLevel", "1",
    "--noAssert",
    "--outFile", `${rel}/runtime.wasm`,
  ];
  if (text) args.push("--textFile", `${rel}/runtime.wat`);
  return args;
}

/**
 * Compiles the runtime; resolves to the output path, rejects with the compiler's diagnostics.
 * Output is written to a temporary directory and renamed into place, so concurrent builds
 * (e.g. parallel test workers) never expose a partially written file.
 */
export async function buildRuntime({ outDir = path.join(root, "build"), text = false } = {}) {
  await mkdir(outDir, { recursive: true });
  const tmp = await mkdtemp(path.join(outDir, ".runtime-build-"));
  let diagnostics = "";
  const sink = { write: (chunk) => { diagnostics += String(chunk); return true; } };
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const { error } = await asc.main(runtimeCompilerArgs(tmp, text), { stdout: sink, stderr: sink });
    if (error) throw new Error(`runtime build failed: ${error.message}\n${diagnostics}`);
    if (text) await rename(path.join(tmp, "runtime.wat"), path.join(outDir, "runtime.wat"));
    await rename(path.join(tmp, "runtime.wasm"), path.join(outDir, "runtime.wasm"));
  } finally {
    process.chdir(cwd);
    await rm(tmp, { recursive: true, force: true });
  }
  return path.join(outDir, "runtime.wasm");
}

async function main(argv) {
  const text = argv.includes("--text");
  const outIdx = argv.indexOf("--out");
  const outDir = outIdx >= 0 && argv[outIdx + 1] ? path.resolve(argv[outIdx + 1]) : path.join(root, "build");
  const started = performance.now();
  const file = await buildRuntime({ outDir, text });
  const { size } = await stat(file);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`built ${path.relative(process.cwd(), file)} (${size} bytes) in ${ms} ms\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
