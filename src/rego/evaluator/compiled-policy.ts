/**
 * Loading and evaluating compiled policies through the official SDK (`@open-policy-agent/opa-wasm`):
 * host builtins are passed as `customBuiltins`, aborts and builtin failures become `PolicyEvalError`s
 * with OPA's error codes. `evaluateText` works on JSON / Rego value text directly in the module's memory so
 * that numbers stay exact and sets survive (the SDK's own `evaluate` goes through JS numbers).
 */
import { createRequire } from "node:module";
import type * as OpaWasm from "@open-policy-agent/opa-wasm";
import { HostBuiltinError, hostBuiltins } from "./host-builtins.js";

const opa = createRequire(import.meta.url)("@open-policy-agent/opa-wasm") as typeof OpaWasm;

export type EvalErrorCode = "eval_type_error" | "eval_builtin_error" | "eval_conflict_error" | "eval_internal_error";

export class PolicyEvalError extends Error {
  constructor(readonly code: EvalErrorCode, message: string) {
    super(message);
    this.name = "PolicyEvalError";
  }
}

export interface LoadOptions {
  strictBuiltinErrors?: boolean;
  /** Extra host builtins (name → implementation on JSON values). */
  builtins?: Record<string, (...args: unknown[]) => unknown>;
}

/** The SDK's loaded policy as it is at run time (fields the typings do not list). */
interface PolicyInternals {
  wasmInstance: { exports: Record<string, (...args: number[]) => number> };
  mem: { buffer: ArrayBuffer; grow(pages: number): number };
  dataAddr: number;
  dataHeapPtr: number;
  baseHeapPtr: number;
  entrypoints: Record<string, number>;
}

/** Maps anything the SDK or a builtin threw to a PolicyEvalError. */
export function toEvalError(e: unknown): PolicyEvalError {
  if (e instanceof PolicyEvalError) return e;
  if (e instanceof HostBuiltinError) return new PolicyEvalError(e.code, e.message);
  const message = typeof e === "string" ? e : e instanceof Error ? e.message : typeof e === "object" && e !== null && "message" in e ? String((e as { message: unknown }).message) : String(e);
  for (const code of ["eval_type_error", "eval_builtin_error", "eval_conflict_error"] as const) {
    // The message may start with the location of the failing call (`file:line: code: …`).
    if (message.startsWith(code) || message.replace(/^[^\n]*?:\d+: /, "").startsWith(code)) return new PolicyEvalError(code, message);
  }
  if (message.startsWith("not implemented: built-in function")) return new PolicyEvalError("eval_builtin_error", message);
  return new PolicyEvalError("eval_internal_error", message);
}

const WASM_PAGE = 64 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Evaluates one entrypoint on an input already in the module's memory: the result set, as `evaluate` returns it. */
export type PreparedInputEvaluator = (entrypoint: string) => Array<{ result: unknown }>;

/** The exports `prepareJsonInput` calls, looked up once by their OPA Wasm ABI names (see `contextApi`). */
interface EvalContextApi {
  heapPtrSet(ptr: number): number;
  heapPtrGet(): number;
  jsonParse(addr: number, len: number): number;
  ctxNew(): number;
  ctxSetInput(ctx: number, input: number): number;
  ctxSetData(ctx: number, data: number): number;
  ctxSetEntrypoint(ctx: number, id: number): number;
  eval(ctx: number): number;
  ctxGetResult(ctx: number): number;
  jsonDump(value: number): number;
}

/** Encodes JSON text into the module's memory right after the data (growing it as needed); returns the byte length. */
function writeInputText(p: PolicyInternals, inputJson: string | undefined): number {
  if (inputJson === undefined) return 0;
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  const need = p.dataHeapPtr + inputJson.length * 3 - p.mem.buffer.byteLength;
  if (need > 0) p.mem.grow(Math.ceil(need / WASM_PAGE));
  return encoder.encodeInto(inputJson, new Uint8Array(p.mem.buffer, p.dataHeapPtr)).written;
}

/** The NUL-terminated text at `text` in the module's memory. */
function readText(p: PolicyInternals, text: number): string {
  const mem = new Uint8Array(p.mem.buffer);
  const end = mem.indexOf(0, text);
  return decoder.decode(mem.subarray(text, end < 0 ? mem.length : end));
}

