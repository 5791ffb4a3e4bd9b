/**
 * Scalars as Kustomize's YAML nodes carry them: a value's text, and a text read back as a plain YAML scalar
 * (go-yaml v3 resolution: null, bool, int incl. 0x/0o/0b/leading-0 octal, float), for replacements that copy the
 * text of one field into another.
 * - `scalarText(value)`: the text of a string, number or boolean; "" for anything else (a map or list node's text).
 * - `resolvePlain(text)`: the typed value a plain scalar with that text reads as ("" stays "").
 * - `inAnnotations(pointer)`: the field is an annotation, which Kustomize always writes as a string.
 * - `retype(text, like, what)`: the text decoded with the type of `like` (the field it replaces), or `RenderError`
 *   `render_replacement_type` when it cannot be, as Kustomize ("cannot decode !!str `x` as a !!int").
 */
import { goParseInt } from "../kyaml.js";
import { RenderError } from "../render-error.js";

export function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return "";
}

const NULL = /^(?:~|null|Null|NULL)$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT = /^[-+]?(?:0[0-7_]+|0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^(?:([-+]?)\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

export function resolvePlain(text: string): unknown {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text.toLowerCase() === "true";
  if (INT.test(text)) return goParseInt(text);
  if (FLOAT.test(text)) return Number(text.replace(/_/g, ""));
  const special = SPECIAL_FLOAT.exec(text);
  if (special) return text.toLowerCase().includes("nan") ? NaN : special[1] === "-" ? -Infinity : Infinity;
  return text;
}

function tagOf(value: unknown): string {
  if (value === null || value === undefined) return "!!null";
  if (typeof value === "boolean") return "!!bool";
  if (typeof value === "number") return Number.isInteger(value) ? "!!int" : "!!float";
  if (typeof value === "bigint") return "!!int";
  return "!!str";
}

export function retype(text: string, like: unknown, what: string): unknown {
  const want = tagOf(like);
  if (want === "!!str") return text;
  const resolved = resolvePlain(text);
  const got = tagOf(resolved);
  if (got === want || (want === "!!float" && got === "!!int")) return resolved;
  throw new RenderError("render_replacement_type", `${what}: cannot decode ${got} \`${text}\` as a ${want}`);
}

export function inAnnotations(pointer: string): boolean {
  return pointer.startsWith("/metadata/annotations/");
}
