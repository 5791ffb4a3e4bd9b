/**
 * Loading and evaluating compiled policies through the official SDK (`@open-policy-agent/opa-wasm`):
 * host builtins are passed as `customBuiltins`, aborts and builtin failures become `PolicyEvalError`s
 * with OPA's error codes. `evaluateText` works on JSON / Rego value text directly in the module's memory so
 * that numbers stay exact and sets survive (the SDK's own `evaluate` goes through JS numbers).
 */
import { createRequire } from "node:module";
import type * as OpaWasm from "@open-policy-agent/opa-wasm";
import type { InputAccess } from "../planner/input-access.js";
import { HostBuiltinError, hostBuiltins } from "./host-builtins.js";
import { beginQuery } from "../builtins/host/query-scope.js";
import { InputEncoder, WHOLE_VALUE } from "./input-encoder.js";
import { BINARY_BATCH_EXPORT, BINARY_DECODE_EXPORT, BINARY_EVAL_EXPORT, BINARY_FORMAT_EXPORT, BINARY_FORMAT_VERSION } from "../runtime/runtime-abi.js";
import { ownPart, parseBatchOutput, sharedPart, type BatchOutcome } from "./batch-input.js";
import { inBatch, perDocumentQueries } from "./batch-query-scope.js";
import { serializeInput } from "./serialize-input.js";
import { noteWasmFailure, wasmMemoryDescriptor } from "./wasm-memory-limit.js";

const opa = createRequire(import.meta.url)("@open-policy-agent/opa-wasm") as typeof OpaWasm;

export type EvalErrorCode = "eval_type_error" | "eval_builtin_error" | "eval_conflict_error" | "eval_internal_error";

export type { BatchOutcome };

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
  noteWasmFailure(message);
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

/** The module's memory as bytes, made again when the memory has grown (which detaches the old view). */
function memoryBytes(p: PolicyInternals, cached: Uint8Array | undefined): Uint8Array {
  return cached !== undefined && cached.byteLength !== 0 ? cached : new Uint8Array(p.mem.buffer);
}

/** Grows the module's memory so that it has at least `minLength` bytes; the new view of it. */
function growMemory(p: PolicyInternals, minLength: number): Uint8Array {
  const need = minLength - p.mem.buffer.byteLength;
  if (need > 0) p.mem.grow(Math.ceil(need / WASM_PAGE));
  return new Uint8Array(p.mem.buffer);
}

/** Encodes JSON text into `mem` at `addr` (growing the memory as needed); returns the byte length and the view. */
function writeInputText(p: PolicyInternals, mem: Uint8Array, addr: number, inputJson: string): { len: number; mem: Uint8Array } {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  const need = addr + inputJson.length * 3;
  if (need > mem.length) mem = growMemory(p, need);
  return { len: encoder.encodeInto(inputJson, mem.subarray(addr)).written, mem };
}

/**
 * `[]` and `[{"result":[]}]`: the result sets of no value and of an empty array (e.g. no violations), recognised by
 * their bytes (0.2 ms per 10k instead of 3.7 ms for TextDecoder and JSON.parse).
 */
const NO_RESULT = [0x5b, 0x5d];
const EMPTY_ARRAY_RESULT = [...'[{"result":[]}]'].map((c) => c.charCodeAt(0));

function bytesAre(mem: Uint8Array, at: number, expected: readonly number[]): boolean {
  for (let i = 0; i < expected.length; i++) if (mem[at + i] !== expected[i]) return false;
  return true;
}

/**
 * The text from `text` to `end` (default: the NUL-terminated text) in the module's memory. (A JS loop building
 * short ASCII texts measured slower.)
 */
function readText(mem: Uint8Array, text: number, end = mem.indexOf(0, text)): string {
  return decoder.decode(mem.subarray(text, end < 0 ? mem.length : end));
}

/** The result set dumped as NUL-terminated JSON text at `text`, as JS values (always new objects). */
function readResultSet(mem: Uint8Array, text: number): Array<{ result: unknown }> {
  if (mem[text + NO_RESULT.length] === 0 && bytesAre(mem, text, NO_RESULT)) return [];
  if (mem[text + EMPTY_ARRAY_RESULT.length] === 0 && bytesAre(mem, text, EMPTY_ARRAY_RESULT)) return [{ result: [] }];
  return JSON.parse(readText(mem, text)) as Array<{ result: unknown }>;
}

