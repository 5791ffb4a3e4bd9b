/**
 * The "value text" calling convention of host builtins that need what JSON cannot carry: sets and exact
 * integers. The SDK's `opa_builtinN` protocol hands host builtins JSON (sets become arrays, numbers become
 * JS numbers), so for these builtins the generated code passes each argument as a string holding the value
 * in Rego value syntax (`{"a", "b"}`, `set()`, `9223372036854775807`) and reads the result back the same way.
 * They are registered under `valueTextName(name)`, a name no OPA-compiled module asks for (and one the SDK's
 * own JS builtins cannot shadow); under their plain names they keep the JSON convention.
 *
 * Values: sets are `RegoSet`s, integers beyond 2^53 are `bigint`s, objects with non-string keys use the
 * key's JSON text (as the JSON convention does).
 */
import { builtinError, jsonText, sortedUnique, type HostFn, type Json } from "./operands.js";
import { RegoSet } from "./rego-set.js";

/** The builtins called with the value-text convention by Fleetward's generated code. */
export const VALUE_TEXT_BUILTINS: ReadonlySet<string> = new Set([
  "json.patch", "net.cidr_contains_matches",
  "bits.and", "bits.or", "bits.xor", "bits.negate", "bits.lsh", "bits.rsh",
  "yaml.marshal", "yaml.unmarshal", "yaml.is_valid",
  // The SDK's own JS `regex.split` (JavaScript's backtracking RegExp) would shadow the plain name.
  "regex.split",
  // A request body may hold sets, and the signed request keeps them.
  "providers.aws.sign_req",
  // Instants are int64 nanoseconds: beyond 2^53 a JS number would round them.
  "time.format", "time.date", "time.clock", "time.weekday", "time.add_date", "time.diff",
  // Its result is a set.
  "net.lookup_ip_addr",
]);

/** The name a value-text builtin is registered and imported under. */
export function valueTextName(name: string): string {
  return `${name}#value-text`;
}

/** Wraps a JSON-convention implementation (that understands `RegoSet`s and bigints) for the value-text convention. */
export function valueTextBuiltin(fn: HostFn): HostFn {
  return (...texts: Json[]) => {
    const result = fn(...texts.map((t) => {
      if (typeof t !== "string") throw builtinError(`value-text builtin: argument is not Rego value text`);
      return parseValueText(t);
    }));
    return result === undefined ? undefined : formatValueText(result);
  };
}

/** Parses Rego value text (JSON plus sets `{a, b}` / `set()` and non-string object keys). */
export function parseValueText(text: string): Json {
  let pos = 0;
  const fail = (): never => {
    throw builtinError(`invalid Rego value text at offset ${pos}`);
  };
  const ws = (): void => {
    while (pos < text.length && " \t\r\n".includes(text[pos] as string)) pos++;
  };
  const eat = (c: string): boolean => {
    ws();
    if (text[pos] !== c) return false;
    pos++;
    return true;
  };
  const value = (): Json => {
    ws();
    const c = text[pos];
    if (c === "[") {
      pos++;
      const items: Json[] = [];
      if (eat("]")) return items;
      do items.push(value()); while (eat(",") && !peek("]"));
      if (!eat("]")) fail();
      return items;
    }
    if (c === "{") {
      pos++;
      if (eat("}")) return {};
      const first = value();
      if (eat(":")) {
        const obj: Record<string, Json> = {};
        let key = first;
        for (;;) {
          obj[typeof key === "string" ? key : formatValueText(key)] = value();
          if (!eat(",") || peek("}")) break;
          key = value();
          if (!eat(":")) fail();
        }
        if (!eat("}")) fail();
        return obj;
      }
      const items: Json[] = [first];
      while (eat(",") && !peek("}")) items.push(value());
      if (!eat("}")) fail();
      return new RegoSet(items);
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(pos));
      if (!m) return fail();
      pos += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    for (const [word, v] of [["set()", new RegoSet([])], ["true", true], ["false", false], ["null", null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!m) return fail();
    pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const n = BigInt(m[0]);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    return Number(m[0]);
  };
  const peek = (c: string): boolean => {
    ws();
    return text[pos] === c;
  };
  const v = value();
  ws();
  if (pos !== text.length) fail();
  return v;
}

/** Rego value text of a host builtin value. */
export function formatValueText(v: Json): string {
  if (v instanceof RegoSet) return v.items.length === 0 ? "set()" : `{${v.items.map(formatValueText).join(",")}}`;
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(formatValueText).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${formatValueText(x)}`).join(",")}}`;
  }
  if (typeof v === "number" && !Number.isFinite(v)) throw builtinError("result is not a finite number");
  return JSON.stringify(v) ?? "null";
}

/**
 * A result for the JSON convention: as is when it is plain JSON, else JSON text (sets as sorted arrays,
 * big integers exact) that the SDK parses without converting numbers.
 */
export function jsonResult(v: Json): Json {
  if (!needsText(v)) return v;
  return jsonText(formatJson(v));
}

function needsText(v: Json): boolean {
  if (v instanceof RegoSet || typeof v === "bigint") return true;
  if (Array.isArray(v)) return v.some(needsText);
  if (v !== null && typeof v === "object" && !(v instanceof ArrayBuffer)) return Object.values(v).some(needsText);
  return false;
}

function formatJson(v: Json): string {
  if (v instanceof RegoSet) return formatJson(sortedUnique(v.items));
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(formatJson).join(",")}]`;
  if (v !== null && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${formatJson(x)}`).join(",")}}`;
  return JSON.stringify(v) ?? "null";
}
