import type { ConftestCheckResult, ConftestError, ConftestNamespaceEvaluation, ConftestResult } from "./conftest-types.js";
import { conftestRuleKind, exceptionRuleName } from "./conftest-rule-kind.js";

/** How many (i, j) satisfy `exception[i][j] == name` (the solutions of Conftest's exception query). */
function exceptionMatches(exceptions: unknown, name: string): number {
  if (!Array.isArray(exceptions)) return 0;
  let n = 0;
  for (const list of exceptions) if (Array.isArray(list)) for (const x of list) if (x === name) n++;
  return n;
}

/** A rule value as Conftest reads it: a string is the message; an object needs a string msg; others are ignored. */
function toResult(v: unknown, rule: string, file: string, errors: ConftestError[]): ConftestResult | undefined {
  if (typeof v === "string") return { msg: v, rule };
  if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.msg !== "string") {
    errors.push({ code: "conftest_invalid_result", message: `rule ${rule}: "msg" field must be present and a string`, file });
    return undefined;
  }
  const r: ConftestResult = { msg: o.msg, rule };
  const loc = o._loc;
  if (loc !== null && typeof loc === "object" && !Array.isArray(loc)) {
    const l = loc as Record<string, unknown>;
    const out: { file?: string; line?: string } = {};
    if (typeof l.file === "string" && l.file !== "") out.file = l.file;
    if (typeof l.line === "number" || (typeof l.line === "string" && l.line !== "")) out.line = String(l.line);
    if (out.file !== undefined || out.line !== undefined) r.loc = out;
  }
  const metadata: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) if (k !== "msg" && k !== "_loc") metadata[k] = x;
  if (Object.keys(metadata).length > 0) r.metadata = metadata;
  return r;
}

/**
 * Conftest's check of one input against one namespace: for each deny/violation/warn rule (in the given order), if an
 * exception lists its name (see exceptionRuleName), each matching exception entry is counted as an exception
 * (message: the exception query) and the rule's results are not; otherwise every message is a failure or warning and
 * a rule that produced none counts one success. Finally, when there are fewer results than rule bodies, the difference
 * is added to the successes.
 */
export function checkConftestNamespace(
  file: string,
  evaluation: ConftestNamespaceEvaluation,
  errors: ConftestError[] = [],
): ConftestCheckResult {
  const out: ConftestCheckResult = { filename: file, namespace: evaluation.namespace, successes: 0, warnings: [], failures: [], exceptions: [] };
  let ruleCount = 0;
  const seen = new Set<string>();
  for (const rule of evaluation.rules) {
    const kind = conftestRuleKind(rule.name);
    if (kind === undefined) continue;
    ruleCount += rule.definitions ?? 1;
    if (seen.has(rule.name)) continue;
    seen.add(rule.name);
    const key = exceptionRuleName(rule.name);
    const excepted = exceptionMatches(evaluation.exceptions, key);
    if (excepted > 0) {
      const query = `data.${evaluation.namespace}.exception[_][_] == ${JSON.stringify(key)}`;
      for (let i = 0; i < excepted; i++) out.exceptions.push({ msg: query, rule: rule.name });
      continue;
    }
    const values: readonly unknown[] = Array.isArray(rule.values) ? rule.values : [];
    if (values.length === 0) {
      out.successes++;
      continue;
    }
    for (const v of values) {
      const r = toResult(v, rule.name, file, errors);
      if (r === undefined) continue;
      if (kind === "failure") out.failures.push(r);
      else out.warnings.push(r);
    }
  }
  const counted = out.failures.length + out.warnings.length + out.exceptions.length + out.successes;
  if (counted < ruleCount) out.successes += ruleCount - counted;
  return out;
}
