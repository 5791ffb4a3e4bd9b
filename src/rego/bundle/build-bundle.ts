/**
 * `buildBundle()`: what `fleetward build` does once the files are read. Rego modules + data files + entrypoints →
 * the policy compiled to one Wasm module (`/policy.wasm`), the data files placed at their directory paths
 * (`/data.json`), the Rego sources (as `opa build -t wasm` keeps them) and a `.manifest` naming every entrypoint.
 * Never throws: compile errors come back as diagnostics (file:line:col), other problems as BundleErrors.
 */
import { compile } from "../compile.js";
import type { Diagnostic } from "../diagnostics.js";
import { groundPrefix } from "../ast/ref-path.js";
import type { RegoVersion } from "../parser/nodes.js";
import { parseModule } from "../parser/parse-module.js";
import { BundleError } from "./bundle-error.js";
import { bundlePath, normalizeEntrypoint, pathSegments } from "./bundle-paths.js";
import type { BundleManifest } from "./bundle-types.js";
import { decodeDataFile } from "./decode-data-file.js";
import { placeBundleData } from "./place-bundle-data.js";
import { writeBundle } from "./write-bundle.js";

export interface BuildBundleRequest {
  /** Rego modules; `file` becomes the bundle path (`policies/a.rego` → `/policies/a.rego`). */
  modules: readonly { file: string; text: string }[];
  /** JSON/YAML data files; `dataPath` is where their value goes under `data` (their directory below the path given). */
  dataFiles: readonly { file: string; dataPath: readonly string[]; text: string }[];
  /** `a/b` or `data.a.b`. */
  entrypoints: readonly string[];
  regoVersion?: RegoVersion;
  revision?: string;
}

export interface BuildBundleResult {
  /** The `.tar.gz` bytes, when there were no errors. */
  bundle?: Uint8Array;
  manifest?: BundleManifest;
  diagnostics: Diagnostic[];
  errors: BundleError[];
}

/** Every rule's full path under `data` (`package a.b` + `c.d if …` → `a/b/c/d`). */
function rulePaths(modules: BuildBundleRequest["modules"], regoVersion: RegoVersion): string[][] {
  const out: string[][] = [];
  for (const m of modules) {
    const parsed = parseModule(m.text, { file: m.file, regoVersion });
    if (!parsed.module) continue;
    const pkg = groundPrefix(parsed.module.package.path);
    for (const rule of parsed.module.rules) out.push([...pkg, ...groundPrefix(rule.head.ref)]);
  }
  return out;
}

/** An entrypoint must name a rule, a package (a prefix of rule paths) or a path inside a rule's value. */
function entrypointExists(entrypoint: string, rules: readonly string[][]): boolean {
  const e = pathSegments(entrypoint);
  return rules.some((r) => {
    const n = Math.min(r.length, e.length);
    for (let i = 0; i < n; i++) if (r[i] !== e[i]) return false;
    return true;
  });
}

export function buildBundle(req: BuildBundleRequest): BuildBundleResult {
  const regoVersion = req.regoVersion ?? "v1";
  const result: BuildBundleResult = { diagnostics: [], errors: [] };
  const entrypoints = req.entrypoints.map(normalizeEntrypoint);
  if (entrypoints.length === 0) result.errors.push(new BundleError("bundle_unknown_entrypoint", "at least one entrypoint (-e) is required for a Wasm bundle"));
  for (const [i, e] of entrypoints.entries()) {
    if (e === "") result.errors.push(new BundleError("bundle_unknown_entrypoint", `entrypoint "${req.entrypoints[i] ?? ""}" must name a package or rule, not all of data`));
  }

  const data: Record<string, unknown> = {};
  for (const f of req.dataFiles) {
    try {
      const value = decodeDataFile(f.file, f.text);
      if (value === null && !/\.json$/i.test(f.file)) continue;
      placeBundleData(data, f.dataPath, value, f.file);
    } catch (e) {
      if (e instanceof BundleError) result.errors.push(e);
      else throw e;
    }
  }
  if (result.errors.length > 0) return result;

  const compiled = compile({ modules: [...req.modules], entrypoints, regoVersion });
  if (compiled.wasm === undefined) {
    result.diagnostics = compiled.diagnostics;
    return result;
  }
  const rules = rulePaths(req.modules, regoVersion);
  for (const [i, e] of entrypoints.entries()) {
    if (!entrypointExists(e, rules)) {
      result.errors.push(new BundleError("bundle_unknown_entrypoint", `entrypoint "${req.entrypoints[i] ?? e}" does not refer to a rule or package of the policies`));
    }
  }
  if (result.errors.length > 0) return result;

  const manifest: BundleManifest = {
    revision: req.revision ?? "",
    roots: [""],
    wasm: entrypoints.map((entrypoint) => ({ entrypoint, module: "/policy.wasm" })),
    rego_version: regoVersion === "v0" ? 0 : 1,
  };
  result.manifest = manifest;
  result.bundle = writeBundle({
    manifest,
    data,
    regoFiles: req.modules.map((m) => ({ path: bundlePath(m.file), text: m.text })),
    wasmModules: [{ path: "/policy.wasm", bytes: compiled.wasm }],
  });
  return result;
}
