/**
 * The module texts of the OPA conformance cases (`test/fixtures/opa-conformance`: v1 JSON files and
 * v1-supplement YAML files) for the check tests and the benchmark, read once at import by the conformance
 * runner's reader (`src/cli/conformance/read-cases.ts`).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readConformanceCases, type ConformanceCase } from "../../../src/cli/conformance/read-cases.js";

/** `test/fixtures/opa-conformance` of the project root (found from this file, also when compiled into dist/). */
function conformanceDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8 && !existsSync(join(dir, "package.json")); i++) dir = dirname(dir);
  return join(dir, "test", "fixtures", "opa-conformance");
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

/** The cases that have modules, with their index in their file; a malformed case file is an error. */
function withModules(cases: ConformanceCase[]): ConformanceModules[] {
  const out: ConformanceModules[] = [];
  const indexInFile = new Map<string, number>();
  for (const c of cases) {
    const i = indexInFile.get(c.file) ?? 0;
    indexInFile.set(c.file, i + 1);
    if (c.modules.length === 0) continue;
    const item: ConformanceModules = { id: `${c.file}#${i}: ${c.note}`, note: c.note, modules: c.modules };
    if (c.want_error !== undefined) item.wantError = c.want_error;
    if (c.want_error_code !== undefined) item.wantErrorCode = c.want_error_code;
    out.push(item);
  }
  return out;
}

async function read(): Promise<ConformanceModules[] | undefined> {
  if (!existsSync(CONFORMANCE_DIR)) return undefined;
  const dirs = ["v1", "v1-supplement"].map((sub) => join(CONFORMANCE_DIR, sub)).filter((d) => existsSync(d));
  const { cases, problems } = await readConformanceCases(dirs);
  if (problems.length > 0) {
    throw new Error(`malformed conformance cases:\n${problems.map((p) => `${p.file}: ${p.message}`).join("\n")}`);
  }
  return withModules(cases);
}

const modules = await read();

/** All cases with modules, or undefined when the conformance directory is absent. */
export function readConformanceModules(): ConformanceModules[] | undefined {
  return modules?.map((c) => ({ ...c, modules: [...c.modules] }));
}
