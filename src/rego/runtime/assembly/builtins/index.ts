// Native Rego builtins: every export is a runtime export `fwb_<name>` (dots
// replaced by underscores) taking value addresses and returning a value
// address, 0 = undefined. Errors are recorded with fw_builtin_error (util.ts)
// and the builtin returns 0: kind 1 = eval_type_error, 2 = eval_builtin_error,
// message = OPA's text without the `<builtin>: ` prefix. Keep this list in
// sync with src/rego/builtins/native-builtins.ts (a test checks both ways).
//
// Rules every builtin follows:
// - arguments are never modified; results may share immutable parts of them
//   (substrings point into the argument's bytes, unchanged values are reused);
// - nothing heap-allocated is cached across calls (the heap is rewound
//   between evaluations); no AssemblyScript managed allocation is used;
// - work is bounded by the size of the arguments (rem refuses operands whose
//   long division would need more than 4000 quotient digits, div falls back to
//   20 significant decimal digits beyond 1e±1000).
//
// Semantics decisions (OPA reference behaviour where known):
// - div: int64 operands that divide exactly give the exact quotient; all other
//   quotients follow OPA's big.Float path: operands rounded to 64-bit
//   mantissas, quotient rounded to 64 bits, shortest decimal (bigfloat.ts).
// - sum/product/minus/abs/round/ceil/floor are exact on the runtime's decimals.
// - sprintf converts arguments as OPA does: int64 integers -> Go int, larger
//   integers -> *big.Int, other numbers -> float64 (emulated exactly), numbers
//   beyond float64 -> their text, strings -> Go strings, anything else -> its
//   Rego term text. The original literal text of a number is not kept, so
//   e.g. `1e30` prints like the float64 1e+30 and `123456.789e3` like an int.
// - lower/upper map ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic
//   letters (Go maps all of Unicode).
// - json.unmarshal errors say "invalid JSON text at byte N" (Go's messages
//   differ); base64/hex/urlquery errors use Go's texts.

export { fw_builtin_error, fw_builtin_error_kind, fw_builtin_error_message, fw_builtin_error_clear } from "./util";
export {
  fwb_div, fwb_rem, fwb_abs, fwb_round, fwb_ceil, fwb_floor, fwb_minus, fwb_and, fwb_or, fwb_numbers_range,
  fwb_numbers_range_step,
} from "./numbers";
export {
  fwb_count, fwb_sum, fwb_product, fwb_max, fwb_min, fwb_sort, fwb_is_number, fwb_is_string, fwb_is_boolean,
  fwb_is_array, fwb_is_set, fwb_is_object, fwb_is_null, fwb_type_name,
} from "./aggregates";
export {
  fwb_concat, fwb_contains, fwb_startswith, fwb_endswith, fwb_lower, fwb_upper, fwb_split, fwb_replace,
  fwb_strings_replace_n, fwb_trim, fwb_trim_left, fwb_trim_right, fwb_trim_prefix, fwb_trim_suffix, fwb_trim_space,
  fwb_indexof, fwb_indexof_n, fwb_substring, fwb_strings_reverse, fwb_strings_count, fwb_strings_any_prefix_match,
  fwb_strings_any_suffix_match, fwb_format_int, fwb_to_number,
} from "./strings";
export { fwb_sprintf } from "./sprintf";
export {
  fwb_array_concat, fwb_array_slice, fwb_array_reverse, fwb_object_get, fwb_object_keys, fwb_object_remove,
  fwb_object_filter, fwb_object_union, fwb_object_union_n, fwb_object_subset, fwb_union, fwb_intersection,
} from "./collections";
export {
  fwb_json_marshal, fwb_json_unmarshal, fwb_json_is_valid, fwb_base64_encode, fwb_base64_decode, fwb_base64_is_valid,
  fwb_base64url_encode, fwb_base64url_encode_no_pad, fwb_base64url_decode, fwb_hex_encode, fwb_hex_decode,
  fwb_urlquery_encode, fwb_urlquery_decode,
} from "./encoding";
export { fwb_walk } from "./graph";
