/**
 * `fleetward parse <file.rego>… [--v0] [--format json|pretty]`: parses Rego modules and prints the AST
 * (JSON, or the canonical printer's text with `pretty`) or the diagnostics. Exit code 0 when every file
 * parsed cleanly, 1 on any parse error, 2 on a usage error.
 */
import { formatDiagnostic } from "../../rego/diagnostics.js";
import type { Diagnostic } from "../../rego/diagnostics.js";
import { extractAnnotations } from "../../rego/ast/extract-annotations.js";
import { formatModule } from "../../rego/ast/format-module.js";
import { parseModule } from "../../rego/parser/parse-module.js";

export interface ParseCommandIo {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): Promise<string>;
}

const USAGE = "usage: fleetward parse <file.rego>... [--v0] [--format json|pretty]\n";

export async function runParseCommand(args: string[], io: ParseCommandIo): Promise<number> {
  const files: string[] = [];
  let v0 = false;
  let format: "json" | "pretty" = "json";
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === "--v0") v0 = true;
    else if (a === "--format" || a.startsWith("--format=")) {
      const value = a === "--format" ? args[++i] : a.slice("--format=".length);
      if (value !== "json" && value !== "pretty") {
        io.stderr(`fleetward parse: --format must be json or pretty\n${USAGE}`);
        return 2;
      }
      format = value;
    } else if (a === "-h" || a === "--help") {
      io.stdout(USAGE);
      return 0;
    } else if (a.startsWith("-")) {
      io.stderr(`fleetward parse: unknown option ${a}\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.stderr(`fleetward parse: no input files\n${USAGE}`);
    return 2;
  }

  let failed = false;
  const jsonOut: Array<{ file: string; module: unknown }> = [];
  for (const file of files) {
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (e) {
      io.stderr(`${file}: cannot read file: ${e instanceof Error ? e.message : String(e)}\n`);
      failed = true;
      continue;
    }
    const r = parseModule(text, { file, regoVersion: v0 ? "v0" : "v1" });
    const diagnostics: Diagnostic[] = [...r.diagnostics];
    if (r.module && diagnostics.length === 0) diagnostics.push(...extractAnnotations(r.module).diagnostics);
    if (diagnostics.length > 0 || !r.module) {
      failed = true;
      for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      continue;
    }
    if (format === "pretty") io.stdout(formatModule(r.module));
    else jsonOut.push({ file, module: r.module });
  }
  if (format === "json" && jsonOut.length > 0) {
    io.stdout(`${JSON.stringify(jsonOut.length === 1 && files.length === 1 ? jsonOut[0]?.module : jsonOut, null, 2)}\n`);
  }
  return failed ? 1 : 0;
}
