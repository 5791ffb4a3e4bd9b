/**
 * The content-hash name suffix Kustomize gives generated ConfigMaps and Secrets (`cm` → `cm-4b8f9c7k2m`).
 *
 * - `contentHash(object) → string`: 10 characters. The object is encoded as Go's `encoding/json` would encode a map
 *   of its hashed fields (ConfigMap: `kind`, `name`, `data`, `binaryData` when a map; Secret: `kind`, `type`, `name`,
 *   `data`, `stringData` when a map; any other kind: the whole object), where `name` is always "" (Kustomize's
 *   lookup of `metadata/name` finds nothing, so the name never changes the hash: measured with v5.5.0), keys sorted by their UTF-8 bytes, `<`, `>`,
 *   `&`, U+2028 and U+2029 escaped; the first 10 hex digits of its SHA-256 then have 0,1,3,a,e replaced by g,h,k,m,t
 *   (so that the suffix never reads as a number or a word).
 * - `goJson(value) → string`: that encoding of any plain JSON value.
 * Call it when Kustomize does: once the root's transformers have run, on the final name and data.
 */
import { createHash } from "node:crypto";
import { isPlainObject, type JsonObject } from "../fieldspec/fieldspec.js";

const utf8 = new TextEncoder();
const byUtf8 = (a: string, b: string): number => Buffer.compare(utf8.encode(a), utf8.encode(b));

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort(byUtf8)) out[key] = sortKeys(value[key]);
  return out;
}

const GO_ESCAPES: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };

export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}

/** A field as Kustomize's hasher reads it: a map stays a map, a missing field is "", a scalar is its text. */
function hashedField(value: unknown): unknown {
  if (value === undefined) return "";
  if (isPlainObject(value)) return value;
  if (Array.isArray(value)) return null; // Kustomize reads it into a map, which fails and leaves nil
  return value === null ? "" : String(value);
}

function hashedFields(object: JsonObject): unknown {
  // Kustomize looks the name up as one field called "metadata/name", which no object has: the name is always "".
  const name = "";
  if (object["kind"] === "ConfigMap") {
    const fields: JsonObject = { kind: "ConfigMap", name, data: hashedField(object["data"]) };
    if (isPlainObject(object["binaryData"])) fields["binaryData"] = object["binaryData"];
    return fields;
  }
  if (object["kind"] === "Secret") {
    const fields: JsonObject = { kind: "Secret", type: hashedField(object["type"]), name, data: hashedField(object["data"]) };
    if (isPlainObject(object["stringData"])) fields["stringData"] = object["stringData"];
    return fields;
  }
  return object;
}

const SUFFIX_LETTERS: Record<string, string> = { "0": "g", "1": "h", "3": "k", a: "m", e: "t" };

export function contentHash(object: JsonObject): string {
  const hex = createHash("sha256").update(goJson(hashedFields(object)), "utf8").digest("hex");
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => SUFFIX_LETTERS[c]!);
}
