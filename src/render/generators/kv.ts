/**
 * The key/value sources of a configMapGenerator/secretGenerator entry, read as Kustomize reads them:
 * - `parseLiteral("K=V")`: split at the first `=`; a value wrapped in matching `"` or `'` loses them; no `=` or a
 *   leading `=` is an error.
 * - `parseFileSource("path" | "key=path")`: the key is the path's last segment unless given; `=path`, `key=` and
 *   more than one `=` are errors.
 * - `parseEnvFile(text)`: one `KEY=VALUE` per line (LF or CRLF); a leading UTF-8 BOM on the first line, leading
 *   white space, blank lines and `#` comment lines are dropped; the value is everything after the first `=`, kept
 *   as written (quotes included); a line without `=` is the key with an empty value. Keys are not validated
 *   (Kustomize v5 accepts any).
 * Errors are `RenderError` `render_generator_source`.
 */
import { RenderError } from "../render-error.js";

export interface KvPair {
  key: string;
  value: string | Uint8Array;
}

const sourceError = (message: string): RenderError => new RenderError("render_generator_source", message);

export function parseLiteral(source: string): KvPair {
  const eq = source.indexOf("=");
  if (eq <= 0) throw sourceError(`invalid literal source '${source}', expected key=value`);
  return { key: source.slice(0, eq), value: unquote(source.slice(eq + 1)) };
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
  return value;
}

export function parseFileSource(source: string): { key: string; path: string } {
  const parts = source.split("=");
  if (parts.length === 1) return { key: source.slice(source.lastIndexOf("/") + 1), path: source };
  if (parts.length > 2) throw sourceError(`file source '${source}': a key name or file path contains '='`);
  const [key, path] = parts as [string, string];
  if (key === "") throw sourceError(`file source '${source}': missing key name for file path '${path}'`);
  if (path === "") throw sourceError(`file source '${source}': missing file path for key name '${key}'`);
  return { key, path };
}

/** Leading white space as Go's unicode.IsSpace sees it (JavaScript's \s also has U+FEFF, which Go keeps). */
const LEADING_SPACE = /^[^\S\uFEFF]+/;

export function parseEnvFile(text: string): KvPair[] {
  const pairs: KvPair[] = [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, i) => {
    let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (i === 0 && line.startsWith("\uFEFF")) line = line.slice(1);
    line = line.replace(LEADING_SPACE, "");
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key !== "") pairs.push({ key, value: eq < 0 ? "" : line.slice(eq + 1) });
  });
  return pairs;
}
