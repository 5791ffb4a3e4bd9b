import type { ConftestError } from "./conftest-types.js";

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function merge(into: Record<string, unknown>, from: Record<string, unknown>, path: string[], file: string, errors: ConftestError[]): void {
  for (const [k, v] of Object.entries(from)) {
    const here = into[k];
    if (here === undefined) into[k] = v;
    else if (isPlain(here) && isPlain(v)) {
      const copy = { ...here };
      merge(copy, v, [...path, k], file, errors);
      into[k] = copy;
    } else {
      errors.push({ code: "conftest_data_conflict", message: `data.${[...path, k].join(".")} is already defined by another data file`, file });
    }
  }
}

/**
 * Merges `--data` files (already decoded) into the `data` document the way OPA's loader does: each file's top-level
 * object is merged at the root, objects merge recursively, any other overlap is a conflict.
 */
export function mergeConftestData(files: readonly { path: string; value: unknown }[]): { data: Record<string, unknown>; errors: ConftestError[] } {
  const data: Record<string, unknown> = {};
  const errors: ConftestError[] = [];
  for (const f of files) {
    if (f.value === null || f.value === undefined) continue;
    if (!isPlain(f.value)) {
      errors.push({ code: "conftest_data_not_object", message: "a data file must contain an object", file: f.path });
      continue;
    }
    merge(data, f.value, [], f.path, errors);
  }
  return { data, errors };
}
