/** Host builtins of the regex family, with Go's regexp (RE2) semantics as OPA has them (see ./re2.ts). */
import { globsIntersect } from "./glob-intersection.js";
import { builtinError, num, str, type HostBuiltinFamily } from "./operands.js";
import { compileRe2, isValidRe2, quoteRe2, type Re2Pattern } from "./re2.js";

/** A name or number after `$` in a replacement: Go takes letters, digits and `_`. */
const WORD = /^[\p{L}\p{Nd}_]+/u;

/**
 * Go's `Regexp.Expand` of a `regex.replace` replacement for one match: `$1`, `${1}`, `$name`, `${name}` insert
 * groups (unknown or unmatched ones insert nothing; `$1x` is the group named `1x`), `$$` is a `$`, and a `$`
 * that starts no reference stays as it is.
 */
function expand(template: string, s: string, match: readonly number[], re: Re2Pattern): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf("$", i);
    if (dollar < 0) return out + template.slice(i);
    out += template.slice(i, dollar);
    if (template[dollar + 1] === "$") {
      out += "$";
      i = dollar + 2;
      continue;
    }
    const braced = template[dollar + 1] === "{";
    const start = dollar + (braced ? 2 : 1);
    const name = WORD.exec(template.slice(start))?.[0] ?? "";
    if (name === "" || (braced && template[start + name.length] !== "}")) {
      out += "$";
      i = dollar + 1;
      continue;
    }
    i = start + name.length + (braced ? 1 : 0);
    const group = /^(0|[1-9]\d{0,7})$/.test(name) ? Number(name) : re.groupNames.get(name);
    const from = group === undefined ? -1 : (match[2 * group] ?? -1);
    if (from >= 0) out += s.slice(from, match[2 * (group as number) + 1]);
  }
  return out;
}

/** Go's `ReplaceAllString`. */
function replaceAll(s: string, re: Re2Pattern, template: string): string {
  const matches = re.go.findAllSubmatchIndex(s, -1) ?? [];
  let out = "";
  let last = 0;
  for (const m of matches) {
    const [from, to] = m as [number, number];
    out += s.slice(last, from) + expand(template, s, m, re);
    last = to;
  }
  return out + s.slice(last);
}

/** Go's `Split(s, -1)`: the texts around the matches, an empty match at the start yielding no empty text. */
function split(s: string, re: Re2Pattern, pattern: string): string[] {
  if (pattern !== "" && s === "") return [""];
  const out: string[] = [];
  let begin = 0;
  let end = 0;
  for (const m of re.go.findAllSubmatchIndex(s, -1) ?? []) {
    const [from, to] = m as [number, number];
    end = from;
    if (to !== 0) out.push(s.slice(begin, end));
    begin = to;
  }
  if (end !== s.length) out.push(s.slice(begin));
  return out;
}

/** At most `n` results (all when `n` is negative), as Go's `Find…All…(s, n)`. */
function limit(name: string, n: unknown): number {
  const k = num(name, 2, n);
  return k < 0 ? -1 : k;
}

/** `regex.template_match`: parts between the delimiters are regular expressions, the rest is literal. */
function templatePattern(template: string, open: string, close: string): string {
  let source = "";
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf(open, i);
    if (start < 0) {
      source += quoteRe2(template.slice(i));
      break;
    }
    source += quoteRe2(template.slice(i, start));
    let depth = 0;
    let end = -1;
    for (let j = start; j < template.length; j++) {
      if (template.startsWith(open, j)) depth++;
      else if (template.startsWith(close, j) && --depth === 0) {
        end = j;
        break;
      }
    }
    if (end < 0) throw builtinError(`regex.template_match: unbalanced braces in ${JSON.stringify(template)}`);
    source += `(${template.slice(start + open.length, end)})`;
    i = end + close.length;
  }
  return `^${source}$`;
}

export const regexBuiltins: HostBuiltinFamily = {
  "regex.is_valid": (p) => typeof p === "string" && isValidRe2(p),
  "regex.match": (p, s) => compileRe2("regex.match", str("regex.match", 0, p)).go.match(str("regex.match", 1, s)),
  "regex.replace": (s, p, r) => {
    const name = "regex.replace";
    return replaceAll(str(name, 0, s), compileRe2(name, str(name, 1, p)), str(name, 2, r));
  },
  "regex.split": (p, s) => {
    const pattern = str("regex.split", 0, p);
    return split(str("regex.split", 1, s), compileRe2("regex.split", pattern), pattern);
  },
  "regex.find_n": (p, s, n) => {
    const name = "regex.find_n";
    const k = limit(name, n);
    return k === 0 ? [] : (compileRe2(name, str(name, 0, p)).go.findAll(str(name, 1, s), k) ?? []);
  },
  "regex.find_all_string_submatch_n": (p, s, n) => {
    const name = "regex.find_all_string_submatch_n";
    const k = limit(name, n);
    if (k === 0) return [];
    const all = compileRe2(name, str(name, 0, p)).go.findAllSubmatch(str(name, 1, s), k) ?? [];
    return all.map((groups) => groups.map((g) => g ?? ""));
  },
  "regex.globs_match": (a, b) => globsIntersect("regex.globs_match", str("regex.globs_match", 0, a), str("regex.globs_match", 1, b)),
  "regex.template_match": (t, s, open, close) => {
    const name = "regex.template_match";
    const o = str(name, 2, open);
    const c = str(name, 3, close);
    if ([...o].length !== 1 || [...c].length !== 1) throw builtinError(`${name}: delimiters must be single characters`);
    return compileRe2(name, templatePattern(str(name, 0, t), o, c)).go.match(str(name, 1, s));
  },
};
