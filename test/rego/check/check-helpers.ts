import { formatDiagnostic, type Diagnostic } from "../../../src/rego/diagnostics.js";
import { parseModule } from "../../../src/rego/parser/parse-module.js";
import type { Module } from "../../../src/rego/parser/nodes.js";
import { checkModules, type CheckResult } from "../../../src/rego/check/check-modules.js";

/** Parses the sources as `test-0.rego`, `test-1.rego`, … (v1) and checks them together. */
export function check(...sources: string[]): CheckResult {
  const modules: Module[] = sources.map((text, i) => {
    const r = parseModule(text, { file: `test-${i}.rego`, regoVersion: "v1" });
    if (!r.module || r.diagnostics.length > 0) {
      throw new Error(`test source ${i} does not parse: ${r.diagnostics.map(formatDiagnostic).join("; ")}`);
    }
    return r.module;
  });
  return checkModules(modules);
}

/** `code file:line:col message` for compact assertions. */
export function brief(d: Diagnostic): string {
  return `${d.code} ${d.span.file}:${d.span.start.line}:${d.span.start.column} ${d.message}`;
}
