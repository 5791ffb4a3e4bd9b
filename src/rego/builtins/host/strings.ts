/** Host builtins of the strings family (code points, not UTF-16 units, where OPA counts characters). */
import { TemplateError, renderGoTemplate } from "./go-template.js";
import { arr, builtinError, num, obj, str, type HostBuiltinFamily } from "./operands.js";

export const stringBuiltins: HostBuiltinFamily = {
  concat: (sep, xs) => arr("concat", 1, xs).map((x, i) => str("concat", i, x)).join(str("concat", 0, sep)),
  contains: (s, sub) => str("contains", 0, s).includes(str("contains", 1, sub)),
  startswith: (s, p) => str("startswith", 0, s).startsWith(str("startswith", 1, p)),
  endswith: (s, p) => str("endswith", 0, s).endsWith(str("endswith", 1, p)),
  lower: (s) => str("lower", 0, s).toLowerCase(),
  upper: (s) => str("upper", 0, s).toUpperCase(),
  split: (s, d) => str("split", 0, s).split(str("split", 1, d)),
  replace: (s, o, n) => str("replace", 0, s).split(str("replace", 1, o)).join(str("replace", 2, n)),
  trim_space: (s) => str("trim_space", 0, s).trim(),
  indexof: (s, sub) => {
    const text = str("indexof", 0, s);
    const i = text.indexOf(str("indexof", 1, sub));
    return i < 0 ? -1 : [...text.slice(0, i)].length;
  },
  substring: (s, start, len) => {
    const a = [...str("substring", 0, s)];
    const st = num("substring", 1, start);
    const l = num("substring", 2, len);
    if (st < 0) throw builtinError("substring: negative offset");
    return l < 0 ? a.slice(st).join("") : a.slice(st, st + l).join("");
  },
  "strings.reverse": (s) => [...str("strings.reverse", 0, s)].reverse().join(""),
  format_int: (x, base) => Math.trunc(num("format_int", 0, x)).toString(num("format_int", 1, base)),
  "strings.render_template": (t, vars) => {
    const template = str("strings.render_template", 0, t);
    const data = obj("strings.render_template", 1, vars);
    try {
      return renderGoTemplate(template, data);
    } catch (e) {
      if (e instanceof TemplateError) throw builtinError(`strings.render_template: ${e.message}`);
      throw e;
    }
  },
};
