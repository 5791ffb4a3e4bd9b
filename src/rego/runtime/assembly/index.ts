// Fleetward Rego runtime: entry file. Everything exported here becomes a
// Wasm export of build/runtime.wasm. `opa_*` names are the OPA Wasm ABI 1.x
// (the policy linker adds `eval`, `builtins`, `entrypoints` and the ABI
// version globals); `fw_*` names are the helper API for generated code,
// documented in ../README.md. The linker strips `fw_*` exports from policies.

import { malloc, calloc, free, heapPtrGet, heapPtrSet } from "./allocator";
import {
  abortWith, println, host_builtin0, host_builtin1, host_builtin2, host_builtin3, host_builtin4,
} from "./host";
import { TYPE_ARRAY, TYPE_OBJECT, TYPE_SET, TYPE_STRING, TYPE_NUMBER } from "./layout";
import {
  numberFromI64, parseNumberText, numberAdd, numberSub, numberMul, numberCompare, numberIsInt, numberInt,
} from "./number";
import {
  makeNull, makeBoolean, makeStringRef, makeStringCopy, stringLen, stringPtr, makeArray, arrayLen, arrayAt,
  arrayAppend, makeObject, makeSet, objectInsert, objectGet, setAdd, setContains, tableRemove, iterNext,
  entryKey, entryValue, valueLength, valueGet, valueEqual, hashValue,
} from "./values";
import { compareValues, sortWords } from "./compare";
import { parseDocument, parseErrorCode, parseErrorOffset } from "./json-parse";
import { dumpValue } from "./dump";
import { decodeValue } from "./value-decode";

export { fw_heap_ptr } from "./allocator";

// ---------------------------------------------------------------- link-time import

/** Replaced by the policy linker with the generated entrypoint dispatcher. */
// @ts-ignore: decorator
@external("fleetward_link", "eval")
declare function policy_eval(ctx: usize): i32;

// ---------------------------------------------------------------- memory (ABI)

export function opa_malloc(size: usize): usize {
  return malloc(size);
}

export function opa_free(ptr: usize): void {
  free(ptr);
}

export function opa_heap_ptr_get(): usize {
  return heapPtrGet();
}

export function opa_heap_ptr_set(ptr: usize): void {
  heapPtrSet(ptr);
}

// ---------------------------------------------------------------- JSON / values (ABI)

export function opa_json_parse(ptr: usize, len: usize): usize {
  return parseDocument(ptr, len, false);
}

export function opa_value_parse(ptr: usize, len: usize): usize {
  return parseDocument(ptr, len, true);
}

export function opa_json_dump(v: usize): usize {
  return dumpValue(v, false);
}

export function opa_value_dump(v: usize): usize {
  return dumpValue(v, true);
}

const OPA_ERR_OK: i32 = 0;
const OPA_ERR_INTERNAL: i32 = 1;
const OPA_ERR_INVALID_TYPE: i32 = 2;
const OPA_ERR_INVALID_PATH: i32 = 3;

/** Sets base[path...] = value, creating intermediate objects. Path: array of keys. */
export function opa_value_add_path(base: usize, path: usize, value: usize): i32 {
  if (base == 0 || path == 0 || value == 0) return OPA_ERR_INVALID_TYPE;
  if (load<u8>(base) != TYPE_OBJECT || load<u8>(path) != TYPE_ARRAY) return OPA_ERR_INVALID_TYPE;
  const n = arrayLen(path);
  if (n == 0) return OPA_ERR_INVALID_PATH;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    const k = arrayAt(path, i);
    let child = objectGet(cur, k);
    if (child == 0) {
      child = makeObject();
      objectInsert(cur, k, child);
    } else if (load<u8>(child) != TYPE_OBJECT) {
      return OPA_ERR_INVALID_PATH;
    }
    cur = child;
  }
  objectInsert(cur, arrayAt(path, n - 1), value);
  return OPA_ERR_OK;
}

/** Removes base[path...]. Missing paths are a no-op; walking through a non-object is an error. */
export function opa_value_remove_path(base: usize, path: usize): i32 {
  if (base == 0 || path == 0) return OPA_ERR_INVALID_TYPE;
  if (load<u8>(base) != TYPE_OBJECT || load<u8>(path) != TYPE_ARRAY) return OPA_ERR_INVALID_TYPE;
  const n = arrayLen(path);
  if (n == 0) return OPA_ERR_INVALID_PATH;
  let cur = base;
  for (let i: u32 = 0; i + 1 < n; i++) {
    const child = objectGet(cur, arrayAt(path, i));
    if (child == 0) return OPA_ERR_OK;
    if (load<u8>(child) != TYPE_OBJECT) return OPA_ERR_INVALID_PATH;
    cur = child;
  }
  tableRemove(cur, arrayAt(path, n - 1));
  return OPA_ERR_OK;
}

