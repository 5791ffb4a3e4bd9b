/** Host builtins of the encoding family: json.marshal_with_options and urlquery objects. */
import { builtinError, isObject, str, typeError, typeName, type HostBuiltinFamily, type Json } from "./operands.js";

/** A copy with object keys in sorted order, as OPA serialises objects. */
function sortedKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys(v[k])]));
  return v;
}

interface MarshalOptions {
  pretty: boolean;
  prefix: string;
  indent: string;
}

function marshalOptions(opts: Json): MarshalOptions {
  const name = "json.marshal_with_options";
  if (!isObject(opts)) throw typeError(`${name}: operand 2 must be object but got ${typeName(opts)}`);
  let pretty: boolean | undefined;
  let prefix: string | undefined;
  let indent: string | undefined;
  for (const [key, value] of Object.entries(opts)) {
    if (key === "pretty") {
      if (typeof value !== "boolean") throw typeError(`${name}: pretty must be boolean but got ${typeName(value)}`);
      pretty = value;
    } else if (key === "prefix" || key === "indent") {
      if (typeof value !== "string") throw typeError(`${name}: ${key} must be string but got ${typeName(value)}`);
      if (key === "prefix") prefix = value;
      else indent = value;
    } else throw typeError(`${name}: object contained unknown key ${JSON.stringify(key)}`);
  }
  // Giving a prefix or an indent asks for pretty output unless pretty is explicitly false.
  return { pretty: pretty ?? (prefix !== undefined || indent !== undefined), prefix: prefix ?? "", indent: indent ?? "\t" };
}

/** Go's url.QueryEscape: unreserved characters stay, space becomes `+`, the rest is %XX of UTF-8 bytes. */
function queryEscape(s: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Go's url.QueryUnescape. */
function queryUnescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw builtinError(`urlquery.decode_object: invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === "+") bytes.push(0x20);
    else bytes.push(...new TextEncoder().encode(c));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

export const encodingBuiltins: HostBuiltinFamily = {
  "json.marshal_with_options": (value, opts) => {
    const o = marshalOptions(opts);
    const v = sortedKeys(value);
    if (!o.pretty) return JSON.stringify(v);
    return o.prefix + JSON.stringify(v, null, o.indent).replace(/\n/g, `\n${o.prefix}`);
  },
  "urlquery.encode_object": (x) => {
    const name = "urlquery.encode_object";
    if (!isObject(x)) throw typeError(`${name}: operand 1 must be object[string: any<string, array[string], set[string]>] but got ${typeName(x)}`);
    const parts: string[] = [];
    for (const key of Object.keys(x).sort()) {
      const v = x[key];
      const values = typeof v === "string" ? [v] : Array.isArray(v) ? v : undefined;
      if (!values) throw typeError(`${name}: operand 1 values must be strings, arrays or sets of strings but got ${typeName(v)}`);
      for (const item of values) {
        if (typeof item !== "string") throw typeError(`${name}: operand 1 values must be strings, arrays or sets of strings but got ${typeName(item)} in ${key}`);
        parts.push(`${queryEscape(key)}=${queryEscape(item)}`);
      }
    }
    return parts.join("&");
  },
  "urlquery.decode_object": (x) => {
    const out: Record<string, string[]> = {};
    for (const part of str("urlquery.decode_object", 0, x).split("&")) {
      if (part === "") continue;
      if (part.includes(";")) throw builtinError("urlquery.decode_object: invalid semicolon separator in query");
      const eq = part.indexOf("=");
      const key = queryUnescape(eq < 0 ? part : part.slice(0, eq));
      const value = queryUnescape(eq < 0 ? "" : part.slice(eq + 1));
      (out[key] ??= []).push(value);
    }
    return out;
  },
};

