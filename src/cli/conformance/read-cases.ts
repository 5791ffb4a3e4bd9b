/**
 * Reads OPA conformance test cases (`../shared/opa-conformance`): JSON files `{"cases": [...]}` and YAML
 * files with the same shape. Numbers are kept exact: a number that a JS double cannot represent exactly
 * (beyond 2^53, or with more significant digits than a double keeps) becomes an `ExactNumber` holding its
 * source text. Malformed files and cases are reported in `problems`, never thrown.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { CORE_SCHEMA, NOT_RESOLVED, defineScalarTag, floatCoreTag, intCoreTag, load } from "js-yaml";

/** A number kept as its (JSON) source text because a JS number would change its value. */
export class ExactNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return this.text;
  }
  toString(): string {
    return this.text;
  }
}

export type CaseValue = null | boolean | number | string | ExactNumber | CaseValue[] | { [key: string]: CaseValue };

export interface ConformanceCase {
  /** The file the case came from: the read directory's name, then the path below it (`v1/x/y.json`). */
  file: string;
  note: string;
  modules: string[];
  query: string;
  data?: CaseValue;
  input?: CaseValue;
  /** Input as Rego term text (may contain sets). */
  input_term?: string;
  want_result?: Array<Record<string, CaseValue>>;
  sort_bindings?: boolean;
  want_error?: string;
  want_error_code?: string;
  strict_error?: boolean;
  ignore_generated_vars?: boolean;
  env?: Record<string, string>;
}

export interface CaseProblem {
  file: string;
  message: string;
}

export interface ReadCasesResult {
  cases: ConformanceCase[];
  problems: CaseProblem[];
}

/** Canonical decimal form `sign|digits|exponent` of a number text, used to detect lossy conversion. */
function decimalKey(text: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const int = m[2] ?? "";
  const frac = m[3] ?? "";
  let digits = (int + frac).replace(/^0+/, "");
  if (digits.length === 0) return "0";
  let exp = BigInt(m[4] ?? "0") - BigInt(frac.length);
  const trimmed = digits.replace(/0+$/, "");
  exp += BigInt(digits.length - trimmed.length);
  digits = trimmed;
  return `${m[1] === "-" ? "-" : ""}${digits}e${exp}`;
}

/** A JS number when exact, else an `ExactNumber` with the normalised source text. */
export function exactNumber(text: string): number | ExactNumber {
  const n = Number(text);
  const clean = text.startsWith("+") ? text.slice(1) : text;
  if (Number.isFinite(n) && decimalKey(String(n)) === decimalKey(clean)) return n;
  return new ExactNumber(clean);
}

class JsonError extends Error {}

/** A JSON parser that keeps numbers exact (see `exactNumber`). */
export function parseJsonExact(text: string): CaseValue {
  let i = 0;
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const err = (msg: string): never => {
    throw new JsonError(`${msg} at offset ${i}`);
  };
  const value = (depth: number): CaseValue => {
    if (depth > 1000) err("nesting too deep");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: { [key: string]: CaseValue } = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') err("expected string key");
        const k = str();
        ws();
        if (text[i] !== ":") err('expected ":"');
        i++;
        obj[k] = value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        err('expected "," or "}"');
      }
    }
    if (c === "[") {
      i++;
      const arr: CaseValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        err('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 4096));
    if (!m || m[0].length === 0) return err("unexpected character");
    i += m[0].length;
    return exactNumber(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      if (i >= text.length) err("unterminated string");
      const c = text[i];
      if (c === "\\") i += 2;
      else if (c === '"') break;
      else i++;
    }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return err("invalid string");
    }
  };
  const v = value(0);
  ws();
  if (i !== text.length) err("trailing characters");
  return v;
}