// ---------------------------------------------------------------- evaluation context (ABI)
// ctx layout: input@0, data@4, result@8, entrypoint@12

export function opa_eval_ctx_new(): usize {
  return calloc(16);
}

export function opa_eval_ctx_set_input(ctx: usize, v: usize): void {
  store<u32>(ctx, <u32>v, 0);
}

export function opa_eval_ctx_set_data(ctx: usize, v: usize): void {
  store<u32>(ctx, <u32>v, 4);
}

export function opa_eval_ctx_set_entrypoint(ctx: usize, id: i32): void {
  store<i32>(ctx, id, 12);
}

/** The result set (a set of {"result": value} objects); empty if eval produced none. */
export function opa_eval_ctx_get_result(ctx: usize): usize {
  const r = <usize>load<u32>(ctx, 8);
  return r != 0 ? r : makeSet();
}

export function fw_eval_ctx_get_input(ctx: usize): usize {
  return <usize>load<u32>(ctx, 0);
}

export function fw_eval_ctx_get_data(ctx: usize): usize {
  return <usize>load<u32>(ctx, 4);
}

export function fw_eval_ctx_get_entrypoint(ctx: usize): i32 {
  return load<i32>(ctx, 12);
}

export function fw_eval_ctx_set_result(ctx: usize, v: usize): void {
  store<u32>(ctx, <u32>v, 8);
}

/**
 * ABI 1.2 single-call evaluation: resets the heap to heap_ptr, parses
 * input_len bytes of JSON input at input (none if input_len == 0), evaluates
 * entrypoint against data and returns the serialised result set
 * (format 0 = JSON, 1 = Rego value text).
 */
export function opa_eval(
  reserved: usize, entrypoint: i32, data: usize, input: usize, inputLen: usize, heapPtr: usize, format: i32,
): usize {
  heapPtrSet(heapPtr);
  let inputValue: usize = 0;
  if (inputLen > 0) {
    inputValue = parseDocument(input, inputLen, false);
    if (inputValue == 0) abortWith("opa_eval: failed to parse input");
  }
  return evalAndDump(entrypoint, data, inputValue, format);
}

/**
 * Fleetward extension (kept in linked policies): opa_eval with the input in the binary value format
 * (value-decode.ts) instead of JSON text; the result set comes back as JSON. The input bytes must stay
 * below heapPtr (decoded strings reference them).
 */
export function fleetward_eval(entrypoint: i32, data: usize, input: usize, inputLen: usize, heapPtr: usize): usize {
  heapPtrSet(heapPtr);
  let inputValue: usize = 0;
  if (inputLen > 0) {
    inputValue = decodeValue(input, inputLen);
    if (inputValue == 0) abortWith("opa_eval: failed to parse input");
  }
  return evalAndDump(entrypoint, data, inputValue, 0);
}

/**
 * Fleetward extension (kept in linked policies): the version of the binary value format this runtime decodes
 * (runtime-abi.ts BINARY_FORMAT_VERSION; 2 = objects with distinct keys, tag 10).
 */
export const fleetward_input_format: i32 = 2;

/** Fleetward extension (kept in linked policies): opa_json_parse for the binary value format; 0 if malformed. */
export function fleetward_value_decode(ptr: usize, len: usize): usize {
  return decodeValue(ptr, len);
}

/**
 * Fleetward extension (kept in linked policies): `fleetward_eval` over `count` documents in one call. `table` holds
 * per document a u32 address and a u32 length of its binary input (length 0: no input). `shared` (0: none) is a
 * value decoded once by the host (`fleetward_value_decode`, kept below the heap): its members are added to every
 * document's input, which must then be an object. `state` is u32 next document @0, u32 output end @4: read at the
 * start and written after every document, so that after an abort the host knows which document failed (the next
 * one) and where the output stands, and can call again from the document after it. Each document's heap starts at
 * the output end (the heap is reset between documents here, not by the host). Per document the output gets `0,`
 * (no result), `1,` (one result, an empty array or set: no violations) or the JSON result set followed by `,`.
 */
