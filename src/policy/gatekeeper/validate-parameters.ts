import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { FieldPathSegment, JsonObject } from "../manifests/manifest-types.js";

export interface ParameterError {
  /** Path inside spec.parameters (empty for the parameters object itself). */
  path: FieldPathSegment[];
  message: string;
}

export type ParameterValidation = { ok: true } | { ok: false; errors: ParameterError[] } | { ok: false; schemaError: string };

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
const cache = new WeakMap<JsonObject, ValidateFunction | string>();

function compile(schema: JsonObject): ValidateFunction | string {
  const known = cache.get(schema);
  if (known !== undefined) return known;
  let out: ValidateFunction | string;
  try {
    out = ajv.compile(schema);
  } catch (err) {
    out = err instanceof Error ? err.message : String(err);
  }
  cache.set(schema, out);
  return out;
}

function toPath(instancePath: string, value: unknown): FieldPathSegment[] {
  if (instancePath === "") return [];
  const out: FieldPathSegment[] = [];
  let cur: unknown = value;
  for (const raw of instancePath.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur) && /^\d+$/.test(seg)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function describe(e: ErrorObject, path: FieldPathSegment[]): ParameterError {
  if (e.keyword === "required" && typeof e.params.missingProperty === "string") {
    return { path, message: `missing required field "${e.params.missingProperty}"` };
  }
  if (e.keyword === "additionalProperties" && typeof e.params.additionalProperty === "string") {
    return { path: [...path, e.params.additionalProperty], message: `unknown field "${e.params.additionalProperty}"` };
  }
  return { path, message: e.message ?? e.keyword };
}

/**
 * Validates a constraint's spec.parameters against the template's openAPIV3Schema with ajv (draft-07 semantics;
 * OpenAPI/Kubernetes extension keywords such as `x-kubernetes-*` are ignored, `nullable` is honoured, formats are not
 * checked).
 */
export function validateParameters(schema: JsonObject, parameters: unknown): ParameterValidation {
  const validate = compile(schema);
  if (typeof validate === "string") return { ok: false, schemaError: validate };
  if (validate(parameters)) return { ok: true };
  const errors = (validate.errors ?? []).map((e) => describe(e, toPath(e.instancePath, parameters)));
  return { ok: false, errors };
}
