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

/** One request's outcome in a batch: what the evaluator returns for it alone, or what it throws. */
export type GatekeeperOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The evaluator's side of the contract: evaluate `data.<template package>.violation` and return its value as JSON
 * (an array of result objects). Throwing is allowed: the error becomes a diagnostic for that object. An evaluator
 * may also take many requests at once (`batch`: one constraint's objects, so one template and one `parameters`),
 * giving each the outcome it would have alone.
 */
export type GatekeeperEvaluator = ((request: GatekeeperEvaluationRequest) => unknown) & {
  batch?: (requests: readonly GatekeeperEvaluationRequest[]) => GatekeeperOutcome[];
};

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

/** One (object, constraint) pair in the order of the run: a diagnostic found before evaluation, or an evaluation. */
type Pair =
  | { doc: SourceDocument; constraint: Constraint; diagnostic: GatekeeperDiagnostic }
  | { doc: SourceDocument; constraint: Constraint; request: GatekeeperEvaluationRequest; outcome?: GatekeeperOutcome };

type Constraint = GatekeeperPolicySet["constraints"][number];
type Evaluation = Extract<Pair, { request: GatekeeperEvaluationRequest }>;

/**
 * Reviews every object of a policy set against every constraint that matches it (Gatekeeper's match semantics,
 * Namespaces from the set), with `data.inventory` built from `inventoryObjects` (default: the set's objects), and
 * turns the evaluator's results into violations located at the field named by `details.path` when present.
 * Match errors and evaluator failures become diagnostics; they never stop the run. Each constraint's objects are
 * evaluated together (OBJECTS_PER_ROUND objects at a time) when the evaluator takes batches; results and diagnostics
 * come out object by object either way.
 */
export async function evaluateGatekeeper(
  set: GatekeeperPolicySet,
  evaluate: GatekeeperEvaluator,
  options: { inventoryObjects?: Iterable<JsonObject> } = {},
): Promise<GatekeeperRun> {
  const run: GatekeeperRun = { violations: [], diagnostics: [], evaluations: 0 };
  const inventory = buildInventory(options.inventoryObjects ?? set.objects.map((o) => o.value));
  // Some objects at a time, so that the pending requests of a large run do not all stay in memory at once.
  for (let from = 0; from < set.objects.length; from += OBJECTS_PER_ROUND) {
    await reviewObjects(set, set.objects.slice(from, from + OBJECTS_PER_ROUND), inventory, evaluate, run);
  }
  return run;
}

/** Objects reviewed together: each constraint's evaluations among them go to the evaluator as one batch. */
const OBJECTS_PER_ROUND = 2000;

/** Reviews `docs` of `set` against its constraints and adds what it finds to `run`, object by object. */
async function reviewObjects(set: GatekeeperPolicySet, docs: readonly SourceDocument[], inventory: Inventory, evaluate: GatekeeperEvaluator, run: GatekeeperRun): Promise<void> {
  const pairs: Pair[] = [];
  const byConstraint = new Map<Constraint, Evaluation[]>();
  for (const doc of docs) {
    for (const constraint of set.constraints) {
      const m = matchesConstraint(constraint, doc.value, { namespaces: set.namespaces });
      if ("error" in m) {
        const message = `constraint ${constraint.kind}/${constraint.name}: ${m.error}`;
        pairs.push({ doc, constraint, diagnostic: { code: "gatekeeper_match_error", severity: "error", message, file: doc.file, line: doc.startLine, column: 1 } });
        continue;
      }
      if (!m.matches) continue;
      const md = doc.value.metadata !== null && typeof doc.value.metadata === "object" ? (doc.value.metadata as JsonObject) : {};
      const nsName = typeof md.namespace === "string" ? md.namespace : undefined;
      const namespaceObject = nsName !== undefined ? set.namespaces.get(nsName) : undefined;
      const review = buildReview(doc.value, namespaceObject !== undefined ? { namespaceObject } : {});
      if (!review.ok) {
        pairs.push({ doc, constraint, diagnostic: { code: "gatekeeper_review_invalid", severity: "error", message: review.error, file: doc.file, line: doc.startLine, column: 1 } });
        continue;
      }
      const evaluation: Evaluation = { doc, constraint, request: { template: constraint.template, input: buildGatekeeperInput(review.review, constraint.parameters), data: { inventory } } };
      pairs.push(evaluation);
      const group = byConstraint.get(constraint);
      if (group === undefined) byConstraint.set(constraint, [evaluation]);
      else group.push(evaluation);
    }
  }
  for (const group of byConstraint.values()) await evaluateGroup(group, evaluate);
  for (const pair of pairs) {
    const { doc, constraint } = pair;
    if ("diagnostic" in pair) {
      run.diagnostics.push(pair.diagnostic);
      continue;
    }
    run.evaluations++;
    const outcome = pair.outcome as GatekeeperOutcome;
    if (!outcome.ok) {
      const err = outcome.error;
      const message = `template ${constraint.template.name}: ${err instanceof Error ? err.message : String(err)}`;
      run.diagnostics.push({ code: "gatekeeper_evaluation_failed", severity: "error", message, file: doc.file, line: doc.startLine, column: 1 });
      continue;
    }
    const interpreted = interpretViolations(outcome.value, constraint, resourceOf(doc));
    run.diagnostics.push(...interpreted.diagnostics);
    for (const v of interpreted.violations) run.violations.push({ ...v, location: locationOf(doc, v.details) });
  }
}

/** Evaluates one constraint's pairs: one batch when the evaluator takes them, else one call each. */
async function evaluateGroup(group: Evaluation[], evaluate: GatekeeperEvaluator): Promise<void> {
  const template = (group[0] as Evaluation).constraint.template;
  if (evaluate.batch !== undefined && group.length > 1) {
    const first = group[0] as Evaluation;
    const last = group[group.length - 1] as Evaluation;
    enterEvaluationStep(`template ${template.name} on ${group.length} objects, ${first.doc.file}:${first.doc.startLine} to ${last.doc.file}:${last.doc.startLine}`, template.file, template.line);
    const outcomes = evaluate.batch(group.map((e) => e.request));
    group.forEach((e, i) => (e.outcome = outcomes[i]));
    return;
  }
  for (const e of group) {
    enterEvaluationStep(`template ${template.name} on ${e.doc.file}:${e.doc.startLine}`, template.file, template.line);
    try {
      e.outcome = { ok: true, value: await evaluate(e.request) };
    } catch (error) {
      e.outcome = { ok: false, error };
    }
  }
}
