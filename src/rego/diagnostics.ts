/**
 * Diagnostics shared by every layer of the Rego compiler. A diagnostic never throws: each failure the
 * compiler finds in user input becomes one of these, with a stable code in OPA's categories and a span.
 */

/** OPA's error categories, used as the stable codes of compile-time diagnostics. */
export type DiagnosticCode =
  | "rego_parse_error"
  | "rego_compile_error"
  | "rego_unsafe_var_error"
  | "rego_recursion_error"
  | "rego_type_error"
  /** compile.ts: the code generator was deferred and is not loaded yet (callers load it and compile again). */
  | "rego_compiler_not_loaded";

/** A point in a source file: byte-independent UTF-16 offset, 1-based line and column. */
export interface SourcePosition {
  offset: number;
  line: number;
  column: number;
}

/** A half-open range [start, end) in one source file. */
export interface SourceSpan {
  file: string;
  start: SourcePosition;
  end: SourcePosition;
}

/** Another place that explains a diagnostic (for example the other rule of a conflict). */
export interface RelatedSpan {
  message: string;
  span: SourceSpan;
}

export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  span: SourceSpan;
  related?: RelatedSpan[];
}

/** `file:line:col: code: message`, the form the CLI prints and users search for. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.span.file}:${d.span.start.line}:${d.span.start.column}`;
  const related = (d.related ?? [])
    .map((r) => `\n\t${r.span.file}:${r.span.start.line}:${r.span.start.column}: ${r.message}`)
    .join("");
  return `${where}: ${d.code}: ${d.message}${related}`;
}
