/**
 * Constants describing the compiled Rego runtime (build/runtime.wasm) and the OPA Wasm ABI 1.x
 * surface that policy modules expose. Shared by the runtime harness, the linker and the tests.
 */

/** Imports a policy module may have: anything else fails to link in OPA's SDKs. */
export const ALLOWED_POLICY_IMPORTS: readonly string[] = [
  "env.memory",
  "env.opa_abort",
  "env.opa_println",
  "env.opa_builtin0",
  "env.opa_builtin1",
  "env.opa_builtin2",
  "env.opa_builtin3",
  "env.opa_builtin4",
];

/** Link-time placeholder imported by the runtime; the linker replaces it with the generated dispatcher. */
export const RUNTIME_EVAL_IMPORT = { module: "fleetward_link", base: "eval" } as const;

/** Exports every ABI 1.2 policy module must have (functions and the two version globals). */
export const ABI_EXPORTS: readonly string[] = [
  "opa_wasm_abi_version",
  "opa_wasm_abi_minor_version",
  "eval",
  "builtins",
  "entrypoints",
  "opa_eval_ctx_new",
  "opa_eval_ctx_set_input",
  "opa_eval_ctx_set_data",
  "opa_eval_ctx_set_entrypoint",
  "opa_eval_ctx_get_result",
  "opa_malloc",
  "opa_free",
  "opa_json_parse",
  "opa_value_parse",
  "opa_json_dump",
  "opa_value_dump",
  "opa_value_add_path",
  "opa_value_remove_path",
  "opa_heap_ptr_get",
  "opa_heap_ptr_set",
  "opa_eval",
];

/**
 * Fleetward's own exports, kept in linked policies (no `fw_` prefix) and unknown to OPA's SDKs: the binary value
 * format (src/rego/runtime/README.md, "Binary input format") that `CompiledPolicy.evaluateInput` / `prepareInput`
 * write inputs in. `fleetward_eval(entrypoint, data, input, inputLen, heapPtr)` is `opa_eval` with a binary input
 * and a JSON result; `fleetward_value_decode(ptr, len)` is `opa_json_parse` for the binary format.
 */
export const BINARY_EVAL_EXPORT = "fleetward_eval";
export const BINARY_DECODE_EXPORT = "fleetward_value_decode";
/**
 * `fleetward_eval_batch(entrypoint, data, shared, table, count, state)`: `fleetward_eval` over many documents in one
 * call, shared input members decoded once, results written into one output (src/rego/runtime/README.md, "Batch
 * evaluation"; `evaluateInputs` in compiled-policy.ts).
 */
export const BINARY_BATCH_EXPORT = "fleetward_eval_batch";
/**
 * An exported i32 global: the version of the binary format the module reads. Hosts use the binary exports only when it
 * equals `BINARY_FORMAT_VERSION` (a module linked with an older or newer runtime gets JSON text instead); bump both
 * when the format changes.
 */
export const BINARY_FORMAT_EXPORT = "fleetward_input_format";
export const BINARY_FORMAT_VERSION = 2;

/** Prefix of the runtime's helper exports for generated code (stripped from linked policies). */
export const RUNTIME_HELPER_PREFIX = "fw_";

/** Prefix of the runtime's native builtin exports (`fwb_count`, …), stripped from linked policies too. */
export const NATIVE_BUILTIN_PREFIX = "fwb_";

/** Mutable global exported by the runtime holding the heap pointer (its start moves when data is linked). */
export const HEAP_POINTER_GLOBAL = "fw_heap_ptr";

/** Value type tags (byte 0 of every value). The numeric order is OPA's sort order of types. */
export enum ValueType {
  Null = 1,
  Boolean = 2,
  Number = 3,
  String = 4,
  Array = 5,
  Object = 6,
  Set = 7,
}

/** Error codes of opa_value_add_path / opa_value_remove_path (OPA's C runtime codes). */
export enum PathErrorCode {
  Ok = 0,
  Internal = 1,
  InvalidType = 2,
  InvalidPath = 3,
}

/** Most nested arrays and objects the runtime's JSON parser accepts (`MAX_DEPTH` of assembly/json-parse.ts). */
export const JSON_MAX_DEPTH = 1000;

/** Parse error codes reported by fw_json_error_code after opa_json_parse/opa_value_parse returns 0. */
export const JSON_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  1: "unexpected end of input",
  2: "unexpected character",
  3: "invalid number",
  4: "number exponent out of range",
  5: "invalid escape sequence",
  6: "control character in string",
  7: "invalid UTF-8",
  8: "unexpected data after the value",
  9: `nesting too deep (limit ${JSON_MAX_DEPTH})`,
  10: "expected a string object key",
};

/** OPA's memory page size in bytes. */
export const WASM_PAGE_SIZE = 65536;

/** Initial pages the OPA SDKs give a policy (the module must not ask for more). */
export const SDK_DEFAULT_PAGES = 5;
