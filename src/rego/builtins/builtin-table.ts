/**
 * The declarations of every OPA 1.x builtin: name, signature, category, flags and conformance tier. This is
 * the one table shared by the compile checks (existence, arity, argument types) and the code generator.
 * Implementations live elsewhere.
 *
 * Tiers follow `opa-conformance/README.md`:
 * - `A`: implemented natively by OPA's Wasm runtime or in JS by its npm SDK;
 * - `B`: other pure builtins;
 * - `C`: crypto/JWT/x509, clocks, graphql, network, randomness, JSON schema (and runtime/host access).
 */
import { parseType, type FunctionType } from "./rego-type.js";

export type BuiltinTier = "A" | "B" | "C";

export interface BuiltinDecl {
  /** Full name as called, e.g. `count`, `strings.replace_n`, `internal.member_2`. */
  name: string;
  /** The signature; `decl.variadic` is set for `print`. */
  decl: FunctionType;
  /** OPA documentation category, e.g. `strings`, `aggregates`, `tokens`. */
  category: string;
  tier: BuiltinTier;
  /** The operator that stands for this builtin (`+`, `=`, `in`, ...), if any. */
  infix?: string;
  /** Results may differ between calls with equal arguments (clock, network, randomness). */
  nondeterministic: boolean;
  /** Still accepted by OPA but deprecated (and rejected by OPA's strict mode / v1 `rego.v1` checks). */
  deprecated: boolean;
  /** A relation: may produce several results (`walk`), so its last argument is an output that enumerates. */
  relation: boolean;
}

/*
 * The table, one builtin per line: `name | signature | category | tier | flags`. Signatures use OPA's type
 * notation (see `printType`). Flags: `nd` nondeterministic, `dep` deprecated, `rel` relation,
 * `infix=<op>`.
 */
const OBJ = "object[any: any]";
const SOBJ = "object[string: any]";
const COLL = "any<array[any], set[any]>";
const REMOVE_KEYS = `any<array[any], ${OBJ}, set[any]>`;
const JSON_PATHS = "any<array[any<string, array[any]>], set[any<string, array[any]>]>";
const STR_OR_OBJ = `any<string, ${OBJ}>`;
const TIME_ARG = "any<number, array<number, string>>";
const CIDR_TERMS = "any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>";
const STRS = "any<string, array[string], set[string]>";
const ARITH = "any<number, set[any]>";

