/**
 * Builtins evaluated on the host (JavaScript), handed to the SDK as `customBuiltins`. Arguments arrive as
 * JSON (sets as arrays, numbers as JS numbers); results go back as JSON. Errors are `HostBuiltinError`s with
 * OPA's codes; in non-strict mode `eval_builtin_error`s make the call undefined.
 */
export class HostBuiltinError extends Error {
  constructor(readonly code: "eval_type_error" | "eval_builtin_error", message: string) {
    super(`${code}: ${message}`);
    this.name = "HostBuiltinError";
  }
}

type Json = unknown;
type HostFn = (...args: Json[]) => Json;

function typeName(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  switch (typeof v) {
    case "boolean": return "boolean";
    case "number": return "number";
    case "string": return "string";
    case "object": return "object";
    default: return "undefined";
  }
}

function need(name: string, i: number, v: Json, type: string): void {
  const t = typeName(v);
  const ok = type === "collection" ? t === "array" || t === "object" || t === "string" : t === type;
  if (!ok) throw new HostBuiltinError("eval_type_error", `${name}: operand ${i + 1} must be ${type} but got ${t}`);
}

function num(name: string, i: number, v: Json): number {
  need(name, i, v, "number");
  return v as number;
}

function str(name: string, i: number, v: Json): string {
  need(name, i, v, "string");
  return v as string;
}

function arr(name: string, i: number, v: Json): Json[] {
  if (!Array.isArray(v)) throw new HostBuiltinError("eval_type_error", `${name}: operand ${i + 1} must be one of {array, set} but got ${typeName(v)}`);
  return v;
}

function cmp(a: Json, b: Json): number {
  const order = ["null", "boolean", "number", "string", "array", "object"];
  const ta = order.indexOf(typeName(a));
  const tb = order.indexOf(typeName(b));
  if (ta !== tb) return ta - tb;
  if (typeof a === "number" || typeof a === "boolean") return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (typeof a === "string") return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = cmp(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0;
}

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
      if (end < 0) throw new HostBuiltinError("eval_builtin_error", `glob.match: unexpected end of input`);
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
  if (depth > 0) throw new HostBuiltinError("eval_builtin_error", "glob.match: unexpected end of input");
  return new RegExp(`^${out}$`, "u");
}

