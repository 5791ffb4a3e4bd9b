/**
 * Deep merge of layer values, lowest precedence first: mappings merge key by key, arrays and scalars
 * replace, and an explicit `null` resets the key so that the built-in default applies again. A reset key is
 * kept with the value `undefined`: the schema then applies its default (or reports a missing required
 * field), and an unknown key is still reported even when its value is empty.
 */

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Sets an own property even for keys such as `__proto__`, so YAML keys never touch prototypes. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy with every `null`-valued mapping key set to `undefined` (array items are kept as they are). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (isPlainObject(item) ? withoutNulls(item) : item));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    setOwn(out, k, v === null ? undefined : withoutNulls(v));
  }
  return out;
}

function mergeTwo(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return withoutNulls(over);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) setOwn(out, k, v);
  for (const [k, v] of Object.entries(over)) {
    if (v === null || v === undefined) setOwn(out, k, undefined);
    else setOwn(out, k, Object.prototype.hasOwnProperty.call(out, k) ? mergeTwo(out[k], v) : withoutNulls(v));
  }
  return out;
}

/** Merges plain YAML values; the last one wins. Never mutates its inputs. */
export function mergeConfigLayers(values: readonly unknown[]): Record<string, unknown> {
  let acc: unknown = {};
  for (const v of values) acc = mergeTwo(acc, v);
  return isPlainObject(acc) ? acc : {};
}
