import { NATIVE_BUILTINS, NATIVE_ERROR_CODES } from "../../../src/rego/builtins/native-builtins.js";
import { RuntimeInstance } from "../../../src/rego/runtime/runtime-instance.js";
import { ensureRuntimeBuilt } from "../runtime/ensure-runtime-built.js";

export type NativeResult =
  | { ok: true; value: string | undefined }
  | { ok: false; code: string; message: string };

type Fn = (...args: number[]) => number;

/** Calls native builtins of a fresh runtime instance with arguments in Rego value syntax. */
export class NativeHarness {
  readonly rt: RuntimeInstance;
  private readonly fns: Record<string, Fn>;

  constructor() {
    ensureRuntimeBuilt();
    this.rt = RuntimeInstance.create();
    this.fns = this.rt.exports as unknown as Record<string, Fn>;
  }

  fn(name: string): Fn {
    const f = this.fns[name];
    if (typeof f !== "function") throw new Error(`runtime export ${name} missing`);
    return f;
  }

  /** Calls builtin `name` (e.g. `strings.replace_n`); arguments are Rego value texts. */
  call(name: string, ...args: string[]): NativeResult {
    const entry = NATIVE_BUILTINS.get(name);
    if (!entry) throw new Error(`${name} is not native`);
    if (entry.arity !== args.length) throw new Error(`${name} takes ${entry.arity} arguments`);
    const mark = this.rt.exports.opa_heap_ptr_get();
    try {
      const addrs = args.map((a) => this.rt.parseValue(a));
      this.fn("fw_builtin_error_clear")();
      const r = this.fn(entry.export)(...addrs);
      const kind = this.fn("fw_builtin_error_kind")();
      if (kind !== 0) {
        if (r !== 0) throw new Error(`${name}: error reported but a value returned`);
        const msg = this.fn("fw_builtin_error_message")();
        return { ok: false, code: NATIVE_ERROR_CODES[kind] ?? `kind ${kind}`, message: this.stringOf(msg) };
      }
      return { ok: true, value: r === 0 ? undefined : this.rt.dumpValue(r) };
    } finally {
      this.rt.exports.opa_heap_ptr_set(mark);
    }
  }

  /** The value text of a successful call (throws on error or undefined). */
  value(name: string, ...args: string[]): string {
    const r = this.call(name, ...args);
    if (!r.ok) throw new Error(`${name}(${args.join(", ")}) failed: ${r.code}: ${r.message}`);
    if (r.value === undefined) throw new Error(`${name}(${args.join(", ")}) is undefined`);
    return r.value;
  }

  /** Bytes of a string value as text. */
  stringOf(addr: number): string {
    const len = this.rt.exports.fw_value_length(addr);
    const ptr = this.rt.exports.fw_string_ptr(addr);
    return new TextDecoder().decode(this.rt.readBytes(ptr, len));
  }
}

/** Rego value text of a string (JSON quoting). */
export function str(s: string): string {
  return JSON.stringify(s);
}
