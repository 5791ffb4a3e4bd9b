/** Host builtins of the glob family (gobwas/glob syntax, as OPA uses it). */
import { arr, builtinError, str, type HostBuiltinFamily } from "./operands.js";
import { compileRe2 } from "./re2.js";

/** One character escaped for an RE2 pattern (inside or outside a class): ASCII punctuation gets a backslash. */
function re2Char(c: string): string {
  return c.charCodeAt(0) < 0x80 && !/^[A-Za-z0-9]$/.test(c) ? `\\${c}` : c;
}

/** A `[…]` class body of a glob (`!` negates, `a-z` ranges, everything else literal) as an RE2 class. */
function re2Class(body: string): string {
  const negate = body.startsWith("!");
  const items = [...(negate ? body.slice(1) : body)].map((c) => (c === "-" ? c : re2Char(c))).join("");
  if (items === "") return negate ? "(?s:.)" : "[^\\x00-\\x{10FFFF}]";
  return `[${negate ? "^" : ""}${items}]`;
}

/**
 * A glob pattern (gobwas/glob syntax as OPA uses it) as an anchored RE2 pattern, matched in linear time
 * whatever the pattern (no backtracking on `*a*a*a…` or nested alternatives).
 */
function globPattern(pattern: string, delimiters: readonly string[]): string {
  const notDelim = delimiters.length === 0 ? "(?s:.)" : `[^${delimiters.map((d) => [...d].map(re2Char).join("")).join("")}]`;
  let out = "";
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\" && i + 1 < pattern.length) {
      out += re2Char(pattern[++i] as string);
    } else if (c === "*") {
      if (pattern[i + 1] === "*") {
        out += "(?s:.*)";
        i++;
      } else out += `${notDelim}*`;
    } else if (c === "?") out += notDelim;
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw builtinError("glob.match: unexpected end of input");
      out += re2Class(pattern.slice(i + 1, end));
      i = end;
    } else if (c === "{") {
      out += "(?:";
      depth++;
    } else if (c === "}" && depth > 0) {
      out += ")";
      depth--;
    } else if (c === "," && depth > 0) out += "|";
    else out += re2Char(c);
  }
  if (depth > 0) throw builtinError("glob.match: unexpected end of input");
  return `^${out}$`;
}

/** Characters with a meaning in glob patterns; `glob.quote_meta` escapes them with a backslash. */
const GLOB_META = /[*?\\[\]{}]/g;

export const globBuiltins: HostBuiltinFamily = {
  "glob.match": (pattern, delimiters, match) => {
    const p = str("glob.match", 0, pattern);
    // OPA: null means no delimiters, an empty array the default ["."].
    let delims: string[] = [];
    if (delimiters !== null) delims = arr("glob.match", 1, delimiters).map((d, i) => str("glob.match", i, d));
    if (delimiters !== null && delims.length === 0) delims = ["."];
    return compileRe2("glob.match", globPattern(p, delims)).go.match(str("glob.match", 2, match));
  },
  "glob.quote_meta": (s) => str("glob.quote_meta", 0, s).replace(GLOB_META, "\\$&"),
};