export function fleetward_eval_batch(entrypoint: i32, data: usize, shared: usize, table: usize, count: u32, state: usize): void {
  for (let i = load<u32>(state); i < count; i = load<u32>(state)) {
    const out = <usize>load<u32>(state, 4);
    heapPtrSet(out);
    const entry = table + (<usize>i << 3);
    const len = <usize>load<u32>(entry, 4);
    let inputValue: usize = 0;
    if (len > 0) {
      inputValue = decodeValue(<usize>load<u32>(entry), len);
      if (inputValue == 0) abortWith("opa_eval: failed to parse input");
      if (shared != 0) addMembers(inputValue, shared);
    }
    const ctx = opa_eval_ctx_new();
    opa_eval_ctx_set_input(ctx, inputValue);
    opa_eval_ctx_set_data(ctx, data);
    opa_eval_ctx_set_entrypoint(ctx, entrypoint);
    if (policy_eval(ctx) != 0) abortWith("opa_eval: evaluation failed");
    const written = writeResultSet(opa_eval_ctx_get_result(ctx), out);
    store<u8>(out + written, 0x2c); // ","
    store<u32>(state, <u32>(out + written + 1), 4);
    store<u32>(state, i + 1);
  }
}

/** Adds the members of object `from` to object `to` (a batch's shared members; the host keeps their keys apart). */
function addMembers(to: usize, from: usize): void {
  if (load<u8>(to) != TYPE_OBJECT) abortWith("opa_eval: a batch input with shared members is not an object");
  for (let j = iterNext(from, -1); j >= 0; j = iterNext(from, j)) objectInsert(to, entryKey(from, <u32>j), entryValue(from, <u32>j));
}

/**
 * Writes result set `rs` at `out` (at or below every allocation since the document's heap started there): `0` for
 * none, `1` for one result that is an empty array or set, else its JSON text, moved down from where it was dumped.
 * Returns the bytes written.
 */
function writeResultSet(rs: usize, out: usize): usize {
  const n = valueLength(rs);
  if (n == 0) {
    store<u8>(out, 0x30);
    return 1;
  }
  if (n == 1) {
    const only = entryKey(rs, <u32>iterNext(rs, -1));
    const v = load<u8>(only) == TYPE_OBJECT && valueLength(only) == 1 ? objectGet(only, makeStringRef(RESULT_KEY, 6)) : 0;
    if (v != 0 && (load<u8>(v) == TYPE_ARRAY || load<u8>(v) == TYPE_SET) && valueLength(v) == 0) {
      store<u8>(out, 0x31);
      return 1;
    }
  }
  const text = dumpValue(rs, false);
  let len: usize = 0;
  while (load<u8>(text + len) != 0) len++;
  memory.copy(out, text, len);
  return len;
}

function evalAndDump(entrypoint: i32, data: usize, inputValue: usize, format: i32): usize {
  const ctx = opa_eval_ctx_new();
  opa_eval_ctx_set_input(ctx, inputValue);
  opa_eval_ctx_set_data(ctx, data);
  opa_eval_ctx_set_entrypoint(ctx, entrypoint);
  const err = policy_eval(ctx);
  if (err != 0) abortWith("opa_eval: evaluation failed");
  return dumpValue(opa_eval_ctx_get_result(ctx), format == 1);
}

// ---------------------------------------------------------------- helper API for generated code

const RESULT_KEY: usize = memory.data<u8>([0x72, 0x65, 0x73, 0x75, 0x6c, 0x74]); // "result"

/** Result set for one entrypoint value: {{"result": v}}, or the empty set when v == 0 (undefined). */
export function fw_result_set(v: usize): usize {
  const s = makeSet();
  if (v == 0) return s;
  const o = makeObject();
  objectInsert(o, makeStringRef(RESULT_KEY, 6), v);
  setAdd(s, o);
  return s;
}

export function fw_null(): usize {
  return makeNull();
}

export function fw_boolean(b: i32): usize {
  return makeBoolean(b != 0);
}

export function fw_number_i64(x: i64): usize {
  return numberFromI64(x);
}

/** Exact number from JSON number text; 0 if the text is not a valid JSON number. */
export function fw_number_parse(ptr: usize, len: usize): usize {
  return parseNumberText(ptr, len);
}

export function fw_number_add(a: usize, b: usize): usize {
  if (load<u8>(a) != TYPE_NUMBER || load<u8>(b) != TYPE_NUMBER) return 0;
  return numberAdd(a, b);
}

export function fw_number_sub(a: usize, b: usize): usize {
  if (load<u8>(a) != TYPE_NUMBER || load<u8>(b) != TYPE_NUMBER) return 0;
  return numberSub(a, b);
}

export function fw_number_mul(a: usize, b: usize): usize {
  if (load<u8>(a) != TYPE_NUMBER || load<u8>(b) != TYPE_NUMBER) return 0;
  return numberMul(a, b);
}

