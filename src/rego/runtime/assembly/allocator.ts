// Bump allocator over the imported linear memory.
//
// The heap grows upwards from the end of static data. The host reads and
// resets the heap pointer through opa_heap_ptr_get/opa_heap_ptr_set (the SDK
// rewinds it before every evaluation), so nothing is ever freed individually:
// opa_free only gives back the most recent allocation.

import { abortWith } from "./host";

/**
 * Current heap pointer. Exported as a mutable global so that the linker can
 * move the heap start past the static data it appends to the module.
 */
export let fw_heap_ptr: usize = __heap_base;

/** Size of the allocation that ends at fw_heap_ptr (for opa_free of the last block). */
let lastAllocPtr: usize = 0;

/**
 * Bytes of memory known to exist (a lower bound: memory never shrinks, the host may grow it), so that most
 * allocations do not ask for memory.size().
 */
let knownMemoryEnd: usize = 0;

// @ts-ignore: decorator
@inline function ensureCapacity(end: usize): void {
  if (end > knownMemoryEnd) growTo(end);
}

function growTo(end: usize): void {
  let have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) abortWith("opa_malloc: out of memory");
    have = (<usize>memory.size()) << 16;
  }
  knownMemoryEnd = have;
}

/** Allocates `size` bytes, 8-byte aligned. Contents are NOT zeroed. */
export function malloc(size: usize): usize {
  return mallocInline(size);
}

/** malloc, inlined into the constructors that run for every value of a parsed document. */
// @ts-ignore: decorator
@inline export function mallocInline(size: usize): usize {
  const ptr = (fw_heap_ptr + 7) & ~(<usize>7);
  const end = ptr + size;
  if (end > knownMemoryEnd || end < ptr) growFor(ptr, size);
  fw_heap_ptr = end;
  lastAllocPtr = ptr;
  return ptr;
}

/** The rare path of malloc: too large, or memory to grow (or to re-read after the host grew it). */
function growFor(ptr: usize, size: usize): void {
  const end = ptr + size;
  if (end < ptr || size > 0x7fff0000) abortWith("opa_malloc: allocation too large");
  growTo(end);
}

/** Allocates `size` zeroed bytes. */
export function calloc(size: usize): usize {
  const ptr = malloc(size);
  memory.fill(ptr, 0, size);
  return ptr;
}

/** Frees `ptr` if it is the most recent allocation; otherwise a no-op (bump allocator). */
export function free(ptr: usize): void {
  if (ptr != 0 && ptr == lastAllocPtr) {
    fw_heap_ptr = ptr;
    lastAllocPtr = 0;
  }
}

/**
 * Extends the most recent allocation `ptr` (of `oldSize` bytes) to `newSize`
 * in place when possible, else copies. Returns the (possibly new) address.
 */
export function grow(ptr: usize, oldSize: usize, newSize: usize): usize {
  if (ptr != 0 && ptr + oldSize == fw_heap_ptr) {
    const end = ptr + newSize;
    if (end < ptr) abortWith("opa_malloc: allocation too large");
    ensureCapacity(end);
    fw_heap_ptr = end;
    return ptr;
  }
  const fresh = malloc(newSize);
  if (ptr != 0 && oldSize > 0) memory.copy(fresh, ptr, oldSize);
  return fresh;
}

export function heapPtrGet(): usize {
  return fw_heap_ptr;
}

export function heapPtrSet(ptr: usize): void {
  fw_heap_ptr = ptr;
  lastAllocPtr = 0;
}