/** The exports that read the binary input format (see input-encoder.ts), when the module has them. */
interface BinaryInputApi {
  eval(entrypoint: number, data: number, input: number, inputLen: number, heapPtr: number): number;
  decode(addr: number, len: number): number;
  /** `fleetward_eval_batch`, when the runtime has it. */
  batch: ((entrypoint: number, data: number, shared: number, table: number, count: number, state: number) => void) | undefined;
}

/** Input bytes one batch call takes at most (more documents are split into several calls): bounds its memory. */
const BATCH_INPUT_BYTES = 1 << 20;

/** One JS-side buffer for encoding prepared inputs (copied into the module when they are decoded). */
let scratch: InputEncoder | undefined;
let scratchBusy = false;

function newScratchEncoder(): InputEncoder {
  return new InputEncoder(new Uint8Array(4096), (buffer, min) => {
    const grown = new Uint8Array(Math.max(min, buffer.length * 2));
    grown.set(buffer);
    return grown;
  });
}

/** The binary encoding of `input` pruned by `access`, in a new array. */
function encodeToScratch(input: unknown, access: InputAccess): Uint8Array {
  // A toJSON or getter preparing another input meanwhile gets an encoder of its own.
  const encoder = scratchBusy ? newScratchEncoder() : (scratch ??= newScratchEncoder());
  const outer = !scratchBusy;
  scratchBusy = true;
  try {
    const end = encoder.encode(input, access, 0);
    // (After encoding: the encoder may have replaced its buffer by a bigger one.)
    return encoder.buffer.slice(0, end);
  } finally {
    if (outer) scratchBusy = false;
  }
}

