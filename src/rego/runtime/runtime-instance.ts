import { JSON_ERROR_MESSAGES, RUNTIME_EVAL_IMPORT, SDK_DEFAULT_PAGES } from "./runtime-abi.js";
import { loadRuntimeWasm } from "./runtime-location.js";
import { wasmApi, type WasmGlobal, type WasmImports, type WasmInstance, type WasmMemory } from "./wasm-api.js";

/** The runtime's exports as seen from JavaScript (addresses are numbers; i64 parameters are bigints). */
export interface RuntimeExports {
  opa_malloc(size: number): number;
  opa_free(ptr: number): void;
  opa_heap_ptr_get(): number;
  opa_heap_ptr_set(ptr: number): void;
  opa_json_parse(ptr: number, len: number): number;
  opa_value_parse(ptr: number, len: number): number;
  opa_json_dump(value: number): number;
  opa_value_dump(value: number): number;
  opa_value_add_path(base: number, path: number, value: number): number;
  opa_value_remove_path(base: number, path: number): number;
  opa_eval_ctx_new(): number;
  opa_eval_ctx_set_input(ctx: number, value: number): void;
  opa_eval_ctx_set_data(ctx: number, value: number): void;
  opa_eval_ctx_set_entrypoint(ctx: number, id: number): void;
  opa_eval_ctx_get_result(ctx: number): number;
  opa_eval(reserved: number, entrypoint: number, data: number, input: number, inputLen: number, heapPtr: number, format: number): number;
  fw_null(): number;
  fw_boolean(b: number): number;
  fw_number_i64(x: bigint): number;
  fw_number_parse(ptr: number, len: number): number;
  fw_number_add(a: number, b: number): number;
  fw_number_sub(a: number, b: number): number;
  fw_number_mul(a: number, b: number): number;
  fw_number_compare(a: number, b: number): number;
  fw_number_is_i64(v: number): number;
  fw_number_get_i64(v: number): bigint;
  fw_string_ref(ptr: number, len: number): number;
  fw_string_copy(ptr: number, len: number): number;
  fw_string_ptr(v: number): number;
  fw_array_new(cap: number): number;
  fw_array_append(a: number, v: number): void;
  fw_array_get(a: number, i: number): number;
  fw_array_sort(a: number): void;
  fw_object_new(): number;
  fw_object_insert(o: number, k: number, v: number): void;
  fw_object_get(o: number, k: number): number;
  fw_object_remove(o: number, k: number): number;
  fw_set_new(): number;
  fw_set_add(s: number, v: number): void;
  fw_set_contains(s: number, v: number): number;
  fw_set_remove(s: number, v: number): number;
  fw_value_type(v: number): number;
  fw_value_length(v: number): number;
  fw_value_get(v: number, k: number): number;
  fw_value_compare(a: number, b: number): number;
  fw_value_equal(a: number, b: number): number;
  fw_value_hash(v: number): number;
  fw_iter_next(v: number, i: number): number;
  fw_iter_key(v: number, i: number): number;
  fw_iter_value(v: number, i: number): number;
  fw_json_error_code(): number;
  fw_json_error_offset(): number;
  fw_eval_ctx_get_input(ctx: number): number;
  fw_eval_ctx_get_data(ctx: number): number;
  fw_eval_ctx_get_entrypoint(ctx: number): number;
  fw_eval_ctx_set_result(ctx: number, v: number): void;
  fw_result_set(v: number): number;
  fw_heap_ptr: WasmGlobal;
}

/** A JSON/value parse failure reported by the runtime. */
export class RuntimeParseError extends Error {
  constructor(
    readonly code: number,
    readonly offset: number,
  ) {
    super(`${JSON_ERROR_MESSAGES[code] ?? `parse error ${code}`} at byte ${offset}`);
    this.name = "RuntimeParseError";
  }
}

/** Raised when the runtime calls env.opa_abort. */
export class RuntimeAbortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuntimeAbortError";
  }
}

