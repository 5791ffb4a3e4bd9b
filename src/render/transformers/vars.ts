/**
 * `$(VAR)` substitution of Kustomize's `vars:` (the lookup of each var's value is CORE's, `src/render/vars.ts`):
 * `substituteVars(object, values, fieldSpecs = VAR_REFERENCE_SPECS, onSet?) → string[]` (the var names used).
 *
 * In every field the specs reach: a string is expanded; in a map, each string value; in a list, each element (an
 * element that is not a string is a `RenderError` `render_var_not_string`, as in Kustomize). Expansion is
 * Kubernetes': `$(NAME)` becomes the value of var NAME (its text inside a longer string; the value itself, number or
 * boolean included, when the string is exactly `$(NAME)`, except in annotations, always strings), `$$` becomes `$`, an unknown `$(NAME)` or an unclosed
 * `$(` stays as written. `onSet(pointer)` reports each field whose value changed.
 * `expandVars(text, lookup) → unknown` is that expansion of one string.
 */
import { VAR_REFERENCE_SPECS } from "../fieldspec/builtin-tables.js";
import { isPlainObject, pointerToken, visitFieldSpecs, type FieldSpec, type JsonObject } from "../fieldspec/fieldspec.js";
import { RenderError } from "../render-error.js";
import { inAnnotations } from "./scalar.js";

type Lookup = (name: string) => { found: boolean; value?: unknown };

export function expandVars(text: string, lookup: Lookup): unknown {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== "$" || i + 1 >= text.length) {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1]!;
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "(") {
      const close = text.indexOf(")", i + 2);
      if (close < 0) {
        out += "$(";
        i += 2;
        continue;
      }
      const name = text.slice(i + 2, close);
      const hit = lookup(name);
      if (hit.found && text === `$(${name})`) return hit.value;
      out += hit.found ? valueText(hit.value, name) : `$(${name})`;
      i = close + 1;
    } else {
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}

function valueText(value: unknown, name: string): string {
  if (isPlainObject(value) || Array.isArray(value)) {
    throw new RenderError("render_var_not_scalar", `var '${name}' has a map or list value and is used inside a string`);
  }
  return String(value);
}

export function substituteVars(
  object: JsonObject,
  values: ReadonlyMap<string, unknown>,
  fieldSpecs: readonly FieldSpec[] = VAR_REFERENCE_SPECS,
  onSet?: (pointer: string) => void,
): string[] {
  const used = new Set<string>();
  const lookup: Lookup = (name) => {
    if (!values.has(name)) return { found: false };
    used.add(name);
    return { found: true, value: values.get(name) };
  };
  const expand = (s: string, pointer: string): unknown => {
    const v = expandVars(s, lookup);
    if (v !== s) onSet?.(pointer);
    return inAnnotations(pointer) && typeof v !== "string" ? String(v) : v;
  };
  visitFieldSpecs(object, fieldSpecs, (value, pointer) => {
    if (typeof value === "string") return expand(value, pointer);
    if (Array.isArray(value)) {
      return value.map((item, i) => {
        if (typeof item !== "string") throw new RenderError("render_var_not_string", `${pointer}/${i}: invalid value type, expected a string`);
        return expand(item, `${pointer}/${i}`);
      });
    }
    if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) if (typeof v === "string") value[k] = expand(v, `${pointer}/${pointerToken(k)}`);
    }
    return undefined;
  });
  return [...used];
}
