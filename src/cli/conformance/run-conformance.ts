/**
 * Runs OPA's conformance cases against Fleetward's compiler: each case's query becomes a generated rule
 * `q contains {"<var>": <var>, …} if { <query> }` in its own package, compiled with the case's modules, evaluated
 * with the case's data and input, and judged as `test/fixtures/opa-conformance/README.md` describes. Every tier
 * runs (A, B and C); no case can crash the run. Known failures come from one JSON file (`{ note: reason }`).
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { compile } from "../../rego/compile.js";
import { CompiledPolicy, PolicyEvalError } from "../../rego/evaluator/compiled-policy.js";
import { parseQuery } from "../../rego/parser/parse-query.js";
import { setOpaRuntime } from "../../rego/builtins/host/opa-runtime.js";
import { forEachVarInBody } from "../../rego/check/term-utils.js";
import { ExactNumber, parseJsonExact, readConformanceCases, type CaseValue, type ConformanceCase } from "./read-cases.js";

export type CaseStatus = "passed" | "failed";

export interface CaseOutcome {
  note: string;
  file: string;
  folder: string;
  tier: string;
  status: CaseStatus;
  /** Why it failed. */
  reason?: string;
  /** Listed in the known-failures file. */
  known: boolean;
  ms: number;
}

export interface ConformanceReport {
  outcomes: CaseOutcome[];
  passed: number;
  failed: number;
  /** Failures not listed as known. */
  unexpectedFailures: string[];
  /** Listed as known failures but passing now (remove them from the list). */
  fixedKnownFailures: string[];
  problems: string[];
  /** Per tier (A, B, C; a case the index does not list counts as B). */
  byTier: Record<string, { passed: number; failed: number }>;
}

export interface RunConformanceOptions {
  /** `{ note: reason }` (default: none). */
  knownFailures?: Record<string, string>;
  /** Path of cases-index.json (default: looked up next to the case directories). */
  indexFile?: string;
  /** Only cases whose note contains this text. */
  filter?: string;
  /** Called after each case. */
  onCase?: (o: CaseOutcome) => void;
}

interface IndexEntry {
  file: string;
  note: string;
  tier: string;
}

async function readIndex(dirs: readonly string[], explicit?: string): Promise<Map<string, string>> {
  const candidates = explicit ? [explicit] : dirs.flatMap((d) => [join(d, "cases-index.json"), join(dirname(d), "cases-index.json")]);
  for (const file of candidates) {
    try {
      const entries = JSON.parse(await readFile(file, "utf8")) as IndexEntry[];
      return new Map(entries.map((e) => [e.note, e.tier]));
    } catch {
      // try the next location
    }
  }
  return new Map();
}