const TABLE_TEXT = `
eq | (any, any) => boolean | comparison | A | infix==
assign | (any, any) => boolean | assignment | A | infix=:=
equal | (any, any) => boolean | comparison | A | infix===
neq | (any, any) => boolean | comparison | A | infix=!=
lt | (any, any) => boolean | comparison | A | infix=<
lte | (any, any) => boolean | comparison | A | infix=<=
gt | (any, any) => boolean | comparison | A | infix=>
gte | (any, any) => boolean | comparison | A | infix=>=
plus | (number, number) => number | numbers | A | infix=+
minus | (${ARITH}, ${ARITH}) => ${ARITH} | numbers | A | infix=-
mul | (number, number) => number | numbers | A | infix=*
div | (number, number) => number | numbers | A | infix=/
rem | (number, number) => number | numbers | A | infix=%
abs | (number) => number | numbers | A |
ceil | (number) => number | numbers | A |
floor | (number) => number | numbers | A |
round | (number) => number | numbers | A |
numbers.range | (number, number) => array[number] | numbers | A |
numbers.range_step | (number, number, number) => array[number] | numbers | B |
rand.intn | (string, number) => number | numbers | C | nd
count | (any<string, array[any], ${OBJ}, set[any]>) => number | aggregates | A |
sum | (any<array[number], set[number]>) => number | aggregates | A |
product | (any<array[number], set[number]>) => number | aggregates | A |
max | (${COLL}) => any | aggregates | A |
min | (${COLL}) => any | aggregates | A |
sort | (${COLL}) => array[any] | aggregates | A |
all | (${COLL}) => boolean | aggregates | A | dep
any | (${COLL}) => boolean | aggregates | A | dep
array.concat | (array[any], array[any]) => array[any] | arrays | A |
array.slice | (array[any], number, number) => array[any] | arrays | A |
array.reverse | (array[any]) => array[any] | arrays | B |
array.flatten | (array[any]) => array[any] | arrays | B |
and | (set[any], set[any]) => set[any] | sets | A | infix=&
or | (set[any], set[any]) => set[any] | sets | A | infix=|
intersection | (set[set[any]]) => set[any] | sets | A |
union | (set[set[any]]) => set[any] | sets | A |
set_diff | (set[any], set[any]) => set[any] | sets | A | dep
object.get | (${OBJ}, any, any) => any | objects | A |
object.keys | (${OBJ}) => set[any] | objects | A |
object.remove | (${OBJ}, ${REMOVE_KEYS}) => ${OBJ} | objects | A |
object.filter | (${OBJ}, ${REMOVE_KEYS}) => ${OBJ} | objects | A |
object.union | (${OBJ}, ${OBJ}) => ${OBJ} | objects | A |
object.union_n | (array[${OBJ}]) => ${OBJ} | objects | A |
object.subset | (${REMOVE_KEYS}, ${REMOVE_KEYS}) => boolean | objects | B |
json.filter | (${OBJ}, ${JSON_PATHS}) => ${OBJ} | objects | A |
json.remove | (${OBJ}, ${JSON_PATHS}) => ${OBJ} | objects | A |
json.patch | (any, array[object<op: string, path: any>[any: any]]) => any | objects | B |
concat | (string, any<array[string], set[string]>) => string | strings | A |
contains | (string, string) => boolean | strings | A |
endswith | (string, string) => boolean | strings | A |
startswith | (string, string) => boolean | strings | A |
format_int | (number, number) => string | strings | A |
indexof | (string, string) => number | strings | A |
indexof_n | (string, string) => array[number] | strings | B |
lower | (string) => string | strings | A |
upper | (string) => string | strings | A |
replace | (string, string, string) => string | strings | A |
split | (string, string) => array[string] | strings | A |
sprintf | (string, array[any]) => string | strings | A |
substring | (string, number, number) => string | strings | A |
trim | (string, string) => string | strings | A |
trim_left | (string, string) => string | strings | A |
trim_prefix | (string, string) => string | strings | A |
trim_right | (string, string) => string | strings | A |
trim_suffix | (string, string) => string | strings | A |
trim_space | (string) => string | strings | A |
strings.any_prefix_match | (${STRS}, ${STRS}) => boolean | strings | B |
strings.any_suffix_match | (${STRS}, ${STRS}) => boolean | strings | B |
strings.count | (string, string) => number | strings | B |
strings.render_template | (string, ${SOBJ}) => string | strings | B |
strings.replace_n | (object[string: string], string) => string | strings | A |
strings.reverse | (string) => string | strings | A |
strings.split_n | (string, string, number) => array[string] | strings | B |
internal.template_string | (array[any]) => string | strings | B |
regex.match | (string, string) => boolean | regex | A |
re_match | (string, string) => boolean | regex | A | dep
regex.is_valid | (string) => boolean | regex | A |
regex.split | (string, string) => array[string] | regex | A |
regex.find_all_string_submatch_n | (string, string, number) => array[array[string]] | regex | A |
regex.find_n | (string, string, number) => array[string] | regex | B |
regex.globs_match | (string, string) => boolean | regex | B |
regex.template_match | (string, string, string, string) => boolean | regex | B |
regex.replace | (string, string, string) => string | regex | B |
glob.match | (string, any<null, array[string]>, string) => boolean | glob | A |
glob.quote_meta | (string) => string | glob | B |
bits.and | (number, number) => number | bits | A |
bits.or | (number, number) => number | bits | A |
bits.xor | (number, number) => number | bits | A |
bits.lsh | (number, number) => number | bits | A |
bits.rsh | (number, number) => number | bits | A |
bits.negate | (number) => number | bits | A |
to_number | (any<null, boolean, number, string>) => number | conversions | A |
cast_array | (any) => array[any] | conversions | B | dep
cast_boolean | (any) => boolean | conversions | B | dep
cast_null | (any) => null | conversions | B | dep
cast_object | (any) => ${OBJ} | conversions | B | dep
cast_set | (any) => set[any] | conversions | B | dep
cast_string | (any) => string | conversions | B | dep
units.parse | (string) => number | units | B |
units.parse_bytes | (string) => number | units | B |
is_number | (any) => boolean | types | A |
is_string | (any) => boolean | types | A |
is_boolean | (any) => boolean | types | A |
is_array | (any) => boolean | types | A |
is_set | (any) => boolean | types | A |
is_object | (any) => boolean | types | A |
is_null | (any) => boolean | types | A |
type_name | (any) => string | types | A |
base64.encode | (string) => string | encoding | A |
base64.decode | (string) => string | encoding | A |
base64.is_valid | (string) => boolean | encoding | A |
base64url.encode | (string) => string | encoding | A |
base64url.encode_no_pad | (string) => string | encoding | B |
base64url.decode | (string) => string | encoding | A |
hex.encode | (string) => string | encoding | B |
hex.decode | (string) => string | encoding | B |
urlquery.encode | (string) => string | encoding | B |
urlquery.decode | (string) => string | encoding | B |
urlquery.encode_object | (object[string: ${STRS}]) => string | encoding | B |
urlquery.decode_object | (string) => object[string: array[string]] | encoding | B |
json.marshal | (any) => string | encoding | A |
json.marshal_with_options | (any, object<indent: string, prefix: string, pretty: boolean>[string: any]) => string | encoding | B |
json.unmarshal | (string) => any | encoding | A |
json.is_valid | (string) => boolean | encoding | A |
yaml.marshal | (any) => string | encoding | A |
yaml.unmarshal | (string) => any | encoding | A |
yaml.is_valid | (string) => boolean | encoding | A |
io.jwt.encode_sign | (${SOBJ}, ${SOBJ}, ${SOBJ}) => string | tokensign | C | nd
io.jwt.encode_sign_raw | (string, string, string) => string | tokensign | C | nd
io.jwt.decode | (string) => array<${OBJ}, ${OBJ}, string> | tokens | C |
io.jwt.decode_verify | (string, ${SOBJ}) => array<boolean, ${OBJ}, ${OBJ}> | tokens | C | nd
io.jwt.verify_rs256 | (string, string) => boolean | tokens | C |
io.jwt.verify_rs384 | (string, string) => boolean | tokens | C |
io.jwt.verify_rs512 | (string, string) => boolean | tokens | C |
io.jwt.verify_ps256 | (string, string) => boolean | tokens | C |
io.jwt.verify_ps384 | (string, string) => boolean | tokens | C |
io.jwt.verify_ps512 | (string, string) => boolean | tokens | C |
io.jwt.verify_es256 | (string, string) => boolean | tokens | C |
io.jwt.verify_es384 | (string, string) => boolean | tokens | C |
io.jwt.verify_es512 | (string, string) => boolean | tokens | C |
io.jwt.verify_hs256 | (string, string) => boolean | tokens | C |
io.jwt.verify_hs384 | (string, string) => boolean | tokens | C |
io.jwt.verify_hs512 | (string, string) => boolean | tokens | C |
io.jwt.verify_eddsa | (string, string) => boolean | tokens | C |
time.now_ns | () => number | time | C | nd
time.parse_ns | (string, string) => number | time | C |
time.parse_rfc3339_ns | (string) => number | time | C |
time.parse_duration_ns | (string) => number | time | C |
time.format | (any<number, array<number, string>, array<number, string, string>>) => string | time | C |
time.date | (${TIME_ARG}) => array<number, number, number> | time | C |
time.clock | (${TIME_ARG}) => array<number, number, number> | time | C |
time.weekday | (${TIME_ARG}) => string | time | C |
time.add_date | (number, number, number, number) => number | time | C |
time.diff | (${TIME_ARG}, ${TIME_ARG}) => array<number, number, number, number, number, number> | time | C |
crypto.x509.parse_certificates | (string) => array[${SOBJ}] | crypto | C |
crypto.x509.parse_and_verify_certificates | (string) => array<boolean, array[${SOBJ}]> | crypto | C |
crypto.x509.parse_and_verify_certificates_with_options | (string, ${SOBJ}) => array<boolean, array[${SOBJ}]> | crypto | C |
crypto.x509.parse_certificate_request | (string) => ${SOBJ} | crypto | C |
crypto.x509.parse_keypair | (string, string) => ${SOBJ} | crypto | C |
crypto.x509.parse_rsa_private_key | (string) => ${SOBJ} | crypto | C |
crypto.parse_private_keys | (string) => array[${SOBJ}] | crypto | C |
crypto.md5 | (string) => string | crypto | C |
crypto.sha1 | (string) => string | crypto | C |
crypto.sha256 | (string) => string | crypto | C |
crypto.hmac.md5 | (string, string) => string | crypto | C |
crypto.hmac.sha1 | (string, string) => string | crypto | C |
crypto.hmac.sha256 | (string, string) => string | crypto | C |
crypto.hmac.sha512 | (string, string) => string | crypto | C |
crypto.hmac.equal | (string, string) => boolean | crypto | C |
walk | (any) => array<array[any], any> | graph | A | rel
graph.reachable | (object[any: ${COLL}], ${COLL}) => set[any] | graph | A |
graph.reachable_paths | (object[any: ${COLL}], ${COLL}) => set[array[any]] | graph | B |
graphql.is_valid | (${STR_OR_OBJ}, ${STR_OR_OBJ}) => boolean | graphql | C |
graphql.parse | (${STR_OR_OBJ}, ${STR_OR_OBJ}) => array<${OBJ}, ${OBJ}> | graphql | C |
graphql.parse_and_verify | (${STR_OR_OBJ}, ${STR_OR_OBJ}) => array<boolean, ${OBJ}, ${OBJ}> | graphql | C |
graphql.parse_query | (string) => ${OBJ} | graphql | C |
graphql.parse_schema | (string) => ${OBJ} | graphql | C |
graphql.schema_is_valid | (${STR_OR_OBJ}) => boolean | graphql | C |
http.send | (${SOBJ}) => ${OBJ} | http | C | nd
providers.aws.sign_req | (${SOBJ}, ${SOBJ}, number) => ${OBJ} | providers.aws | C |
net.cidr_contains | (string, string) => boolean | net | A |
net.cidr_intersects | (string, string) => boolean | net | A |
net.cidr_contains_matches | (${CIDR_TERMS}, ${CIDR_TERMS}) => set[array<any, any>] | net | B |
net.cidr_expand | (string) => set[string] | net | B |
net.cidr_is_valid | (string) => boolean | net | B |
net.cidr_merge | (any<array[string], set[string]>) => set[string] | net | B |
net.cidr_overlap | (string, string) => boolean | net | B | dep
net.lookup_ip_addr | (string) => set[string] | net | C | nd
uri.is_valid | (string) => boolean | uri | B |
uri.parse | (string) => object[string: string] | uri | B |
uuid.rfc4122 | (string) => string | uuid | C | nd
uuid.parse | (string) => ${SOBJ} | uuid | C |
semver.is_valid | (any) => boolean | semver | B |
semver.compare | (string, string) => number | semver | B |
json.verify_schema | (${STR_OR_OBJ}) => array<boolean, any<null, string>> | jsonschema | C |
json.match_schema | (${STR_OR_OBJ}, ${STR_OR_OBJ}) => array<boolean, array[object<desc: string, error: string, field: string, type: string>]> | jsonschema | C |
rego.parse_module | (string, string) => ${SOBJ} | rego | C |
rego.metadata.chain | () => array[any] | rego | B |
rego.metadata.rule | () => any | rego | B |
opa.runtime | () => ${SOBJ} | opa | C | nd
trace | (string) => boolean | tracing | B |
print | (...any) | tracing | B |
internal.print | (array[set[any]]) | tracing | B |
internal.member_2 | (any, any) => boolean | internal | A | infix=in
internal.member_3 | (any, any, any) => boolean | internal | A | infix=in
internal.test_case | (array[any]) | internal | B |
test.sleep | (string) => null | test | C |
`;

