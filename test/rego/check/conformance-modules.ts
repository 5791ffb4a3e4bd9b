/**
 * Reads the module texts of the OPA conformance cases (`../shared/opa-conformance`: v1 JSON files and
 * v1-supplement YAML files) for the check tests and the benchmark.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";

/** `../shared/opa-conformance` beside the project root (found from this file, also when compiled into dist/). */
function conformanceDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8 && !existsSync(join(dir, "package.json")); i++) dir = dirname(dir);
  return join(dir, "..", "shared", "opa-conformance");
}

export const CONFORMANCE_DIR = conformanceDir();

export interface ConformanceModules {
  /** `file#index: note`. */
  id: string;
  note: string;
  modules: string[];
  wantError?: string;
  wantErrorCode?: string;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(json|ya?ml)$/.test(name)) out.push(p);
  }
}

/** All cases with modules, or undefined when the conformance directory is absent. */
export function readConformanceModules(): ConformanceModules[] | undefined {
  if (!existsSync(CONFORMANCE_DIR)) return undefined;
  const files: string[] = [];
  for (const sub of ["v1", "v1-supplement"]) {
    const d = join(CONFORMANCE_DIR, sub);
    if (existsSync(d)) walk(d, files);
  }
  const out: ConformanceModules[] = [];
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const doc = (f.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as { cases?: unknown[] } | null;
    for (const [i, raw] of (doc?.cases ?? []).entries()) {
      const c = raw as Record<string, unknown>;
      const modules = Array.isArray(c.modules) ? (c.modules as unknown[]).filter((m): m is string => typeof m === "string") : [];
      if (modules.length === 0) continue;
      const note = typeof c.note === "string" ? c.note : "";
      const item: ConformanceModules = { id: `${relative(CONFORMANCE_DIR, f)}#${i}: ${note}`, note, modules };
      if (typeof c.want_error === "string") item.wantError = c.want_error;
      if (typeof c.want_error_code === "string") item.wantErrorCode = c.want_error_code;
      out.push(item);
    }
  }
  return out;
}
