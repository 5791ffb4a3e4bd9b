/**
 * `json.verify_schema` and `json.match_schema` with OPA's results: OPA uses gojsonschema (drafts 4, 6 and 7), whose
 * error types and messages are given here for errors ajv (draft-07 rules) reports. Schemas and documents are JSON
 * text or values. `format` is not checked (ajv-formats is not a dependency).
 */
import { createRequire } from "node:module";
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from "ajv";
import { builtinError, isObject, typeError, typeName, type HostBuiltinFamily, type Json } from "./operands.js";

const PRIMITIVES = ["array", "boolean", "integer", "number", "null", "object", "string"];

/** ajv, loaded by the first json.*_schema call (not for every policy). */
let ajvInstance: AjvClass | undefined;
function ajv(): AjvClass {
  if (ajvInstance === undefined) {
    const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
    ajvInstance = new Ajv({ allErrors: true, strict: false, validateFormats: false, validateSchema: true });
  }
  return ajvInstance;
}
const compiled = new Map<string, ValidateFunction>();

function jsonOperand(name: string, i: number, v: Json): Json {
  if (typeof v !== "string") {
    if (!isObject(v) && typeof v !== "boolean") throw typeError(`${name}: operand ${i + 1} must be one of {object, string} but got ${typeName(v)}`);
    return v;
  }
  try {
    return JSON.parse(v) as Json;
  } catch (e) {
    throw builtinError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** gojsonschema's check of `type` keywords, the one schema error OPA's cases show. */
function badPrimitive(schema: Json): string | undefined {
  if (Array.isArray(schema)) {
    for (const s of schema) {
      const bad = badPrimitive(s);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (!isObject(schema)) return undefined;
  for (const [k, v] of Object.entries(schema)) {
    if (k === "type") {
      for (const t of Array.isArray(v) ? v : [v]) {
        if (typeof t === "string" && !PRIMITIVES.includes(t)) return `has a primitive type that is NOT VALID -- given: /${t}/ Expected valid values are:[${PRIMITIVES.join(" ")}]`;
      }
    } else if (k !== "enum" && k !== "const" && k !== "default" && k !== "examples") {
      const bad = badPrimitive(v);
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}

/** Compiles a schema, or returns gojsonschema's message for why it is invalid. */
function compileSchema(schema: Json): ValidateFunction | string {
  const bad = badPrimitive(schema);
  if (bad !== undefined) return bad;
  const key = JSON.stringify(schema);
  const hit = compiled.get(key);
  if (hit) return hit;
  try {
    const fn = ajv().compile(schema as object);
    if (compiled.size >= 256) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, fn);
    return fn;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function goType(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (Array.isArray(v)) return "array";
  return v === null ? "null" : typeof v;
}

/** The JSON pointer `/a/0/b` as gojsonschema's field `a.0.b` (`(root)` for the document). */
function field(pointer: string): string {
  if (pointer === "") return "(root)";
  return pointer.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");
}

function valueAt(doc: unknown, pointer: string): unknown {
  let v = doc;
  for (const p of pointer === "" ? [] : pointer.slice(1).split("/")) v = (v as Record<string, unknown> | undefined)?.[p.replace(/~1/g, "/").replace(/~0/g, "~")];
  return v;
}

/** One ajv error as gojsonschema's `{desc, error, field, type}`. */
function describe(e: ErrorObject, doc: unknown): { desc: string; error: string; field: string; type: string } {
  const p = e.params as Record<string, unknown>;
  let f = field(e.instancePath);
  const list = (xs: unknown): string => (Array.isArray(xs) ? xs : [xs]).map((x) => JSON.stringify(x)).join(", ");
  let type: string;
  let desc: string;
  switch (e.keyword) {
    case "type": type = "invalid_type"; desc = `Invalid type. Expected: ${String(p.type).replace(/,/g, ", ")}, given: ${goType(valueAt(doc, e.instancePath))}`; break;
    case "required": type = "required"; desc = `${String(p.missingProperty)} is required`; f = e.instancePath === "" ? "(root)" : f; break;
    case "enum": type = "enum"; desc = `${f} must be one of the following: ${list(p.allowedValues)}`; break;
    case "const": type = "const"; desc = `${f} does not match: ${list(p.allowedValue)}`; break;
    case "minimum": type = "number_gte"; desc = `Must be greater than or equal to ${String(p.limit)}`; break;
    case "maximum": type = "number_lte"; desc = `Must be less than or equal to ${String(p.limit)}`; break;
    case "exclusiveMinimum": type = "number_gt"; desc = `Must be greater than ${String(p.limit)}`; break;
    case "exclusiveMaximum": type = "number_lt"; desc = `Must be less than ${String(p.limit)}`; break;
    case "multipleOf": type = "multiple_of"; desc = `Must be a multiple of ${String(p.multipleOf)}`; break;
    case "minLength": type = "string_gte"; desc = `String length must be greater than or equal to ${String(p.limit)}`; break;
    case "maxLength": type = "string_lte"; desc = `String length must be less than or equal to ${String(p.limit)}`; break;
    case "pattern": type = "pattern"; desc = `Does not match pattern '${String(p.pattern)}'`; break;
    case "minItems": type = "array_min_items"; desc = `Array must have at least ${String(p.limit)} items`; break;
    case "maxItems": type = "array_max_items"; desc = `Array must have at most ${String(p.limit)} items`; break;
    case "uniqueItems": type = "unique"; desc = `array items[${String(p.j)},${String(p.i)}] must be unique`; break;
    case "minProperties": type = "array_min_properties"; desc = `Must have at least ${String(p.limit)} properties`; break;
    case "maxProperties": type = "array_max_properties"; desc = `Must have at most ${String(p.limit)} properties`; break;
    case "additionalProperties": type = "additional_property_not_allowed"; desc = `Additional property ${String(p.additionalProperty)} is not allowed`; break;
    case "additionalItems": type = "array_no_additional_items"; desc = "No additional items allowed on array"; break;
    case "dependencies": type = "missing_dependency"; desc = `Has a dependency on ${String(p.missingProperty)}`; break;
    case "contains": type = "contains"; desc = "At least one of the items must match"; break;
    case "propertyNames": type = "invalid_property_name"; desc = `Property name of "${String(p.propertyName)}" does not match`; break;
    case "anyOf": type = "number_any_of"; desc = "Must validate at least one schema (anyOf)"; break;
    case "oneOf": type = "number_one_of"; desc = "Must validate one and only one schema (oneOf)"; break;
    case "not": type = "number_not"; desc = "Must not validate the schema (not)"; break;
    case "if": type = p.failingKeyword === "else" ? "condition_else" : "condition_then"; desc = `Must validate "${String(p.failingKeyword)}" as "if" was ${p.failingKeyword === "else" ? "not " : ""}valid`; break;
    case "false schema": type = "false"; desc = "False always fails validation"; break;
    default: type = e.keyword; desc = e.message ?? e.keyword;
  }
  return { desc, error: `${f}: ${desc}`, field: f, type };
}

export const jsonSchemaBuiltins: HostBuiltinFamily = {
  "json.verify_schema": (schema) => {
    const fn = compileSchema(jsonOperand("json.verify_schema", 0, schema));
    return typeof fn === "string" ? [false, `jsonschema: ${fn}`] : [true, null];
  },
  "json.match_schema": (document, schema) => {
    const doc = jsonOperand("json.match_schema", 0, document);
    const fn = compileSchema(jsonOperand("json.match_schema", 1, schema));
    if (typeof fn === "string") throw builtinError(`json.match_schema: ${fn}`);
    if (fn(doc)) return [true, []];
    // Errors of the branches of anyOf/oneOf/if are reported by gojsonschema only as the combinator's error.
    const errors = (fn.errors ?? []).filter((e) => !/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath));
    return [false, errors.map((e) => describe(e, doc))];
  },
};
