/**
 * The builtins implemented natively in the AssemblyScript runtime (`src/rego/runtime/assembly/builtins/`).
 *
 * Each entry names the runtime export and its arity. Convention (shared with the code generator):
 * `fwb_<name with "." replaced by "_">` takes its arguments as value addresses (i32) and returns a value
 * address, 0 = undefined. On error the builtin records it with `fw_builtin_error(kind, msgPtr, msgLen)`
 * and returns 0; `fw_builtin_error_kind()` is then 1 (eval_type_error) or 2 (eval_builtin_error) and
 * `fw_builtin_error_message()` the address of a string value holding OPA's message without the
 * `<builtin name>: ` prefix. `fw_builtin_error_clear()` resets the state.
 */

/** One natively implemented builtin: its runtime export and number of arguments. */
export interface NativeBuiltin {
  export: string;
  arity: number;
}

/** Runtime export name for a builtin name: `fwb_` + the name with `.` replaced by `_`. */
export function nativeExportName(builtin: string): string {
  return `fwb_${builtin.replaceAll(".", "_")}`;
}

/** Error kinds reported by `fw_builtin_error_kind()`. */
export const NATIVE_ERROR_KIND = { none: 0, typeError: 1, builtinError: 2 } as const;

/** OPA error codes for the error kinds. */
export const NATIVE_ERROR_CODES: Readonly<Record<number, string>> = {
  1: "eval_type_error",
  2: "eval_builtin_error",
};

const ARITIES: ReadonlyArray<readonly [number, readonly string[]]> = [
  [
    1,
    [
      "abs", "round", "ceil", "floor", "count", "sum", "product", "max", "min", "sort", "is_number", "is_string",
      "is_boolean", "is_array", "is_set", "is_object", "is_null", "type_name", "lower", "upper", "trim_space",
      "strings.reverse", "to_number", "array.reverse", "object.keys", "object.union_n", "union", "intersection",
      "json.marshal", "json.unmarshal", "json.is_valid", "base64.encode", "base64.decode", "base64.is_valid",
      "base64url.encode", "base64url.encode_no_pad", "base64url.decode", "hex.encode", "hex.decode", "urlquery.encode",
      "urlquery.decode", "walk",
    ],
  ],
  [
    2,
    [
      "div", "rem", "minus", "and", "or", "numbers.range", "concat", "contains", "startswith", "endswith", "split",
      "strings.replace_n", "trim", "trim_left", "trim_right", "trim_prefix", "trim_suffix", "indexof", "indexof_n",
      "strings.count", "strings.any_prefix_match", "strings.any_suffix_match", "format_int", "array.concat",
      "object.remove", "object.filter", "object.union", "object.subset", "sprintf",
    ],
  ],
  [3, ["numbers.range_step", "replace", "substring", "array.slice", "object.get"]],
];

function buildTable(): ReadonlyMap<string, NativeBuiltin> {
  const table = new Map<string, NativeBuiltin>();
  for (const [arity, names] of ARITIES) {
    for (const name of names) table.set(name, Object.freeze({ export: nativeExportName(name), arity }));
  }
  return table;
}

/** Every natively implemented builtin, keyed by its full Rego name. */
export const NATIVE_BUILTINS: ReadonlyMap<string, NativeBuiltin> = buildTable();
