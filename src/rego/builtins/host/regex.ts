/** Host builtins of the regex family. Patterns are Go RE2 syntax run on JavaScript's engine (with `u`). */
import { globsIntersect } from "./glob-intersection.js";
import { builtinError, num, str, type HostBuiltinFamily, type Json } from "./operands.js";

/** Go's RE2 syntax differs a little from JS: named groups `(?P<n>…)` become `(?<n>…)`. */
function goRegex(p: string): string {
  return p.replace(/\(\?P</g, "(?<");
}

function regex(name: string, p: Json): RegExp {
  const text = str(name, 0, p);
  try {
    return new RegExp(goRegex(text), "u");
  } catch (e) {
    throw builtinError(`${name}: error parsing regexp: ${(e as Error).message}`);
  }
}

/** A literal part of a `regex.template_match` template, escaped for a regular expression. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** `regex.template_match`: parts between the delimiters are regular expressions, the rest is literal. */
function templateRegex(template: string, open: string, close: string): RegExp {
  let source = "";
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf(open, i);
    if (start < 0) {
      source += escapeRegex(template.slice(i));
      break;
    }
    source += escapeRegex(template.slice(i, start));
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
    source += `(${goRegex(template.slice(start + open.length, end))})`;
    i = end + close.length;
  }
  try {
    return new RegExp(`^${source}$`, "u");
  } catch (e) {
    throw builtinError(`regex.template_match: ${(e as Error).message}`);
  }
}

export const regexBuiltins: HostBuiltinFamily = {
  "regex.is_valid": (p) => {
    if (typeof p !== "string") return false;
    try {
      new RegExp(goRegex(p), "u");
      return true;
    } catch {
      return false;
    }
  },
  "regex.match": (p, s) => regex("regex.match", p).test(str("regex.match", 1, s)),
  "regex.replace": (s, p, r) => str("regex.replace", 0, s).replace(new RegExp(regex("regex.replace", p).source, "gu"), str("regex.replace", 2, r).replace(/\$\{?(\w+)\}?/g, "$$<$1>").replace(/\$<(\d+)>/g, "$$$1")),
  "regex.split": (p, s) => str("regex.split", 1, s).split(new RegExp(regex("regex.split", p).source, "u")),
  "regex.find_n": (p, s, n) => {
    const all = [...str("regex.find_n", 1, s).matchAll(new RegExp(regex("regex.find_n", p).source, "gu"))].map((m) => m[0]);
    const k = num("regex.find_n", 2, n);
    return k < 0 ? all : all.slice(0, k);
  },
  "regex.find_all_string_submatch_n": (p, s, n) => {
    const all = [...str("regex.find_all_string_submatch_n", 1, s).matchAll(new RegExp(regex("regex.find_all_string_submatch_n", p).source, "gu"))].map((m) => [...m].map((g) => g ?? ""));
    const k = num("regex.find_all_string_submatch_n", 2, n);
    return k < 0 ? all : all.slice(0, k);
  },
  "regex.globs_match": (a, b) => globsIntersect("regex.globs_match", str("regex.globs_match", 0, a), str("regex.globs_match", 1, b)),
  "regex.template_match": (t, s, open, close) => {
    const name = "regex.template_match";
    const o = str(name, 2, open);
    const c = str(name, 3, close);
    if ([...o].length !== 1 || [...c].length !== 1) throw builtinError(`${name}: delimiters must be single characters`);
    return templateRegex(str(name, 0, t), o, c).test(str(name, 1, s));
  },
};