/** The result set dumped as NUL-terminated JSON text at `text`, as JS values. */
function readResultSet(p: PolicyInternals, text: number): Array<{ result: unknown }> {
  return JSON.parse(readText(p, text)) as Array<{ result: unknown }>;
}

/** Evaluates entrypoint `id` on a parsed input through a new eval context; returns the address of the dumped result set. */
function evalOnContext(api: EvalContextApi, p: PolicyInternals, inputAddr: number, id: number): number {
  const ctx = api.ctxNew();
  api.ctxSetInput(ctx, inputAddr);
  api.ctxSetData(ctx, p.dataAddr);
  api.ctxSetEntrypoint(ctx, id);
  api.eval(ctx);
  return api.jsonDump(api.ctxGetResult(ctx));
}

export class CompiledPolicy {
  /** Bumped by every call that reuses the module's heap above the data; inputs parsed before it are parsed again. */
  private epoch = 0;
  private api: EvalContextApi | undefined;

  private constructor(private readonly policy: OpaWasm.LoadedPolicy) {}

  /** Loads through the SDK's `loadPolicy`. */
  static async load(wasm: Uint8Array, opts: LoadOptions = {}): Promise<CompiledPolicy> {
    const builtins = { ...hostBuiltins(opts.strictBuiltinErrors ?? false), ...(opts.builtins ?? {}) };
    const buf = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
    return new CompiledPolicy(await opa.loadPolicy(buf, undefined, builtins as never));
  }

  /** Loads through the SDK's `loadPolicySync`. */
  static loadSync(wasm: Uint8Array, opts: LoadOptions = {}): CompiledPolicy {
    const builtins = { ...hostBuiltins(opts.strictBuiltinErrors ?? false), ...(opts.builtins ?? {}) };
    const buf = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
    return new CompiledPolicy(opa.loadPolicySync(buf, undefined, builtins as never));
  }

  get entrypoints(): Record<string, number> {
    return (this.policy as unknown as PolicyInternals).entrypoints;
  }

  /** Sets the base document from a JS value or JSON text. */
  setData(data: unknown): void {
    this.epoch++;
    try {
      if (typeof data === "string") this.policy.setData(encoder.encode(data).buffer as ArrayBuffer);
      else this.policy.setData(data as object);
    } catch (e) {
      throw toEvalError(e);
    }
  }

  /** SDK evaluation (`evaluate`): the result set as JS values. */
  evaluate(entrypoint: string, input?: unknown): Array<{ result: unknown }> {
    this.epoch++;
    try {
      return this.policy.evaluate(input, entrypoint) as Array<{ result: unknown }>;
    } catch (e) {
      throw toEvalError(e);
    }
  }

  /**
   * Evaluates an entrypoint for input given as JSON text, on the SDK-loaded instance but without the SDK's
   * per-call work: the text is encoded straight into the module's memory after the data and evaluated with one
   * `opa_eval` call (ABI 1.2); the result set comes back as JS values, exactly as `evaluate` returns it. Callers
   * that evaluate many inputs use this with their own (e.g. pruned) serialisation; `undefined` means no input.
   */
  evaluateJson(entrypoint: string, inputJson: string | undefined): Array<{ result: unknown }> {
    const p = this.policy as unknown as PolicyInternals;
    const id = p.entrypoints[entrypoint];
    if (id === undefined) throw new PolicyEvalError("eval_internal_error", `unknown entrypoint ${entrypoint}`);
    const opaEval = p.wasmInstance.exports.opa_eval;
    if (opaEval === undefined) throw new PolicyEvalError("eval_internal_error", "module lacks export opa_eval");
    this.epoch++;
    try {
      const addr = p.dataHeapPtr;
      const len = writeInputText(p, inputJson);
      return readResultSet(p, opaEval(0, id, p.dataAddr, addr, len, addr + len, 0));
    } catch (e) {
      throw toEvalError(e);
    }
  }

