import type { FieldPathSegment } from "./manifest-types.js";

/**
 * Parses a field path such as `spec.template.spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]`
 * or `metadata.annotations['a.b/c']` into segments. Returns undefined for a malformed path.
 */
export function parseFieldPath(path: string): FieldPathSegment[] | undefined {
  const segments: FieldPathSegment[] = [];
  let i = 0;
  const n = path.length;
  if (n === 0) return [];
  let expectKey = true;
  while (i < n) {
    const c = path[i];
    if (c === "[") {
      const close = path.indexOf("]", i);
      if (close < 0) return undefined;
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (inner.length >= 2 && (inner[0] === '"' || inner[0] === "'") && inner[inner.length - 1] === inner[0]) {
        const quote = inner[0];
        const body = inner.slice(1, -1);
        if (body.includes(quote)) return undefined;
        segments.push(body);
      } else return undefined;
      i = close + 1;
      expectKey = false;
      continue;
    }
    if (c === ".") {
      if (expectKey) return undefined;
      i++;
      expectKey = true;
      continue;
    }
    if (!expectKey) return undefined;
    let j = i;
    while (j < n && path[j] !== "." && path[j] !== "[") j++;
    segments.push(path.slice(i, j));
    i = j;
    expectKey = false;
  }
  if (expectKey) return undefined;
  return segments;
}

/** Formats segments back into the dotted form (quoting keys that contain `.`, `[` or `]`). */
export function formatFieldPath(segments: readonly FieldPathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/[.[\]]/.test(s) || s === "") out += `["${s}"]`;
    else out += out === "" ? s : `.${s}`;
  }
  return out;
}
