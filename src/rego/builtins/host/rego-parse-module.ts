/**
 * `rego.parse_module(filename, text)`: the module's OPA AST JSON (./opa-ast-json.ts), parsed as Rego v1 as OPA 1.x
 * does. A module that does not parse raises OPA's error text, `<n> error(s) occurred: <file>:<row>:
 * rego_parse_error: <message>`; Fleetward's parser already words its diagnostics as OPA's parser does.
 */
import { parseModule } from "../../parser/parse-module.js";
import { builtinError, str, type HostBuiltinFamily, type Json } from "./operands.js";
import { moduleJson, UnsupportedAstNode } from "./opa-ast-json.js";

const NAME = "rego.parse_module";

function parseModuleJson(filename: Json, text: Json): Json {
  const file = str(NAME, 0, filename);
  const source = str(NAME, 1, text);
  const { module, diagnostics } = parseModule(source, { file });
  if (diagnostics.length > 0 || module === undefined) {
    const lines = diagnostics.map((d) => `${d.span.file}:${d.span.start.line}: ${d.code}: ${d.message}`);
    const head = lines.length === 1 ? "1 error occurred" : `${lines.length} errors occurred`;
    throw builtinError(`${NAME}: ${head}: ${lines.join("\n")}`);
  }
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
