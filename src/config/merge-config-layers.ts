/**
 * Deep merge of layer values, lowest precedence first: mappings merge key by key, arrays and scalars
 * replace, and an explicit `null` removes the key so that the built-in default applies again.
 */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A copy with every `null`-valued mapping key removed (array items are kept as they are). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (isPlainObject(item) ? withoutNulls(item) : item));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    out[k] = withoutNulls(v);
  }
  return out;
}

function mergeTwo(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return withoutNulls(over);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = k in out ? mergeTwo(out[k], v) : withoutNulls(v);
  }
  return out;
}

/** Merges plain YAML values; the last one wins. Never mutates its inputs. */
export function mergeConfigLayers(values: readonly unknown[]): Record<string, unknown> {
  let acc: unknown = {};
  for (const v of values) acc = mergeTwo(acc, v);
  return isPlainObject(acc) ? acc : {};
}