/** 1 if v is a number holding an integer that fits i64 (read it with fw_number_get_i64). */
export function fw_number_is_i64(v: usize): i32 {
  return load<u8>(v) == TYPE_NUMBER && numberIsInt(v) ? 1 : 0;
}

export function fw_number_get_i64(v: usize): i64 {
  return numberInt(v);
}

/** String value over `len` bytes at `ptr` without copying (for static data). */
export function fw_string_ref(ptr: usize, len: u32): usize {
  return makeStringRef(ptr, len);
}

export function fw_string_copy(ptr: usize, len: u32): usize {
  return makeStringCopy(ptr, len);
}

export function fw_string_ptr(v: usize): usize {
  return load<u8>(v) == TYPE_STRING ? stringPtr(v) : 0;
}

export function fw_array_new(cap: u32): usize {
  return makeArray(cap);
}

export function fw_array_append(a: usize, v: usize): void {
  arrayAppend(a, v);
}

export function fw_array_get(a: usize, i: u32): usize {
  return i < arrayLen(a) ? arrayAt(a, i) : 0;
}

export function fw_object_new(): usize {
  return makeObject();
}

export function fw_object_insert(o: usize, k: usize, v: usize): void {
  objectInsert(o, k, v);
}

export function fw_object_get(o: usize, k: usize): usize {
  return objectGet(o, k);
}

export function fw_object_remove(o: usize, k: usize): i32 {
  return tableRemove(o, k) ? 1 : 0;
}

export function fw_set_new(): usize {
  return makeSet();
}

export function fw_set_add(s: usize, v: usize): void {
  setAdd(s, v);
}

export function fw_set_contains(s: usize, v: usize): i32 {
  return setContains(s, v) ? 1 : 0;
}

export function fw_set_remove(s: usize, v: usize): i32 {
  return tableRemove(s, v) ? 1 : 0;
}

export function fw_value_type(v: usize): i32 {
  return v == 0 ? 0 : <i32>load<u8>(v);
}

export function fw_value_length(v: usize): u32 {
  return valueLength(v);
}

export function fw_value_get(v: usize, k: usize): usize {
  return valueGet(v, k);
}

export function fw_value_compare(a: usize, b: usize): i32 {
  return compareValues(a, b);
}

export function fw_value_equal(a: usize, b: usize): i32 {
  return valueEqual(a, b) ? 1 : 0;
}

export function fw_value_hash(v: usize): u32 {
  return hashValue(v);
}

export function fw_iter_next(v: usize, i: i32): i32 {
  return iterNext(v, i);
}

/** Key at iteration position i: array index as a number, object key, set element. */
export function fw_iter_key(v: usize, i: i32): usize {
  if (load<u8>(v) == TYPE_ARRAY) return numberFromI64(<i64>i);
  return entryKey(v, <u32>i);
}

/** Value at iteration position i: array element, object value, set element. */
export function fw_iter_value(v: usize, i: i32): usize {
  const t = load<u8>(v);
  if (t == TYPE_ARRAY) return arrayAt(v, <u32>i);
  if (t == TYPE_OBJECT) return entryValue(v, <u32>i);
  return entryKey(v, <u32>i);
}

/** Sorts an array value in place by OPA's order. */
export function fw_array_sort(a: usize): void {
  sortWords(<usize>load<u32>(a, 12), arrayLen(a), false);
}

export function fw_json_error_code(): i32 {
  return parseErrorCode;
}

export function fw_json_error_offset(): i32 {
  return parseErrorOffset;
}

export function fw_println(cstr: usize): void {
  println(cstr);
}

export function fw_builtin0(id: i32, ctx: usize): usize {
  return host_builtin0(id, ctx);
}

export function fw_builtin1(id: i32, ctx: usize, a: usize): usize {
  return host_builtin1(id, ctx, a);
}

export function fw_builtin2(id: i32, ctx: usize, a: usize, b: usize): usize {
  return host_builtin2(id, ctx, a, b);
}

export function fw_builtin3(id: i32, ctx: usize, a: usize, b: usize, c: usize): usize {
  return host_builtin3(id, ctx, a, b, c);
}

export function fw_builtin4(id: i32, ctx: usize, a: usize, b: usize, c: usize, d: usize): usize {
  return host_builtin4(id, ctx, a, b, c, d);
}

/** Exact numeric comparison exposed for tests of the number module. */
export function fw_number_compare(a: usize, b: usize): i32 {
  return numberCompare(a, b);
}
export * from "./builtins/index";
export * from "./codegen-support";