  /**
   * For evaluating several entrypoints on one input: the JSON text is encoded into the module's memory and parsed
   * there once (on the first call), and each call evaluates one entrypoint on the parsed value through the eval
   * context (`opa_eval_ctx_*`, `eval`, `opa_json_dump`), which is what one `opa_eval` call does after its parse. The
   * results are `evaluateJson`'s. Any other evaluation or `setData` on this policy reuses that memory: the returned
   * function then parses the text again. `undefined` means no input.
   */
  prepareJsonInput(inputJson: string | undefined): PreparedInputEvaluator {
    const p = this.policy as unknown as PolicyInternals;
    const api = this.contextApi();
    let epoch = -1;
    let inputAddr = 0;
    let heapAfterInput = 0;
    const parse = (): void => {
      this.epoch++;
      epoch = this.epoch;
      const addr = p.dataHeapPtr;
      const len = writeInputText(p, inputJson);
      api.heapPtrSet(addr + len);
      inputAddr = 0;
      // As opa_eval: empty text is no input.
      if (len > 0) {
        inputAddr = api.jsonParse(addr, len);
        // opa_eval's own message for it.
        if (inputAddr === 0) throw new PolicyEvalError("eval_internal_error", "opa_eval: failed to parse input");
      }
      heapAfterInput = api.heapPtrGet();
    };
    return (entrypoint) => {
      const id = p.entrypoints[entrypoint];
      if (id === undefined) throw new PolicyEvalError("eval_internal_error", `unknown entrypoint ${entrypoint}`);
      try {
        if (epoch !== this.epoch) parse();
        api.heapPtrSet(heapAfterInput);
        return readResultSet(p, evalOnContext(api, p, inputAddr, id));
      } catch (e) {
        // A failed evaluation may leave anything above the input: parse again next time.
        epoch = -1;
        throw toEvalError(e);
      }
    };
  }

  /** The eval-context exports, looked up once (a missing one throws when first needed). */
  private contextApi(): EvalContextApi {
    if (this.api === undefined) {
      const fn = (name: string): ((...args: number[]) => number) => this.exported(name);
      this.api = {
        heapPtrSet: fn("opa_heap_ptr_set"),
        heapPtrGet: fn("opa_heap_ptr_get"),
        jsonParse: fn("opa_json_parse"),
        ctxNew: fn("opa_eval_ctx_new"),
        ctxSetInput: fn("opa_eval_ctx_set_input"),
        ctxSetData: fn("opa_eval_ctx_set_data"),
        ctxSetEntrypoint: fn("opa_eval_ctx_set_entrypoint"),
        eval: fn("eval"),
        ctxGetResult: fn("opa_eval_ctx_get_result"),
        jsonDump: fn("opa_json_dump"),
      };
    }
    return this.api;
  }

  /** The module's export `name`, or a PolicyEvalError naming it. */
  private exported(name: string): (...args: number[]) => number {
    const f = (this.policy as unknown as PolicyInternals).wasmInstance.exports[name];
    if (!f) throw new PolicyEvalError("eval_internal_error", `module lacks export ${name}`);
    return f;
  }

  /**
   * Evaluates on the eval-context path with input given as text (`format` json or Rego value text, which
   * may contain sets) and returns the result set as JSON text (numbers exact), or throws PolicyEvalError.
   */
  evaluateText(entrypoint: string, input: string | undefined, format: "json" | "value" = "json"): string {
    const p = this.policy as unknown as PolicyInternals;
    const id = p.entrypoints[entrypoint];
    if (id === undefined) throw new PolicyEvalError("eval_internal_error", `unknown entrypoint ${entrypoint}`);
    this.epoch++;
    try {
      const api = this.contextApi();
      api.heapPtrSet(p.dataHeapPtr);
      let inputAddr = 0;
      if (input !== undefined) {
        const bytes = encoder.encode(input);
        const addr = this.exported("opa_malloc")(bytes.length);
        new Uint8Array(p.mem.buffer).set(bytes, addr);
        inputAddr = format === "json" ? api.jsonParse(addr, bytes.length) : this.exported("opa_value_parse")(addr, bytes.length);
        if (inputAddr === 0) throw new PolicyEvalError("eval_internal_error", "failed to parse input");
      }
      return readText(p, evalOnContext(api, p, inputAddr, id));
    } catch (e) {
      throw toEvalError(e);
    }
  }
}