function buildTable(text: string): ReadonlyMap<string, BuiltinDecl> {
  const table = new Map<string, BuiltinDecl>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const [name, sig, category, tier, flagText] = `${line} `.split(" | ").map((s) => s.trim());
    if (!name || !sig || !category || (tier !== "A" && tier !== "B" && tier !== "C")) {
      throw new Error(`builtin table: malformed line ${JSON.stringify(line)}`);
    }
    const decl = parseType(sig);
    if (decl.kind !== "function") throw new Error(`builtin table: ${name} is not a function type`);
    const flags = (flagText ?? "").split(/\s+/).filter((f) => f !== "");
    const entry: BuiltinDecl = {
      name,
      decl,
      category,
      tier,
      nondeterministic: flags.includes("nd"),
      deprecated: flags.includes("dep"),
      relation: flags.includes("rel"),
    };
    const infix = flags.find((f) => f.startsWith("infix="));
    if (infix) entry.infix = infix.slice("infix=".length);
    if (table.has(name)) throw new Error(`builtin table: duplicate ${name}`);
    table.set(name, Object.freeze(entry));
  }
  return table;
}

/** Every builtin, keyed by full name. */
export const BUILTINS: ReadonlyMap<string, BuiltinDecl> = buildTable(TABLE_TEXT);

/** The declaration of a builtin by full name (`count`, `strings.replace_n`), or undefined. */
export function lookupBuiltin(name: string): BuiltinDecl | undefined {
  return BUILTINS.get(name);
}

/** Number of fixed arguments of a builtin's signature; `variadic` is true when more are accepted. */
export function builtinArity(b: BuiltinDecl): { args: number; variadic: boolean } {
  return { args: b.decl.args.length, variadic: b.decl.variadic !== undefined };
}

/** Whether some builtin's full name starts with `prefix.` (e.g. `io.jwt`), so `prefix` names a namespace. */
export function isBuiltinNamespace(prefix: string): boolean {
  const p = `${prefix}.`;
  for (const name of BUILTINS.keys()) if (name.startsWith(p)) return true;
  return false;
}