/** JSON text of a case value, numbers exact. */
export function caseValueJson(v: CaseValue): string {
  if (v instanceof ExactNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(caseValueJson).join(",")}]`;
  if (v !== null && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${caseValueJson(x)}`).join(",")}}`;
  return JSON.stringify(v);
}

/** Canonical decimal text of a number (`1.0`, `10e-1` and `1` agree). */
function canonicalNumber(text: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const frac = m[3] ?? "";
  let digits = ((m[2] ?? "") + frac).replace(/^0+/, "");
  if (digits === "") return "0";
  let exp = BigInt(m[4] ?? "0") - BigInt(frac.length);
  const trimmed = digits.replace(/0+$/, "");
  exp += BigInt(digits.length - trimmed.length);
  digits = trimmed;
  return `${m[1]}${digits}e${exp}`;
}

/** Canonical text of a value for comparisons (object keys sorted, numbers canonical; arrays sorted if asked). */
function canonical(v: CaseValue, sortArrays: boolean): string {
  if (v instanceof ExactNumber) return canonicalNumber(v.text);
  if (typeof v === "number") return canonicalNumber(exactText(v));
  if (Array.isArray(v)) {
    const items = v.map((x) => canonical(x, false));
    if (sortArrays) items.sort();
    return `[${items.join(",")}]`;
  }
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k] as CaseValue, false)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

function exactText(n: number): string {
  return Number.isInteger(n) && Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

function bindingKey(b: Record<string, CaseValue>, sort: boolean): string {
  return `{${Object.keys(b).sort().map((k) => `${JSON.stringify(k)}:${canonical(b[k] as CaseValue, sort)}`).join(",")}}`;
}

const QUERY_PACKAGE = "fleetward_conformance_query";

/** The query's own variables (not input/data, wildcards or generated names). */
function queryVars(query: string): string[] | undefined {
  const parsed = parseQuery(query, { file: "query" });
  if (!parsed.query) return undefined;
  const names = new Set<string>();
  forEachVarInBody(parsed.query.body, (v) => {
    if (v.name === "input" || v.name === "data" || v.name === "_" || v.name.startsWith("$") || v.name.startsWith("__")) return;
    names.add(v.name);
  }, { skipClosures: true });
  return [...names];
}

/** The entrypoint of a case's query rule (see `compileCase`). */
export const CASE_ENTRYPOINT = `${QUERY_PACKAGE}/q`;

/** A case's modules with its query as rule `q`, compiled as the runner does; undefined when the query does not parse. */
export function compileCase(c: ConformanceCase): ReturnType<typeof compile> | undefined {
  const vars = queryVars(c.query);
  if (!vars) return undefined;
  const headObject = `{${vars.map((v) => `${JSON.stringify(v)}: ${v}`).join(", ")}}`;
  const queryModule = `package ${QUERY_PACKAGE}\n\nq contains ${headObject} if {\n${c.query}\n}\n`;
  const modules = c.modules.map((text, i) => ({ file: `test-${i}.rego`, text }));
  modules.push({ file: "query.rego", text: queryModule });
  return compile({ modules, entrypoints: [CASE_ENTRYPOINT], strictBuiltinErrors: c.strict_error ?? false, optimize: false, queryPackages: [`data.${QUERY_PACKAGE}`] });
}

/** Runs one case; never throws. */
export function runCase(c: ConformanceCase): { status: "passed" | "failed"; reason?: string } {
  const compiled = compileCase(c);
  if (!compiled) return { status: "failed", reason: "query does not parse" };
  const expectsError = c.want_error !== undefined || c.want_error_code !== undefined;
  if (!compiled.wasm) {
    const diag = compiled.diagnostics[0];
    const message = diag ? `${diag.code}: ${diag.message}` : "compile failed";
    if (expectsError && errorMatches(c, diag?.code ?? "", message)) return { status: "passed" };
    return { status: "failed", reason: `compile: ${message}` };
  }
  let resultText: string;
  // opa.runtime() shows the case's environment, as OPA's runner gives it (nothing when the case has none).
  setOpaRuntime(c.env !== undefined ? { env: c.env } : {});
  try {
    const policy = CompiledPolicy.loadSync(compiled.wasm, { strictBuiltinErrors: c.strict_error ?? false });
    if (c.data !== undefined) policy.setData(caseValueJson(c.data));
    const input = c.input_term !== undefined ? c.input_term : c.input !== undefined ? caseValueJson(c.input) : undefined;
    resultText = policy.evaluateText(`${QUERY_PACKAGE}/q`, input, c.input_term !== undefined ? "value" : "json");
  } catch (e) {
    const err = e instanceof PolicyEvalError ? e : new PolicyEvalError("eval_internal_error", e instanceof Error ? e.message : String(e));
    if (expectsError && errorMatches(c, err.code, err.message)) return { status: "passed" };
    return { status: "failed", reason: `eval: ${err.code}: ${err.message}` };
  }
  if (expectsError) return { status: "failed", reason: `expected error ${c.want_error_code ?? ""} ${c.want_error ?? ""}, got ${resultText}` };
  const parsed = parseJsonExact(resultText);
  const first = Array.isArray(parsed) ? parsed[0] : undefined;
  const set = first !== null && typeof first === "object" && !Array.isArray(first) && !(first instanceof ExactNumber) ? first.result : undefined;
  const got = Array.isArray(set) ? set : [];
  const sort = c.sort_bindings ?? false;
  const gotKeys = new Set(got.map((b) => bindingKey(b as Record<string, CaseValue>, sort)));
  const want = c.want_result ?? [];
  const wantKeys = new Set(want.map((b) => bindingKey(b, sort)));
  const same = gotKeys.size === wantKeys.size && [...wantKeys].every((k) => gotKeys.has(k));
  if (same) return { status: "passed" };
  return { status: "failed", reason: `want ${[...wantKeys].join(" ")}; got ${[...gotKeys].join(" ")}`.slice(0, 600) };
}

function errorMatches(c: ConformanceCase, code: string, message: string): boolean {
  if (c.want_error_code !== undefined && code !== c.want_error_code && !message.includes(c.want_error_code)) return false;
  if (c.want_error !== undefined && !message.includes(c.want_error)) return false;
  return true;
}

/** Reads and runs the cases under `dirs`. */
export async function runConformance(dirs: string[], opts: RunConformanceOptions = {}): Promise<ConformanceReport> {
  const { cases, problems } = await readConformanceCases(dirs);
  const tiers = await readIndex(dirs, opts.indexFile);
  const known = opts.knownFailures ?? {};
  const outcomes: CaseOutcome[] = [];
  const byTier: ConformanceReport["byTier"] = {};
  for (const c of cases) {
    if (opts.filter && !c.note.includes(opts.filter)) continue;
    const tier = tiers.get(c.note) ?? "B";
    const folder = c.note.split("/")[0] ?? "";
    const started = performance.now();
    let r: { status: CaseStatus; reason?: string };
    try {
      r = runCase(c);
    } catch (e) {
      r = { status: "failed", reason: `runner: ${e instanceof Error ? e.message : String(e)}` };
    }
    const o: CaseOutcome = { note: c.note, file: c.file, folder, tier, status: r.status, known: c.note in known, ms: performance.now() - started };
    if (r.reason !== undefined) o.reason = r.reason;
    outcomes.push(o);
    const t = (byTier[tier] ??= { passed: 0, failed: 0 });
    t[r.status]++;
    opts.onCase?.(o);
  }
  const count = (s: CaseStatus): number => outcomes.filter((o) => o.status === s).length;
  return {
    outcomes,
    passed: count("passed"),
    failed: count("failed"),
    unexpectedFailures: outcomes.filter((o) => o.status === "failed" && !o.known).map((o) => o.note),
    // Notes are not unique upstream: a listed note is fixed only when every case with that note passes.
    fixedKnownFailures: [...new Set(outcomes.filter((o) => o.known).map((o) => o.note))].filter((note) =>
      outcomes.every((o) => o.note !== note || o.status === "passed")),
    problems: problems.map((p) => `${p.file}: ${p.message}`),
    byTier,
  };
}
