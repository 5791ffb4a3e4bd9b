import type { Diagnostic } from "../diagnostics.js";
import type { Query, RegoVersion } from "./nodes.js";
import { internalDiagnostic } from "./parse-module.js";
import { Parser } from "./parser.js";

export interface ParseQueryOptions {
  /** Name used in spans (e.g. `query`). */
  file?: string;
  /** Keywords to recognise; `v1` (default) knows `if contains in every`. */
  regoVersion?: RegoVersion;
}

export interface ParseQueryResult {
  query?: Query;
  diagnostics: Diagnostic[];
}

/**
 * Parses an `opa eval` style query: one or more expressions separated by `;` or newlines, e.g.
 * `data.x.p = y`, `data.p.f(1)`, `1 / 0`, `x = $"{1}"`. Never throws.
 */
export function parseQuery(text: string, opts: ParseQueryOptions = {}): ParseQueryResult {
  const file = opts.file ?? "query";
  try {
    return new Parser(text, { file, regoVersion: opts.regoVersion ?? "v1" }).parseQueryText();
  } catch (e) {
    return { diagnostics: [internalDiagnostic(file, e)] };
  }
}
