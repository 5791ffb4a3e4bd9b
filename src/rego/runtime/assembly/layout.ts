// Value layout in linear memory (all addresses are i32, all values 8-byte aligned).
//
//   byte 0: type tag (TYPE_*; the numeric order IS OPA's type order)
//
//   null      [1]
//   boolean   [2] u32@4 (0|1)
//   number    [3] u8@1 kind; kind INT: i64@8
//                            kind DEC: u8@2 negative, i32@4 exponent, u32@8 limb count, ptr@12 limbs
//             DEC magnitude limbs are base 1e9, little endian, normalised (no zero top limb, no
//             trailing decimal zeros). Every number has exactly one canonical form: integers that
//             fit i64 are always INT, everything else is DEC.
//   string    [4] u32@4 byte length, ptr@8 UTF-8 bytes (not NUL-terminated), u32@12 cached hash
//                 (0 = not computed yet; every constructor writes 0, the first hashValue stores it)
//   array     [5] u32@4 length, u32@8 capacity, ptr@12 element pointers (a new array's first
//                 elements follow the header in the same block, at address + 16)
//   object    [6] u32@4 live count, u32@8 used entries, u32@12 entry capacity, ptr@16 entries,
//                 ptr@20 index (u32 slots, entry index + 1, 0 = empty), u32@24 index mask;
//                 tables with an entry capacity of at most 8 have no index (ptr@20 = 0): lookups scan
//                 the entries comparing stored hashes; a new table's first entries array usually sits
//                 in the same block, right after the header (entries = address + 32)
//   set       [7] same as object; entry values are unused
//
//   entry (12 bytes): key ptr@0 (0 = removed), value ptr@4, hash u32@8

export const TYPE_NULL: u8 = 1;
export const TYPE_BOOLEAN: u8 = 2;
export const TYPE_NUMBER: u8 = 3;
export const TYPE_STRING: u8 = 4;
export const TYPE_ARRAY: u8 = 5;
export const TYPE_OBJECT: u8 = 6;
export const TYPE_SET: u8 = 7;

export const NUM_INT: u8 = 1;
export const NUM_DEC: u8 = 2;

export const ENTRY_SIZE: usize = 12;

export const NULL_VALUE: usize = memory.data<u32>([1, 0], 8);
export const FALSE_VALUE: usize = memory.data<u32>([2, 0], 8);
export const TRUE_VALUE: usize = memory.data<u32>([2, 1], 8);

// @ts-ignore: decorator
@inline export function typeOf(v: usize): u8 {
  return load<u8>(v);
}