export interface RuntimeInstanceOptions {
  /** Module bytes (default: build/runtime.wasm). */
  wasm?: Uint8Array;
  /** Initial memory pages (default 5, like the OPA SDKs). */
  initialPages?: number;
  /** Called for env.opa_println. */
  println?: (line: string) => void;
}

/**
 * Instantiates the bare runtime module (without a linked policy) for direct calls: the harness used by
 * the runtime tests and by tools that need OPA-compatible JSON handling on the Wasm side.
 */
export class RuntimeInstance {
  readonly exports: RuntimeExports;
  readonly memory: WasmMemory;

  private constructor(instance: WasmInstance, memory: WasmMemory) {
    this.exports = instance.exports as unknown as RuntimeExports;
    this.memory = memory;
  }

  static create(options: RuntimeInstanceOptions = {}): RuntimeInstance {
    const memory = new wasmApi.Memory({ initial: options.initialPages ?? SDK_DEFAULT_PAGES });
    const println = options.println ?? (() => undefined);
    let readCString: (addr: number) => string = () => "";
    const fail = (): number => {
      throw new RuntimeAbortError("builtin call without a linked policy");
    };
    const imports: WasmImports = {
      env: {
        memory,
        opa_abort: (addr: number) => {
          throw new RuntimeAbortError(readCString(addr));
        },
        opa_println: (addr: number) => println(readCString(addr)),
        opa_builtin0: fail,
        opa_builtin1: fail,
        opa_builtin2: fail,
        opa_builtin3: fail,
        opa_builtin4: fail,
      },
      [RUNTIME_EVAL_IMPORT.module]: {
        // No policy linked: evaluation produces no result (empty result set).
        [RUNTIME_EVAL_IMPORT.base]: () => 0,
      },
    };
    const module = new wasmApi.Module(options.wasm ?? loadRuntimeWasm());
    const instance = new wasmApi.Instance(module, imports);
    const runtime = new RuntimeInstance(instance, memory);
    readCString = (addr) => runtime.readCString(addr);
    return runtime;
  }

  /** Copies bytes into a fresh opa_malloc block; returns its address. */
  writeBytes(bytes: Uint8Array): number {
    const addr = this.exports.opa_malloc(bytes.byteLength);
    new Uint8Array(this.memory.buffer).set(bytes, addr);
    return addr;
  }

  writeString(text: string): { addr: number; len: number } {
    const bytes = new TextEncoder().encode(text);
    return { addr: this.writeBytes(bytes), len: bytes.byteLength };
  }

  /** Reads a NUL-terminated UTF-8 string. */
  readCString(addr: number): string {
    const mem = new Uint8Array(this.memory.buffer);
    let end = addr;
    while (end < mem.length && mem[end] !== 0) end++;
    return new TextDecoder().decode(mem.subarray(addr, end));
  }

  readBytes(addr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, addr, len).slice();
  }

  /** opa_json_parse; throws RuntimeParseError with the runtime's code and offset on failure. */
  parseJson(text: string | Uint8Array): number {
    return this.parse(text, false);
  }

  /** opa_value_parse (Rego value syntax: JSON plus sets). */
  parseValue(text: string | Uint8Array): number {
    return this.parse(text, true);
  }

  private parse(text: string | Uint8Array, rego: boolean): number {
    const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
    const addr = this.writeBytes(bytes);
    const value = rego ? this.exports.opa_value_parse(addr, bytes.byteLength) : this.exports.opa_json_parse(addr, bytes.byteLength);
    if (value === 0) throw new RuntimeParseError(this.exports.fw_json_error_code(), this.exports.fw_json_error_offset());
    return value;
  }

  /** opa_json_dump as text. */
  dumpJson(value: number): string {
    return this.readCString(this.exports.opa_json_dump(value));
  }

  /** opa_value_dump as text. */
  dumpValue(value: number): string {
    return this.readCString(this.exports.opa_value_dump(value));
  }

  /** A string value (copied into the heap). */
  string(text: string): number {
    const { addr, len } = this.writeString(text);
    return this.exports.fw_string_copy(addr, len);
  }
}
