/** Host builtins of the glob family (gobwas/glob syntax, as OPA uses it). */
import { arr, builtinError, str, type HostBuiltinFamily } from "./operands.js";

/** A glob pattern (gobwas/glob syntax as OPA uses it) as an anchored regular expression. */
function globRegex(pattern: string, delimiters: readonly string[]): RegExp {
  const esc = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  const notDelim = delimiters.length === 0 ? "[\\s\\S]" : `[^${delimiters.map(esc).join("")}]`;
  let out = "";
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\" && i + 1 < pattern.length) {
      out += esc(pattern[++i] as string);
    } else if (c === "*") {
      if (pattern[i + 1] === "*") {
        out += "[\\s\\S]*";
        i++;
      } else out += `${notDelim}*`;
    } else if (c === "?") out += notDelim;
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw builtinError("glob.match: unexpected end of input");
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      out += `[${negate ? "^" : ""}${body.replace(/\\/g, "\\\\").replace(/\]/g, "\\]")}]`;
      i = end;
    } else if (c === "{") {
      out += "(?:";
      depth++;
    } else if (c === "}" && depth > 0) {
      out += ")";
      depth--;
    } else if (c === "," && depth > 0) out += "|";
    else out += esc(c);
  }
  if (depth > 0) throw builtinError("glob.match: unexpected end of input");
  return new RegExp(`^${out}$`, "u");
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
    return globRegex(p, delims).test(str("glob.match", 2, match));
  },
  "glob.quote_meta": (s) => str("glob.quote_meta", 0, s).replace(GLOB_META, "\\$&"),
};
