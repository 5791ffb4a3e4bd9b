/**
 * Places a data file's value in the `data` document at its directory's path, as OPA's loader does
 * (`roles/bindings/data.json` → `data.roles.bindings`): objects merge recursively, any other overlap is a conflict.
 * Keys are set as own properties, so a `__proto__` key in hostile data stays plain data.
 */
import { BundleError } from "./bundle-error.js";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function mergeInto(into: Record<string, unknown>, from: Record<string, unknown>, path: string[], entry: string): void {
  for (const key of Object.keys(from)) {
    const value = from[key];
    const here = has(into, key) ? into[key] : undefined;
    if (here === undefined) setOwn(into, key, value);
    else if (isObject(here) && isObject(value)) {
      const copy: Record<string, unknown> = {};
      mergeInto(copy, here, [...path, key], entry);
      mergeInto(copy, value, [...path, key], entry);
      setOwn(into, key, copy);
    } else {
      throw new BundleError("bundle_data_invalid", `data.${[...path, key].join(".")} is defined by more than one data file`, entry);
    }
  }
}

/** Merges `value` into `data` at `segments` (mutates `data`). Throws BundleError `bundle_data_invalid`. */
export function placeBundleData(data: Record<string, unknown>, segments: readonly string[], value: unknown, entry: string): void {
  if (segments.length === 0) {
    if (!isObject(value)) throw new BundleError("bundle_data_invalid", "a data file at the root of the bundle must hold an object", entry);
    mergeInto(data, value, [], entry);
    return;
  }
  let wrapped: unknown = value;
  for (let i = segments.length - 1; i >= 0; i--) {
    const o: Record<string, unknown> = {};
    setOwn(o, segments[i] as string, wrapped);
    wrapped = o;
  }
  mergeInto(data, wrapped as Record<string, unknown>, [], entry);
}
