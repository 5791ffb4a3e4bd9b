/**
 * Every builtin implemented in TypeScript on the host (handed to the SDK as `customBuiltins`), one family
 * per file. Builtins the runtime implements natively (`../native-builtins.ts`) need no entry unless the code
 * generator falls back to the host for them (e.g. `plus` on non-integers).
 */
import { arrayBuiltins } from "./arrays.js";
import { bitsBuiltins } from "./bits.js";
import { CRYPTO_FAMILIES } from "./crypto-families.js";
import { encodingBuiltins } from "./encoding.js";
import { globBuiltins } from "./glob.js";
import { graphBuiltins } from "./graph.js";
import { graphqlBuiltins } from "./graphql.js";
import { httpSendBuiltins } from "./http-send.js";
import { netBuiltins } from "./net.js";
import { netLookupBuiltins } from "./net-lookup.js";
import { numberBuiltins } from "./numbers.js";
import { objectBuiltins } from "./objects.js";
import type { HostFn } from "./operands.js";
import { opaRuntimeBuiltins } from "./opa-runtime.js";
import { randomBuiltins } from "./random.js";
import { regexBuiltins } from "./regex.js";
import { regoParseModuleBuiltins } from "./rego-parse-module.js";
import { semverBuiltins } from "./semver.js";
import { stringBuiltins } from "./strings.js";
import { timeBuiltins } from "./time.js";
import { typeBuiltins } from "./types.js";
import { unitBuiltins } from "./units.js";
import { yamlBuiltins } from "./yaml.js";
import { jsonSchemaBuiltins } from "./json-schema.js";
import { jsonResult, valueTextBuiltin, valueTextName, VALUE_TEXT_BUILTINS } from "./value-text.js";

const FAMILIES = [
  arrayBuiltins, bitsBuiltins, encodingBuiltins, globBuiltins, graphBuiltins, netBuiltins, numberBuiltins,
  objectBuiltins, regexBuiltins, semverBuiltins, stringBuiltins, typeBuiltins, unitBuiltins, yamlBuiltins,
  ...CRYPTO_FAMILIES, timeBuiltins, jsonSchemaBuiltins, randomBuiltins, opaRuntimeBuiltins, graphqlBuiltins,
  httpSendBuiltins, netLookupBuiltins, regoParseModuleBuiltins,
];

function buildTable(): ReadonlyMap<string, HostFn> {
  const table = new Map<string, HostFn>();
  for (const family of FAMILIES) {
    for (const [name, fn] of Object.entries(family)) {
      if (table.has(name)) throw new Error(`host builtins: ${name} is defined twice`);
      table.set(name, (...args) => jsonResult(fn(...args)));
      if (VALUE_TEXT_BUILTINS.has(name)) table.set(valueTextName(name), valueTextBuiltin(fn));
    }
  }
  return table;
}

/**
 * Host builtin implementations: by Rego name with the SDK's JSON convention, and for the builtins in
 * `VALUE_TEXT_BUILTINS` also by `valueTextName(name)` with the value-text convention (./value-text.ts).
 */
export const HOST_BUILTINS: ReadonlyMap<string, HostFn> = buildTable();
