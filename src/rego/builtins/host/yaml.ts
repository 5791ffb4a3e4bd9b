/**
 * Host builtins of the yaml family (the `yaml` package, YAML 1.2 core schema, integers exact). The SDK ships
 * its own JS `yaml.*` builtins that shadow host builtins of the same names, so Fleetward's generated code
 * calls these through the value-text convention (see value-text.ts). Errors are OPA's: a parse error is a
 * builtin error `yaml: line N: …` (Go's wording for unclosed flow collections), `yaml.is_valid` of a
 * non-string is false.
 */
import { createRequire } from "node:module";
import { builtinError, sortedUnique, str, type HostBuiltinFamily, type Json } from "./operands.js";
import { RegoSet } from "./rego-set.js";

/** The yaml package, loaded by the first yaml.* call (not for every policy). */
let yamlModule: typeof import("yaml") | undefined;
function yaml(): typeof import("yaml") {
  yamlModule ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yamlModule;
}

function parseYaml(text: string): Json {
  try {
    return yaml().parse(text, { intAsBigInt: true }) as Json;
  } catch (e) {
    if (!(e instanceof yaml().YAMLParseError)) throw e;
    const line = e.linePos?.[0]?.line ?? 1;
    const first = e.message.split("\n")[0] ?? "";
    let message = first.replace(/ at line \d+, column \d+:?$/, "");
    if (/^Flow sequence .*end with a \]$/.test(message)) message = "did not find expected ',' or ']'";
    else if (/^Flow map .*end with a \}$/.test(message)) message = "did not find expected ',' or '}'";
    throw builtinError(`yaml: line ${line}: ${message}`);
  }
}

/** Sets as sorted arrays (YAML has no sets; OPA marshals them as sequences). */
function plain(v: Json): Json {
  if (v instanceof RegoSet) return sortedUnique(v.items).map(plain);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export const yamlBuiltins: HostBuiltinFamily = {
  "yaml.unmarshal": (x) => parseYaml(str("yaml.unmarshal", 0, x)),
  "yaml.is_valid": (x) => {
    if (typeof x !== "string") return false;
    try {
      parseYaml(x);
      return true;
    } catch {
      return false;
    }
  },
  "yaml.marshal": (x) => yaml().stringify(plain(x)),
};
