/**
 * JSON text of an input value keeping only what a policy can observe (see `inputAccess`): under a path that is not
 * used whole, an object keeps just the keys the policy looks up (every member, each pruned, when the path is iterated:
 * `each`), an iterated array every element, each pruned; anything else (scalars, whole paths) is written in full. Evaluating the pruned text gives the same result as the full input, with less to encode and parse.
 */
import type { InputAccess } from "../planner/input-access.js";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function serializeInput(value: unknown, access: InputAccess): string {
  if (access.whole || value === null || typeof value !== "object" || typeof (value as { toJSON?: unknown }).toJSON === "function") return JSON.stringify(value);
  const each = access.each;
  if (Array.isArray(value)) {
    if (each === undefined) return JSON.stringify(value);
    // Elements (and holes) JSON.stringify writes as null stay null (serializeInput of them would give undefined).
    return `[${Array.from(value as unknown[], (v) => (v === undefined || typeof v === "function" || typeof v === "symbol" ? "null" : serializeInput(v, each))).join(",")}]`;
  }
  if (!isPlainObject(value)) return JSON.stringify(value);
  const members: Iterable<[string, InputAccess]> = each === undefined ? access.keys : Object.keys(value).map((k) => [k, access.keys.get(k) ?? each]);
  let out = "{";
  for (const [key, child] of members) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    if (out.length > 1) out += ",";
    out += `${JSON.stringify(key)}:${serializeInput(v, child)}`;
  }
  return `${out}}`;
}

/**
 * Whether a value's JSON nests more than `limit` arrays and objects: such a value fails to parse in the module as a
 * whole, while its pruned text may not (the deep part left out), so callers that must fail alike check this first.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false;
  const json: unknown = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === "function") return nestsDeeperThan((json as () => unknown).call(value), limit);
  if (limit === 0) return true;
  if (Array.isArray(value)) return value.some((v) => nestsDeeperThan(v, limit - 1));
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && nestsDeeperThan((value as Record<string, unknown>)[key], limit - 1)) return true;
  }
  return false;
}
