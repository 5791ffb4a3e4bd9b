/**
 * `rego.parse_module(filename, text)`: the module's OPA AST JSON (./opa-ast-json.ts), parsed as Rego v1 as OPA 1.x
 * does. A module that does not parse raises OPA's error text, `1 error occurred: <file>:<row>: rego_parse_error:
 * <message>` with the source line and a caret (`<n> errors occurred:` and one a line for several); Fleetward's
 * parser already words its diagnostics as OPA's parser does (e.g. `unexpected eof token: expected ident`).
 */
import type { Diagnostic } from "../../diagnostics.js";
import { parseModule } from "../../parser/parse-module.js";
import { builtinError, str, type HostBuiltinFamily, type Json } from "./operands.js";
import { moduleJson, UnsupportedAstNode } from "./opa-ast-json.js";

const NAME = "rego.parse_module";

/** One error as OPA prints it: `file:row: code: message`, then the source line and a caret under the column. */
function opaError(lines: readonly string[], d: Diagnostic): string {
  const source = lines[d.span.start.line - 1] ?? "";
  const text = source.replace(/^\t+/, "");
  const caret = " ".repeat(Math.max(0, d.span.start.column - 1 - (source.length - text.length)));
  return `${d.span.file}:${d.span.start.line}: ${d.code}: ${d.message}\n\t${text}\n\t${caret}^`;
}

/** OPA's `ast.Errors` text: `1 error occurred: <error>`, or `<n> errors occurred:` and one error a line. */
function opaErrors(source: string, diagnostics: readonly Diagnostic[]): string {
  const lines = source.split(/\r?\n/);
  const errors = diagnostics.map((d) => opaError(lines, d));
  return errors.length === 1 ? `1 error occurred: ${errors[0] ?? ""}` : `${errors.length} errors occurred:\n${errors.join("\n")}`;
}

function parseModuleJson(filename: Json, text: Json): Json {
  const file = str(NAME, 0, filename);
  const source = str(NAME, 1, text);
  const { module, diagnostics } = parseModule(source, { file });
  if (diagnostics.length > 0 || module === undefined) throw builtinError(`${NAME}: ${opaErrors(source, diagnostics)}`);
  try {
    return moduleJson(module);
  } catch (e) {
    if (e instanceof UnsupportedAstNode) throw builtinError(`${NAME}: ${e.message}`);
    throw e;
  }
}

export const regoParseModuleBuiltins: HostBuiltinFamily = {
  [NAME]: parseModuleJson,
};
