import type { Constraint, EnforcementAction, GatekeeperDiagnostic } from "./gatekeeper-types.js";

export interface ReviewedResource {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  file?: string;
  line?: number;
}

export interface GatekeeperViolation {
  /** Where to annotate: the field named by `details.path` when the document has it, else the document's start. */
  location?: { file: string; line: number; column: number };
  constraintKind: string;
  constraintName: string;
  enforcementAction: EnforcementAction;
  message: string;
  details: unknown;
  resource: ReviewedResource;
}

export interface InterpretedViolations {
  violations: GatekeeperViolation[];
  diagnostics: GatekeeperDiagnostic[];
}

/**
 * Turns the evaluator's result for a template's `violation` rule (a JSON array of `{"msg": string, "details": any}`)
 * into violations attributed to the constraint and resource. A result whose msg is not a string is dropped (Gatekeeper
 * drops it too) and reported; `details` defaults to `{}`. Identical results are reported once (`violation` is a set).
 */
export function interpretViolations(results: unknown, constraint: Constraint, resource: ReviewedResource): InterpretedViolations {
  const out: InterpretedViolations = { violations: [], diagnostics: [] };
  const report = (message: string) =>
    out.diagnostics.push({
      code: "gatekeeper_result_invalid",
      severity: "warning",
      message,
      file: constraint.template.file,
      line: constraint.template.line,
      column: 1,
    });
  if (!Array.isArray(results)) {
    report(`template ${constraint.template.name}: violation results must be an array`);
    return out;
  }
  const seen = new Set<string>();
  for (const r of results) {
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      report(`template ${constraint.template.name}: a violation result is not an object`);
      continue;
    }
    const rec = r as Record<string, unknown>;
    if (typeof rec.msg !== "string") {
      report(`template ${constraint.template.name}: a violation result has no string "msg"`);
      continue;
    }
    const details = rec.details === undefined ? {} : rec.details;
    const key = JSON.stringify([rec.msg, details]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.violations.push({
      constraintKind: constraint.kind,
      constraintName: constraint.name,
      enforcementAction: constraint.enforcementAction,
      message: rec.msg,
      details,
      resource,
    });
  }
  return out;
}
