import type { Diagnostic } from "../diagnostics.js";
import type { Module, RegoVersion } from "./nodes.js";
import { Parser } from "./parser.js";

export interface ParseModuleOptions {
  /** File name used in spans and diagnostics. */
  file: string;
  /** Syntax to parse with; `v1` is OPA 1.x's default. */
  regoVersion?: RegoVersion;
}

export interface ParseModuleResult {
  /** The module; present whenever a package declaration parsed, even if there were other errors. */
  module?: Module;
  diagnostics: Diagnostic[];
}

/**
 * Parses one Rego module. Never throws: every problem becomes a `rego_parse_error` diagnostic. Callers must
 * treat the module as unusable when `diagnostics` is non-empty (it may be partial).
 */
export function parseModule(text: string, opts: ParseModuleOptions): ParseModuleResult {
  const file = opts.file;
  try {
    return new Parser(text, { file, regoVersion: opts.regoVersion ?? "v1" }).parseModuleText();
  } catch (e) {
    return { diagnostics: [internalDiagnostic(file, e)] };
  }
}

export function internalDiagnostic(file: string, e: unknown): Diagnostic {
  const message = e instanceof RangeError ? "max parsing recursion depth exceeded" : `internal parser error: ${String(e)}`;
  const at = { offset: 0, line: 1, column: 1 };
  return { code: "rego_parse_error", message, span: { file, start: at, end: at } };
}