/** Evaluates entrypoint `id` on a parsed input through a new eval context; returns the address of the dumped result set. */
function evalOnContext(api: EvalContextApi, p: PolicyInternals, inputAddr: number, id: number): number {
  beginQuery();
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
  /** The binary input exports, `null` when the module lacks them (e.g. built by OPA); looked up once. */
  private binaryApi: BinaryInputApi | null | undefined;
  private opaEval: ((...args: number[]) => number) | undefined;
  /** The module's memory as bytes (see `memoryBytes`). */
  private mem: Uint8Array | undefined;
  private inputEncoder: InputEncoder | undefined;

  private constructor(private readonly policy: OpaWasm.LoadedPolicy) {}

  /** Loads through the SDK's `loadPolicy`. */
  static async load(wasm: Uint8Array, opts: LoadOptions = {}): Promise<CompiledPolicy> {
    const builtins = perDocumentQueries({ ...hostBuiltins(opts.strictBuiltinErrors ?? false), ...(opts.builtins ?? {}) });
    const buf = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
    return new CompiledPolicy(await opa.loadPolicy(buf, wasmMemoryDescriptor(), builtins as never));
  }

  /** Loads through the SDK's `loadPolicySync`. */
  static loadSync(wasm: Uint8Array, opts: LoadOptions = {}): CompiledPolicy {
    const builtins = perDocumentQueries({ ...hostBuiltins(opts.strictBuiltinErrors ?? false), ...(opts.builtins ?? {}) });
    const buf = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
    return new CompiledPolicy(opa.loadPolicySync(buf, wasmMemoryDescriptor(), builtins as never));
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
    beginQuery();
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
    const id = this.entrypointId(entrypoint);
    const opaEval = (this.opaEval ??= this.exported("opa_eval"));
    this.epoch++;
    beginQuery();
    try {
      const addr = p.dataHeapPtr;
      const len = this.writeInputText(addr, inputJson);
      const result = opaEval(0, id, p.dataAddr, addr, len, addr + len, 0);
      return readResultSet(this.memory(), result);
    } catch (e) {
      throw toEvalError(e);
    }
  }

  /** Whether the module reads Fleetward's binary input format (`fleetward_eval`; modules built by OPA do not). */
  get readsBinaryInput(): boolean {
    return this.binary() !== null;
  }

  /**
   * `evaluateJson(entrypoint, serializeInput(input, access))` for an input given as a JS value, with the same
   * results and errors: the value, pruned by `access` (default: whole), is written straight into the module's memory
   * in the runtime's binary value format (`InputEncoder`) and evaluated with one `fleetward_eval` call, so no JSON
   * text is made or parsed. A module without that export (built by OPA) takes the JSON path. `undefined` (anything
   * JSON.stringify turns into nothing) means no input. What the value's serialization throws (a BigInt, a throwing
   * `toJSON`) is thrown as it is, before any evaluation.
   */
  evaluateInput(entrypoint: string, input: unknown, access: InputAccess = WHOLE_VALUE): Array<{ result: unknown }> {
    const binary = this.binary();
    if (binary === null) {
      // Built by OPA: JSON text through opa_eval (ABI 1.2), else the SDK's own evaluate (ABI 1.0/1.1, whose input
      // path takes a falsy input as a value, as ours does; only its opa_eval path takes it for no input).
      if (!this.hasExport("opa_eval")) return this.evaluate(entrypoint, input);
      return this.evaluateJson(entrypoint, serializeInput(input, access) as string | undefined);
    }
    const p = this.policy as unknown as PolicyInternals;
    const id = this.entrypointId(entrypoint);
    const epoch = ++this.epoch;
    const addr = p.dataHeapPtr;
    const encoder = this.encoder();
    encoder.buffer = this.memory();
    const end = encoder.encode(input, access, addr);
    // A toJSON or getter that evaluated on this policy meanwhile wrote over the same memory.
    if (this.epoch !== epoch) throw new PolicyEvalError("eval_internal_error", "the input's toJSON or a getter evaluated this policy while the input was written");
    beginQuery();
    try {
      const result = binary.eval(id, p.dataAddr, addr, end - addr, end);
      return readResultSet(this.memory(), result);
    } catch (e) {
      throw toEvalError(e);
    }
  }

  /**
   * `evaluateInput(entrypoint, input, access)` for each of `inputs`, with the same results and errors (per document:
   * its result set, or what that call would throw), in few module calls: the documents are written one after the
   * other into the module's memory and evaluated by `fleetward_eval_batch`, which resets the heap between them inside
   * the module and writes all result sets into one output read back with one JSON.parse. Members named by
   * `sharedKeys` (the inputs' last keys, the very same values in every input, e.g. Gatekeeper's `parameters`) are
   * written and decoded once per call. A document whose evaluation aborts (an error, memory exhausted) does not
   * disturb the others: the batch goes on after it, and it is evaluated again alone with `evaluateInput`, whose
   * error (or result, when the batch's memory was what ran out) it gets. Inputs that do not fit the shared form, and
   * modules without the batch export, go through `evaluateInput`.
   */
  evaluateInputs(entrypoint: string, inputs: readonly unknown[], access: InputAccess = WHOLE_VALUE, sharedKeys: readonly string[] = []): BatchOutcome[] {
    const outcomes = new Array<BatchOutcome | undefined>(inputs.length).fill(undefined);
    const single = (i: number): BatchOutcome => {
      try {
        return { ok: true, resultSet: this.evaluateInput(entrypoint, inputs[i], access) };
      } catch (error) {
        return { ok: false, error };
      }
    };
    const binary = this.binary();
    if (binary?.batch !== undefined) {
      const shared = sharedKeys.length > 0 ? sharedPart(inputs[0], sharedKeys) : {};
      for (let from = 0; from < inputs.length; ) from = this.batchChunk(binary, entrypoint, inputs, from, access, shared, sharedKeys, outcomes);
    }
    return outcomes.map((o, i) => o ?? single(i));
  }

  /**
   * One `fleetward_eval_batch` call over the documents from `from` on, as many as BATCH_INPUT_BYTES of input hold;
   * fills `outcomes` for those evaluated in the batch (the rest stay undefined: to evaluate alone). Memory: [shared bytes][documents' bytes][table][state] above the data, then the heap, which
   * holds the decoded shared value, then the output growing from its start. Returns the next document's index.
   */
  private batchChunk(
    binary: BinaryInputApi,
    entrypoint: string,
    inputs: readonly unknown[],
    from: number,
    access: InputAccess,
    shared: Record<string, unknown> | undefined,
    sharedKeys: readonly string[],
    outcomes: Array<BatchOutcome | undefined>,
  ): number {
    const p = this.policy as unknown as PolicyInternals;
    const id = this.entrypointId(entrypoint);
    const api = this.contextApi();
    const epoch = ++this.epoch;
    const base = p.dataHeapPtr;
    const encoder = this.encoder();
    encoder.buffer = this.memory();
    let at = base;
    if (sharedKeys.length > 0 && shared !== undefined) at = encoder.encode(shared, access, base);
    const sharedEnd = at;
    const docs: number[] = [];
    const spans: number[] = [];
    let next = from;
    for (; next < inputs.length && at - sharedEnd < BATCH_INPUT_BYTES; next++) {
      const own = sharedKeys.length === 0 ? inputs[next] : shared === undefined ? undefined : ownPart(inputs[next], shared, sharedKeys);
      if (own === undefined) continue;
      try {
        const end = encoder.encode(own, access, at);
        docs.push(next);
        spans.push(at, end - at);
        at = end;
      } catch {
        // Evaluated alone afterwards, which throws it again as `evaluateInput` does (or succeeds, when it was the
        // batch's memory that could not grow); the documents before it are evaluated now.
        next++;
        break;
      }
    }
    // A toJSON or getter that evaluated on this policy meanwhile wrote over the same memory: evaluate them alone.
    if (this.epoch !== epoch || docs.length === 0) return next;
    const table = (at + 7) & ~7;
    const state = table + spans.length * 4;
    const heap = state + 8;
    let sharedValue = 0;
    try {
      let mem = this.memory();
      if (heap > mem.length) mem = this.mem = growMemory(p, heap);
      new Uint32Array(mem.buffer, table, spans.length).set(spans);
      api.heapPtrSet(heap);
      if (sharedEnd > base) sharedValue = binary.decode(base, sharedEnd - base);
    } catch {
      return next; // memory that cannot grow: each document alone
    }
    if (sharedEnd > base && sharedValue === 0) return next;
    const out = api.heapPtrGet();
    const words = (): Uint32Array => new Uint32Array(p.mem.buffer, state, 2);
    words().set([0, out]);
    const aborted: number[] = [];
    inBatch(() => words()[0] as number, () => {
      for (;;) {
        try {
          (binary.batch as NonNullable<BinaryInputApi["batch"]>)(id, p.dataAddr, sharedValue, table, docs.length, state);
          return;
        } catch {
          // The document at the state's index aborted: go on after it; it is evaluated alone afterwards.
          const w = words();
          aborted.push(w[0] as number);
          w[0] = (w[0] as number) + 1;
        }
      }
    });
    const results = parseBatchOutput(readText(this.memory(), out, words()[1] as number));
    let r = 0;
    docs.forEach((doc, k) => {
      if (!aborted.includes(k)) outcomes[doc] = { ok: true, resultSet: results[r++] as Array<{ result: unknown }> };
    });
    return next;
  }

  /**
   * For evaluating several entrypoints on one input: the JSON text is encoded into the module's memory and parsed
   * there once (on the first call), and each call evaluates one entrypoint on the parsed value through the eval
   * context (`opa_eval_ctx_*`, `eval`, `opa_json_dump`), which is what one `opa_eval` call does after its parse. The
   * results are `evaluateJson`'s. Any other evaluation or `setData` on this policy reuses that memory: the returned
   * function then parses the text again. `undefined` means no input.
   */
  prepareJsonInput(inputJson: string | undefined): PreparedInputEvaluator {
    const api = this.contextApi();
    return this.prepared((addr) => {
      const len = this.writeInputText(addr, inputJson);
      api.heapPtrSet(addr + len);
      return len > 0 ? api.jsonParse(addr, len) : undefined;
    });
  }

  /**
   * `prepareJsonInput(serializeInput(input, access))` for an input given as a JS value, with the same results and
   * errors, through the binary input format as `evaluateInput` (the JSON path for modules without it). The value is
   * encoded once, now (so what its serialization throws is thrown here, as serializeInput would); the module decodes
   * it on the first evaluation, and again after any other evaluation or `setData` on this policy.
   */
  prepareInput(input: unknown, access: InputAccess = WHOLE_VALUE): PreparedInputEvaluator {
    const binary = this.binary();
    if (binary === null) return this.prepareJsonInput(serializeInput(input, access) as string | undefined);
    const bytes = encodeToScratch(input, access);
    const api = this.contextApi();
    const p = this.policy as unknown as PolicyInternals;
    return this.prepared((addr) => {
      this.mem = memoryBytes(p, this.mem);
      if (addr + bytes.length > this.mem.length) this.mem = growMemory(p, addr + bytes.length);
      this.mem.set(bytes, addr);
      // Decoded strings keep pointing at the bytes: they stay below the heap.
      api.heapPtrSet(addr + bytes.length);
      return bytes.length > 0 ? binary.decode(addr, bytes.length) : undefined;
    });
  }

  /**
   * The evaluator of `prepareJsonInput` / `prepareInput`: `load(addr)` puts the input at `addr` (the end of the data)
   * and returns its value's address, 0 if it does not parse, `undefined` for no input; it runs again whenever
   * another evaluation has reused the memory since.
   */
  private prepared(load: (addr: number) => number | undefined): PreparedInputEvaluator {
    const p = this.policy as unknown as PolicyInternals;
    const api = this.contextApi();
    let epoch = -1;
    let inputAddr = 0;
    let heapAfterInput = 0;
    const parse = (): void => {
      this.epoch++;
      epoch = this.epoch;
      const value = load(p.dataHeapPtr);
      // opa_eval's own message for input that does not parse.
      if (value === 0) throw new PolicyEvalError("eval_internal_error", "opa_eval: failed to parse input");
      inputAddr = value ?? 0;
      heapAfterInput = api.heapPtrGet();
    };
    return (entrypoint) => {
      const id = this.entrypointId(entrypoint);
      try {
        if (epoch !== this.epoch) parse();
        api.heapPtrSet(heapAfterInput);
        const result = evalOnContext(api, p, inputAddr, id);
        return readResultSet(this.memory(), result);
      } catch (e) {
        // A failed evaluation may leave anything above the input: parse again next time.
        epoch = -1;
        throw toEvalError(e);
      }
    };
  }

  /** Encodes JSON text (none: `undefined`) into the module's memory at `addr`; returns the byte length. */
  private writeInputText(addr: number, inputJson: string | undefined): number {
    if (inputJson === undefined) return 0;
    const written = writeInputText(this.policy as unknown as PolicyInternals, this.memory(), addr, inputJson);
    this.mem = written.mem;
    return written.len;
  }

  /** The module's memory as bytes, made again after it has grown. */
  private memory(): Uint8Array {
    this.mem = memoryBytes(this.policy as unknown as PolicyInternals, this.mem);
    return this.mem;
  }

  /** This policy's encoder into its module's memory (which it grows as needed). */
  private encoder(): InputEncoder {
    if (this.inputEncoder === undefined) {
      const p = this.policy as unknown as PolicyInternals;
      this.inputEncoder = new InputEncoder(this.memory(), (_, min) => (this.mem = growMemory(p, min)));
    }
    return this.inputEncoder;
  }

  /** The binary input exports, or null when the module lacks them. */
  private binary(): BinaryInputApi | null {
    if (this.binaryApi === undefined) {
      const exports = (this.policy as unknown as PolicyInternals).wasmInstance.exports;
      const run = exports[BINARY_EVAL_EXPORT];
      const decode = exports[BINARY_DECODE_EXPORT];
      // A module linked with a runtime of another format version (or none) gets the JSON path.
      const format = exports[BINARY_FORMAT_EXPORT] as unknown as { value?: unknown } | undefined;
      const batch = exports[BINARY_BATCH_EXPORT] as BinaryInputApi["batch"];
      this.binaryApi = run && decode && format?.value === BINARY_FORMAT_VERSION ? { eval: run, decode, batch } : null;
    }
    return this.binaryApi;
  }

  private hasExport(name: string): boolean {
    return typeof (this.policy as unknown as PolicyInternals).wasmInstance.exports[name] === "function";
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

  /** The module's number for `entrypoint`, or a PolicyEvalError naming it. */
  private entrypointId(entrypoint: string): number {
    const id = (this.policy as unknown as PolicyInternals).entrypoints[entrypoint];
    if (id === undefined) throw new PolicyEvalError("eval_internal_error", `unknown entrypoint ${entrypoint}`);
    return id;
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
    const id = this.entrypointId(entrypoint);
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
      const result = evalOnContext(api, p, inputAddr, id);
      return readText(this.memory(), result);
    } catch (e) {
      throw toEvalError(e);
    }
  }
}
