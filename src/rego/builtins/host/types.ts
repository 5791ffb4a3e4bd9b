/** Host builtins of the types family. */
import { isObject, typeName, type HostBuiltinFamily } from "./operands.js";

export const typeBuiltins: HostBuiltinFamily = {
  is_number: (x) => typeof x === "number",
  is_string: (x) => typeof x === "string",
  is_boolean: (x) => typeof x === "boolean",
  is_array: (x) => Array.isArray(x),
  is_object: (x) => isObject(x),
  is_null: (x) => x === null,
  type_name: (x) => typeName(x),
};
