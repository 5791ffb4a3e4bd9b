import type { JsonObject } from "../manifests/manifest-types.js";
import { buildInventory, type Inventory } from "./build-inventory.js";
import { buildGatekeeperInput, buildReview } from "./build-review.js";
import type { ConstraintTemplate, GatekeeperDiagnostic, SourceDocument } from "./gatekeeper-types.js";
import { interpretViolations, type GatekeeperViolation, type ReviewedResource } from "./interpret-violations.js";
import type { GatekeeperPolicySet } from "./load-gatekeeper-policies.js";
import { matchesConstraint } from "./matches-constraint.js";
import { enterEvaluationStep } from "../evaluation-step.js";

/** One evaluation the Rego evaluator is asked for: the template's `violation` rule with this input and data. */
export interface GatekeeperEvaluationRequest {
  template: ConstraintTemplate;
  input: JsonObject;
  data: { inventory: Inventory };
}

/**
 * The evaluator's side of the contract: evaluate `data.<template package>.violation` and return its value as JSON
 * (an array of result objects). Throwing is allowed: the error becomes a diagnostic for that object.
 */
export type GatekeeperEvaluator = (request: GatekeeperEvaluationRequest) => unknown;

export interface GatekeeperRun {
  violations: GatekeeperViolation[];
  diagnostics: GatekeeperDiagnostic[];
  /** How many (constraint, object) pairs were evaluated. */
  evaluations: number;
}

function resourceOf(doc: SourceDocument): ReviewedResource {
  const v = doc.value;
  const md = v.metadata !== null && typeof v.metadata === "object" ? (v.metadata as JsonObject) : {};
  const r: ReviewedResource = { apiVersion: String(v.apiVersion ?? ""), kind: String(v.kind ?? ""), file: doc.file, line: doc.startLine };
  if (typeof md.name === "string") r.name = md.name;
  if (typeof md.namespace === "string") r.namespace = md.namespace;
  return r;
}

function locationOf(doc: SourceDocument, details: unknown): { file: string; line: number; column: number } {
  if (details !== null && typeof details === "object" && typeof (details as JsonObject).path === "string") {
    const loc = doc.locate?.((details as JsonObject).path as string);
    if (loc !== undefined) {
      const at = loc.key ?? loc.value;
      return { file: doc.file, line: at.line, column: at.column };
    }
  }
  return { file: doc.file, line: doc.startLine, column: 1 };
}

/**
 * Reviews every object of a policy set against every constraint that matches it (Gatekeeper's match semantics,
 * Namespaces from the set), with `data.inventory` built from `inventoryObjects` (default: the set's objects), and
 * turns the evaluator's results into violations located at the field named by `details.path` when present.
 * Match errors and evaluator failures become diagnostics; they never stop the run.
 */
export async function evaluateGatekeeper(
  set: GatekeeperPolicySet,
  evaluate: GatekeeperEvaluator,
  options: { inventoryObjects?: Iterable<JsonObject> } = {},
): Promise<GatekeeperRun> {
  const run: GatekeeperRun = { violations: [], diagnostics: [], evaluations: 0 };
  const inventory = buildInventory(options.inventoryObjects ?? set.objects.map((o) => o.value));
  for (const doc of set.objects) {
    for (const constraint of set.constraints) {
      const m = matchesConstraint(constraint, doc.value, { namespaces: set.namespaces });
      if ("error" in m) {
        run.diagnostics.push({
          code: "gatekeeper_match_error",
          severity: "error",
          message: `constraint ${constraint.kind}/${constraint.name}: ${m.error}`,
          file: doc.file,
          line: doc.startLine,
          column: 1,
        });
        continue;
      }
      if (!m.matches) continue;
      const md = doc.value.metadata !== null && typeof doc.value.metadata === "object" ? (doc.value.metadata as JsonObject) : {};
      const nsName = typeof md.namespace === "string" ? md.namespace : undefined;
      const namespaceObject = nsName !== undefined ? set.namespaces.get(nsName) : undefined;
      const review = buildReview(doc.value, namespaceObject !== undefined ? { namespaceObject } : {});
      if (!review.ok) {
        run.diagnostics.push({ code: "gatekeeper_review_invalid", severity: "error", message: review.error, file: doc.file, line: doc.startLine, column: 1 });
        continue;
      }
      let results: unknown;
      try {
        run.evaluations++;
        enterEvaluationStep(`template ${constraint.template.name} on ${doc.file}:${doc.startLine}`, constraint.template.file, constraint.template.line);
        results = await evaluate({ template: constraint.template, input: buildGatekeeperInput(review.review, constraint.parameters), data: { inventory } });
      } catch (err) {
        run.diagnostics.push({
          code: "gatekeeper_evaluation_failed",
          severity: "error",
          message: `template ${constraint.template.name}: ${err instanceof Error ? err.message : String(err)}`,
          file: doc.file,
          line: doc.startLine,
          column: 1,
        });
        continue;
      }
      const interpreted = interpretViolations(results, constraint, resourceOf(doc));
      run.diagnostics.push(...interpreted.diagnostics);
      for (const v of interpreted.violations) run.violations.push({ ...v, location: locationOf(doc, v.details) });
    }
  }
  return run;
}