const DECIMAL_INT = /^[-+]?\d+$/;
const DECIMAL_FLOAT = /^[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?$/;

const exactIntTag = defineScalarTag<number | ExactNumber>(intCoreTag.tagName, {
  implicit: true,
  implicitFirstChars: intCoreTag.implicitFirstChars,
  resolve: (source, isExplicit, tagName) => {
    const v = intCoreTag.resolve(source, isExplicit, tagName);
    if (v === NOT_RESOLVED) return v;
    return DECIMAL_INT.test(source) ? exactNumber(source) : v;
  },
  identify: intCoreTag.identify,
});

const exactFloatTag = defineScalarTag<number | ExactNumber>(floatCoreTag.tagName, {
  implicit: true,
  implicitFirstChars: floatCoreTag.implicitFirstChars,
  resolve: (source, isExplicit, tagName) => {
    const v = floatCoreTag.resolve(source, isExplicit, tagName);
    if (v === NOT_RESOLVED) return v;
    return DECIMAL_FLOAT.test(source) ? exactNumber(source.replace(/^([-+]?)\./, "$10.").replace(/\.(?=[eE]|$)/, "")) : v;
  },
  identify: floatCoreTag.identify,
});

const EXACT_SCHEMA = CORE_SCHEMA.withTags(exactIntTag, exactFloatTag);

/** Loads YAML keeping decimal numbers exact. */
export function parseYamlExact(text: string): unknown {
  return load(text, { schema: EXACT_SCHEMA });
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !(x instanceof ExactNumber);
}

/** Converts loaded YAML/JSON into a case value (rejecting dates, functions and the like). */
function toCaseValue(x: unknown, path: string): CaseValue {
  if (x === null || typeof x === "boolean" || typeof x === "number" || typeof x === "string" || x instanceof ExactNumber) return x;
  if (Array.isArray(x)) return x.map((v, i) => toCaseValue(v, `${path}[${i}]`));
  if (isRecord(x)) {
    const out: { [key: string]: CaseValue } = {};
    for (const [k, v] of Object.entries(x)) out[k] = toCaseValue(v, `${path}.${k}`);
    return out;
  }
  throw new Error(`${path}: unsupported value ${String(x)}`);
}

function toCase(raw: unknown, file: string, index: number): ConformanceCase {
  const where = `cases[${index}]`;
  if (!isRecord(raw)) throw new Error(`${where}: expected an object`);
  const note = raw.note;
  if (typeof note !== "string") throw new Error(`${where}: missing note`);
  const query = raw.query;
  if (typeof query !== "string") throw new Error(`${where} (${note}): missing query`);
  const modules = raw.modules ?? [];
  if (!Array.isArray(modules) || !modules.every((m) => typeof m === "string")) {
    throw new Error(`${where} (${note}): modules must be a list of strings`);
  }
  const c: ConformanceCase = { file, note, modules: modules as string[], query };
  if ("data" in raw) c.data = toCaseValue(raw.data, `${where}.data`);
  if ("input" in raw) c.input = toCaseValue(raw.input, `${where}.input`);
  if (raw.input_term !== undefined) {
    if (typeof raw.input_term !== "string") throw new Error(`${where} (${note}): input_term must be a string`);
    c.input_term = raw.input_term;
  }
  if (raw.want_result !== undefined && raw.want_result !== null) {
    const wr = raw.want_result;
    if (!Array.isArray(wr) || !wr.every(isRecord)) throw new Error(`${where} (${note}): want_result must be a list of objects`);
    c.want_result = wr.map((b, i) => toCaseValue(b, `${where}.want_result[${i}]`) as Record<string, CaseValue>);
  }
  for (const k of ["sort_bindings", "strict_error", "ignore_generated_vars"] as const) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== "boolean") throw new Error(`${where} (${note}): ${k} must be a boolean`);
    c[k] = v;
  }
  for (const k of ["want_error", "want_error_code"] as const) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") throw new Error(`${where} (${note}): ${k} must be a string`);
    c[k] = v;
  }
  if (raw.env !== undefined && raw.env !== null) {
    if (!isRecord(raw.env)) throw new Error(`${where} (${note}): env must be a map`);
    c.env = Object.fromEntries(Object.entries(raw.env).map(([k, v]) => [k, String(v)]));
  }
  return c;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (/\.(json|ya?ml)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Parses the text of one case file (JSON or YAML by extension). */
export function parseCaseFile(text: string, file: string): ReadCasesResult {
  const problems: CaseProblem[] = [];
  const cases: ConformanceCase[] = [];
  let doc: unknown;
  try {
    doc = file.endsWith(".json") ? parseJsonExact(text) : parseYamlExact(text);
  } catch (e) {
    return { cases, problems: [{ file, message: `cannot parse: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  if (!isRecord(doc) || !Array.isArray(doc.cases)) {
    return { cases, problems: [{ file, message: 'expected an object with a "cases" list' }] };
  }
  doc.cases.forEach((raw, i) => {
    try {
      cases.push(toCase(raw, file, i));
    } catch (e) {
      problems.push({ file, message: e instanceof Error ? e.message : String(e) });
    }
  });
  return { cases, problems };
}

/**
 * Reads every `.json`/`.yaml`/`.yml` case file under each directory (recursively, in sorted order).
 * A directory that does not exist is reported as a problem.
 */
export async function readConformanceCases(dirs: string[]): Promise<ReadCasesResult> {
  const result: ReadCasesResult = { cases: [], problems: [] };
  for (const dir of dirs) {
    try {
      if (!(await stat(dir)).isDirectory()) throw new Error("not a directory");
    } catch (e) {
      result.problems.push({ file: dir, message: `cannot read directory: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    let paths: string[];
    try {
      paths = await listFiles(dir);
    } catch (e) {
      result.problems.push({ file: dir, message: `cannot list directory: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    for (const path of paths) {
      const file = join(basename(dir), relative(dir, path));
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (e) {
        result.problems.push({ file, message: `cannot read: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
      const r = parseCaseFile(text, file);
      result.cases.push(...r.cases);
      result.problems.push(...r.problems);
    }
  }
  return result;
}