/** A json.filter/json.remove path: "a/b/c" or ["a", "b", "c"]. */
function jsonPath(name: string, p: Json): string[] {
  if (typeof p === "string") return p.replace(/^\//, "").split("/").filter((x) => x !== "").map((x) => x.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (Array.isArray(p)) return p.map((x) => (typeof x === "string" ? x : JSON.stringify(x)));
  throw new HostBuiltinError("eval_type_error", `${name}: operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`);
}

function childOf(v: Json, key: string): { found: boolean; value: Json } {
  if (Array.isArray(v)) {
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 && i < v.length ? { found: true, value: v[i] } : { found: false, value: undefined };
  }
  if (v !== null && typeof v === "object" && Object.prototype.hasOwnProperty.call(v, key)) return { found: true, value: (v as Record<string, Json>)[key] };
  return { found: false, value: undefined };
}

/** Non-empty paths grouped by their first key: head → the rest of each path. */
function groupByHead(paths: string[][]): Map<string, string[][]> {
  const byHead = new Map<string, string[][]>();
  for (const p of paths) {
    const list = byHead.get(p[0] as string) ?? [];
    list.push(p.slice(1));
    byHead.set(p[0] as string, list);
  }
  return byHead;
}

function filterPaths(v: Json, paths: string[][]): Json {
  if (paths.some((p) => p.length === 0)) return v;
  const byHead = groupByHead(paths);
  if (Array.isArray(v)) {
    const out: Json[] = [];
    v.forEach((x, i) => {
      const sub = byHead.get(String(i));
      if (sub) out.push(filterPaths(x, sub));
    });
    return out;
  }
  const out: Record<string, Json> = {};
  for (const [key, sub] of byHead) {
    const c = childOf(v, key);
    if (c.found) out[key] = filterPaths(c.value, sub);
  }
  return out;
}

function removePaths(v: Json, paths: string[][]): Json {
  if (paths.some((p) => p.length === 0)) return undefined;
  const byHead = groupByHead(paths);
  if (Array.isArray(v)) {
    const out: Json[] = [];
    v.forEach((x, i) => {
      const sub = byHead.get(String(i));
      if (!sub) out.push(x);
      else {
        const r = removePaths(x, sub);
        if (r !== undefined) out.push(r);
      }
    });
    return out;
  }
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, Json> = {};
  for (const [key, x] of Object.entries(v as Record<string, Json>)) {
    const sub = byHead.get(key);
    if (!sub) out[key] = x;
    else {
      const r = removePaths(x, sub);
      if (r !== undefined) out[key] = r;
    }
  }
  return out;
}

interface Cidr {
  v6: boolean;
  addr: bigint;
  bits: number;
  size: number;
}

/** An IPv4/IPv6 address (prefix length = full size) or CIDR. */
function parseCidr(name: string, text: string): Cidr {
  const [ip = "", prefix] = text.split("/");
  const bad = (): never => {
    throw new HostBuiltinError("eval_builtin_error", `${name}: invalid CIDR address: ${text}`);
  };
  let addr = 0n;
  let size: number;
  let v6 = false;
  if (ip.includes(":")) {
    v6 = true;
    size = 128;
    const halves = ip.split("::");
    if (halves.length > 2) bad();
    const head = halves[0] ? (halves[0] as string).split(":") : [];
    const tail = halves.length === 2 && halves[1] ? (halves[1] as string).split(":") : [];
    const missing = 8 - head.length - tail.length;
    if (missing < 0 || (halves.length === 1 && missing !== 0)) bad();
    const groups = [...head, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => "0"), ...tail];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) bad();
      addr = (addr << 16n) | BigInt(parseInt(g, 16));
    }
  } else {
    size = 32;
    const parts = ip.split(".");
    if (parts.length !== 4) bad();
    for (const p of parts) {
      if (!/^\d{1,3}$/.test(p) || Number(p) > 255) bad();
      addr = (addr << 8n) | BigInt(Number(p));
    }
  }
  let bits = size;
  if (prefix !== undefined) {
    if (!/^\d+$/.test(prefix) || Number(prefix) > size) bad();
    bits = Number(prefix);
  }
  return { v6, addr, bits, size };
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semverCompare(a: string, b: string): number {
  const ma = SEMVER.exec(a);
  const mb = SEMVER.exec(b);
  if (!ma) throw new HostBuiltinError("eval_builtin_error", `semver.compare: operand 1: string ${JSON.stringify(a)} is not a valid SemVer`);
  if (!mb) throw new HostBuiltinError("eval_builtin_error", `semver.compare: operand 2: string ${JSON.stringify(b)} is not a valid SemVer`);
  for (let i = 1; i <= 3; i++) {
    const x = BigInt(ma[i] as string);
    const y = BigInt(mb[i] as string);
    if (x !== y) return x < y ? -1 : 1;
  }
  const pa = ma[4];
  const pb = mb[4];
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1;
  const xs = pa.split(".");
  const ys = pb.split(".");
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const x = xs[i];
    const y = ys[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function int(name: string, i: number, v: Json): number {
  const n = num(name, i, v);
  if (!Number.isInteger(n)) throw new HostBuiltinError("eval_type_error", `${name}: operand ${i + 1} must be integer number but got floating-point number`);
  return n;
}

/** Go's RE2 syntax differs a little from JS: named groups `(?P<n>…)` become `(?<n>…)`. */
function goRegex(p: string): string {
  return p.replace(/\(\?P</g, "(?<");
}

function regex(name: string, p: Json): RegExp {
  const text = str(name, 0, p);
  try {
    return new RegExp(goRegex(text), "u");
  } catch (e) {
    throw new HostBuiltinError("eval_builtin_error", `${name}: error parsing regexp: ${(e as Error).message}`);
  }
}

const UNIT_SCALES: Record<string, number> = {
  "": 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18,
  ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40, pi: 2 ** 50, ei: 2 ** 60,
};

/** `units.parse_bytes` ("10KB", "1.5Gi") and `units.parse` ("10k", "5m" = milli, "1Mi"). */
function parseUnits(name: string, text: string, bytes: boolean): number {
  const s = text.replace(/^"|"$/g, "");
  const m = /^([0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?)\s*([a-zA-Z]*)$/.exec(s.trim());
  const numText = m?.[1] ?? "";
  if (!m || numText === "" || numText === ".") {
    throw new HostBuiltinError("eval_builtin_error", `${name}: could not parse amount to a number`);
  }
  let unit = (m[2] ?? "");
  let scale: number | undefined;
  if (bytes) {
    unit = unit.toLowerCase();
    if (unit.endsWith("b")) unit = unit.slice(0, -1);
    scale = UNIT_SCALES[unit];
  } else if (unit === "m") scale = 1e-3;
  else if (unit === "M") scale = 1e6;
  else scale = UNIT_SCALES[unit.toLowerCase()] ?? (unit === "" ? 1 : undefined);
  if (scale === undefined) throw new HostBuiltinError("eval_builtin_error", `${name}: unit not recognized`);
  const value = Number(numText) * scale;
  return bytes ? Math.round(value) : value;
}

const BUILTINS: Record<string, HostFn> = {
  count: (x) => {
    if (typeof x === "string") return [...x].length;
    if (Array.isArray(x)) return x.length;
    if (x !== null && typeof x === "object") return Object.keys(x).length;
    throw new HostBuiltinError("eval_type_error", `count: operand 1 must be one of {array, object, set, string} but got ${typeName(x)}`);
  },
  sum: (xs) => arr("sum", 0, xs).reduce((s: number, x, i) => s + num("sum", i, x), 0),
  product: (xs) => arr("product", 0, xs).reduce((s: number, x, i) => s * num("product", i, x), 1),
  max: (xs) => { const a = arr("max", 0, xs); return a.length === 0 ? undefined : [...a].sort(cmp)[a.length - 1]; },
  min: (xs) => { const a = arr("min", 0, xs); return a.length === 0 ? undefined : [...a].sort(cmp)[0]; },
  sort: (xs) => [...arr("sort", 0, xs)].sort(cmp),
  abs: (x) => Math.abs(num("abs", 0, x)),
  round: (x) => Math.round(num("round", 0, x)),
  ceil: (x) => Math.ceil(num("ceil", 0, x)),
  floor: (x) => Math.floor(num("floor", 0, x)),
  plus: (a, b) => num("plus", 0, a) + num("plus", 1, b),
  minus: (a, b) => num("minus", 0, a) - num("minus", 1, b),
  mul: (a, b) => num("mul", 0, a) * num("mul", 1, b),
  div: (a, b) => {
    const x = num("div", 0, a);
    const y = num("div", 1, b);
    if (y === 0) throw new HostBuiltinError("eval_builtin_error", "div: divide by zero");
    return x / y;
  },
  rem: (a, b) => {
    const x = num("rem", 0, a);
    const y = num("rem", 1, b);
    if (!Number.isInteger(x) || !Number.isInteger(y)) throw new HostBuiltinError("eval_builtin_error", "rem: modulo on floating-point number");
    if (y === 0) throw new HostBuiltinError("eval_builtin_error", "rem: modulo by zero");
    return x % y;
  },
  to_number: (x) => {
    if (x === null) return 0;
    if (typeof x === "boolean") return x ? 1 : 0;
    if (typeof x === "number") return x;
    const s = str("to_number", 0, x);
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new HostBuiltinError("eval_builtin_error", `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
    return Number(s);
  },
  concat: (sep, xs) => arr("concat", 1, xs).map((x, i) => str("concat", i, x)).join(str("concat", 0, sep)),
  contains: (s, sub) => str("contains", 0, s).includes(str("contains", 1, sub)),
  startswith: (s, p) => str("startswith", 0, s).startsWith(str("startswith", 1, p)),
  endswith: (s, p) => str("endswith", 0, s).endsWith(str("endswith", 1, p)),
  lower: (s) => str("lower", 0, s).toLowerCase(),
  upper: (s) => str("upper", 0, s).toUpperCase(),
  split: (s, d) => str("split", 0, s).split(str("split", 1, d)),
  replace: (s, o, n) => str("replace", 0, s).split(str("replace", 1, o)).join(str("replace", 2, n)),
  trim_space: (s) => str("trim_space", 0, s).trim(),
  indexof: (s, sub) => { const a = [...str("indexof", 0, s)]; const t = str("indexof", 1, sub); const i = a.join("").indexOf(t); return i < 0 ? -1 : [...a.join("").slice(0, i)].length; },
  substring: (s, start, len) => {
    const a = [...str("substring", 0, s)];
    const st = num("substring", 1, start);
    const l = num("substring", 2, len);
    if (st < 0) throw new HostBuiltinError("eval_builtin_error", "substring: negative offset");
    return l < 0 ? a.slice(st).join("") : a.slice(st, st + l).join("");
  },
  "strings.reverse": (s) => [...str("strings.reverse", 0, s)].reverse().join(""),
  "array.concat": (a, b) => [...arr("array.concat", 0, a), ...arr("array.concat", 1, b)],
  "array.reverse": (a) => [...arr("array.reverse", 0, a)].reverse(),
  "array.slice": (a, s, e) => {
    const xs = arr("array.slice", 0, a);
    const st = Math.max(0, num("array.slice", 1, s));
    const en = Math.min(xs.length, num("array.slice", 2, e));
    return st >= en ? [] : xs.slice(st, en);
  },
  "object.get": (o, k, d) => {
    if (o === null || typeof o !== "object" || Array.isArray(o)) throw new HostBuiltinError("eval_type_error", `object.get: operand 1 must be object but got ${typeName(o)}`);
    const path = Array.isArray(k) ? k : [k];
    let cur: Json = o;
    for (const seg of path) {
      if (Array.isArray(cur) && typeof seg === "number" && Number.isInteger(seg) && seg >= 0 && seg < cur.length) cur = cur[seg];
      else if (cur !== null && typeof cur === "object" && !Array.isArray(cur) && typeof seg === "string" && Object.prototype.hasOwnProperty.call(cur, seg)) cur = (cur as Record<string, Json>)[seg];
      else return d;
    }
    return cur;
  },
  "object.keys": (o) => Object.keys(o as object),
  is_number: (x) => typeof x === "number",
  is_string: (x) => typeof x === "string",
  is_boolean: (x) => typeof x === "boolean",
  is_array: (x) => Array.isArray(x),
  is_object: (x) => x !== null && typeof x === "object" && !Array.isArray(x),
  is_null: (x) => x === null,
  type_name: (x) => typeName(x),
  "numbers.range": (a, b) => {
    const x = num("numbers.range", 0, a);
    const y = num("numbers.range", 1, b);
    const out: number[] = [];
    if (x <= y) for (let i = x; i <= y; i++) out.push(i);
    else for (let i = x; i >= y; i--) out.push(i);
    return out;
  },
  "units.parse_bytes": (x) => parseUnits("units.parse_bytes", str("units.parse_bytes", 0, x), true),
  "units.parse": (x) => parseUnits("units.parse", str("units.parse", 0, x), false),
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
  "bits.and": (a, b) => Number(BigInt(int("bits.and", 0, a)) & BigInt(int("bits.and", 1, b))),
  "bits.or": (a, b) => Number(BigInt(int("bits.or", 0, a)) | BigInt(int("bits.or", 1, b))),
  "bits.xor": (a, b) => Number(BigInt(int("bits.xor", 0, a)) ^ BigInt(int("bits.xor", 1, b))),
  "bits.negate": (a) => Number(~BigInt(int("bits.negate", 0, a))),
  "bits.lsh": (a, b) => Number(BigInt(int("bits.lsh", 0, a)) << BigInt(int("bits.lsh", 1, b))),
  "bits.rsh": (a, b) => Number(BigInt(int("bits.rsh", 0, a)) >> BigInt(int("bits.rsh", 1, b))),
  "array.flatten": (a) => arr("array.flatten", 0, a).flatMap((x) => (Array.isArray(x) ? x : [x])),
  "semver.is_valid": (v) => typeof v === "string" && SEMVER.test(v),
  "semver.compare": (a, b) => semverCompare(str("semver.compare", 0, a), str("semver.compare", 1, b)),
  "glob.match": (pattern, delimiters, match) => {
    const p = str("glob.match", 0, pattern);
    // OPA: null means no delimiters, an empty array the default ["."].
    let delims: string[] = [];
    if (delimiters !== null) delims = arr("glob.match", 1, delimiters).map((d, i) => str("glob.match", i, d));
    if (delimiters !== null && delims.length === 0) delims = ["."];
    return globRegex(p, delims).test(str("glob.match", 2, match));
  },
  "json.filter": (o, paths) => {
    if (o === null || typeof o !== "object" || Array.isArray(o)) throw new HostBuiltinError("eval_type_error", `json.filter: operand 1 must be object but got ${typeName(o)}`);
    if (!Array.isArray(paths)) throw new HostBuiltinError("eval_type_error", `json.filter: operand 2 must be one of {set, array} but got ${typeName(paths)}`);
    const ps = arr("json.filter", 1, paths).map((p) => jsonPath("json.filter", p));
    return filterPaths(o, ps);
  },
  "json.remove": (o, paths) => {
    if (o === null || typeof o !== "object" || Array.isArray(o)) throw new HostBuiltinError("eval_type_error", `json.remove: operand 1 must be object but got ${typeName(o)}`);
    if (!Array.isArray(paths)) throw new HostBuiltinError("eval_type_error", `json.remove: operand 2 must be one of {set, array} but got ${typeName(paths)}`);
    const ps = arr("json.remove", 1, paths).map((p) => jsonPath("json.remove", p));
    return removePaths(o, ps);
  },
  /** A relation: every [path, value] pair of the document (the planner iterates the array). */
  walk: (x) => {
    const out: Json[] = [];
    const visit = (path: Json[], v: Json): void => {
      out.push([path, v]);
      if (Array.isArray(v)) v.forEach((e, i) => visit([...path, i], e));
      else if (v !== null && typeof v === "object") for (const [key, e] of Object.entries(v as Record<string, Json>)) visit([...path, key], e);
    };
    visit([], x);
    return out;
  },
  "net.cidr_contains": (cidr, x) => {
    const outer = parseCidr("net.cidr_contains", str("net.cidr_contains", 0, cidr));
    const inner = parseCidr("net.cidr_contains", str("net.cidr_contains", 1, x));
    if (outer.v6 !== inner.v6) return false;
    return inner.bits >= outer.bits && (inner.addr >> BigInt(outer.size - outer.bits)) === (outer.addr >> BigInt(outer.size - outer.bits));
  },
  "net.cidr_intersects": (a, b) => {
    const x = parseCidr("net.cidr_intersects", str("net.cidr_intersects", 0, a));
    const y = parseCidr("net.cidr_intersects", str("net.cidr_intersects", 1, b));
    if (x.v6 !== y.v6) return false;
    const bits = Math.min(x.bits, y.bits);
    return (x.addr >> BigInt(x.size - bits)) === (y.addr >> BigInt(y.size - bits));
  },
  "net.cidr_is_valid": (c) => {
    if (typeof c !== "string" || !c.includes("/")) return false;
    try {
      parseCidr("net.cidr_is_valid", c);
      return true;
    } catch {
      return false;
    }
  },
  /** Nodes reachable from the initial ones (the set arrives and leaves as a sorted array). */
  "graph.reachable": (graph, initial) => {
    if (graph === null || typeof graph !== "object" || Array.isArray(graph)) throw new HostBuiltinError("eval_type_error", `graph.reachable: operand 1 must be object[any: any<array[any], set[any]>] but got ${typeName(graph)}`);
    const start = arr("graph.reachable", 1, initial);
    const g = graph as Record<string, Json>;
    const seen = new Map<string, Json>();
    const queue = [...start];
    while (queue.length > 0) {
      const node = queue.shift();
      const key = JSON.stringify(node);
      if (seen.has(key)) continue;
      if (typeof node !== "string" || !Object.prototype.hasOwnProperty.call(g, node)) continue;
      seen.set(key, node);
      const edges = g[node];
      if (Array.isArray(edges)) queue.push(...edges);
    }
    return [...seen.values()].sort(cmp);
  },
  format_int: (x, base) => Math.trunc(num("format_int", 0, x)).toString(num("format_int", 1, base)),
};

/** The host builtins, wrapped for the SDK: errors thrown as HostBuiltinError, builtin errors undefined unless strict. */
export function hostBuiltins(strict: boolean): Record<string, HostFn> {
  const out: Record<string, HostFn> = {};
  for (const [name, fn] of Object.entries(BUILTINS)) {
    out[name] = (...args: Json[]) => {
      try {
        return fn(...args);
      } catch (e) {
        if (e instanceof HostBuiltinError && e.code === "eval_builtin_error" && !strict) return undefined;
        throw e;
      }
    };
  }
  return out;
}
