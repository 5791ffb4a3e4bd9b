/**
 * JSON text of an input value keeping only what a policy can observe (see `inputAccess`): under a path that is not
 * used whole, an object keeps just the keys the policy looks up; anything else (arrays, scalars, whole paths) is
 * written in full. Evaluating the pruned text gives the same result as the full input, with less to encode and parse.
 */
import type { InputAccess } from "../planner/input-access.js";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function serializeInput(value: unknown, access: InputAccess): string {
  if (access.whole || !isPlainObject(value) || typeof value.toJSON === "function") return JSON.stringify(value);
  let out = "{";
  for (const [key, child] of access.keys) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    if (out.length > 1) out += ",";
    out += `${JSON.stringify(key)}:${serializeInput(v, child)}`;
  }
  return `${out}}`;
}
