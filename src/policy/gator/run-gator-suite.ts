import { loadManifestFile } from "../manifests/load-manifest-file.js";
import type { JsonObject, ManifestDocument } from "../manifests/manifest-types.js";
import { buildInventory } from "../gatekeeper/build-inventory.js";
import { buildGatekeeperInput, buildReview } from "../gatekeeper/build-review.js";
import type { GatekeeperEvaluator } from "../gatekeeper/evaluate-gatekeeper.js";
import { matchesConstraint } from "../gatekeeper/matches-constraint.js";
import { isConstraintDocument, parseConstraint } from "../gatekeeper/parse-constraint.js";
import { isConstraintTemplateDocument, parseConstraintTemplate } from "../gatekeeper/parse-constraint-template.js";
import { interpretViolations } from "../gatekeeper/interpret-violations.js";
import type { GatorCaseRun, GatorSuite } from "./gator-types.js";
import { enterEvaluationStep } from "../evaluation-step.js";

/** Reads a repository file (text), or returns undefined when it does not exist. */
export type ReadRepositoryFile = (path: string) => string | undefined | Promise<string | undefined>;

class CaseError extends Error {}

async function documents(read: ReadRepositoryFile, path: string, what: string): Promise<ManifestDocument[]> {
  const text = await read(path);
  if (text === undefined) throw new CaseError(`${what} ${path} does not exist`);
  const r = loadManifestFile({ path, content: text });
  const err = r.diagnostics[0];
  if (err !== undefined) throw new CaseError(`${err.file}:${err.line}:${err.column}: ${err.message}`);
  if (r.documents.length === 0) throw new CaseError(`${what} ${path} defines no objects`);
  return r.documents;
}

/**
 * Runs a gator verify suite with the given evaluator: for each test, reads its template and constraint, and for each
 * case the object (exactly one) and the inventory files; the object is reviewed only when the constraint matches it
 * (Namespaces for namespaceSelector come from the inventory); the violation messages go to the assertions.
 * Problems reading or parsing become the case's error. Skipped cases are reported as skipped.
 */
export async function runGatorSuite(suite: GatorSuite, read: ReadRepositoryFile, evaluate: GatekeeperEvaluator): Promise<GatorCaseRun[]> {
  const runs: GatorCaseRun[] = [];
  for (const test of suite.tests) {
    let setup: { constraint: NonNullable<ReturnType<typeof parseConstraint>["constraint"]> } | { error: string };
    try {
      const tdoc = (await documents(read, test.template, "template")).find((d) => isConstraintTemplateDocument(d.value));
      if (tdoc === undefined) throw new CaseError(`${test.template} holds no ConstraintTemplate`);
      const t = parseConstraintTemplate(tdoc);
      if (t.template === undefined) throw new CaseError(t.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join("; "));
      const cdoc = (await documents(read, test.constraint, "constraint")).find((d) => isConstraintDocument(d.value));
      if (cdoc === undefined) throw new CaseError(`${test.constraint} holds no constraint`);
      const c = parseConstraint(cdoc, new Map([[t.template.kind, t.template]]));
      if (c.constraint === undefined) throw new CaseError(c.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join("; "));
      setup = { constraint: c.constraint };
    } catch (err) {
      setup = { error: err instanceof Error ? err.message : String(err) };
    }
    for (const c of test.cases) {
      const base = { test: test.name, case: c.name };
      if (suite.skip || test.skip || c.skip) {
        runs.push({ ...base, skipped: true });
        continue;
      }
      if ("error" in setup) {
        runs.push({ ...base, error: setup.error });
        continue;
      }
      try {
        const objects = await documents(read, c.object, "object");
        if (objects.length !== 1) throw new CaseError(`${c.object} defines ${objects.length} objects`);
        const object = (objects[0] as ManifestDocument).value;
        const inventoryObjects: JsonObject[] = [];
        for (const p of c.inventory) for (const d of await documents(read, p, "inventory")) inventoryObjects.push(d.value);
        const namespaces = new Map<string, JsonObject>();
        for (const o of inventoryObjects) {
          const md = o.metadata as JsonObject | undefined;
          if (o.kind === "Namespace" && typeof md?.name === "string") namespaces.set(md.name, o);
        }
        const review = buildReview(object);
        if (!review.ok) throw new CaseError(review.error);
        const m = matchesConstraint(setup.constraint, review.review.object as JsonObject, { namespaces });
        if ("error" in m) throw new CaseError(m.error);
        if (!m.matches) {
          runs.push({ ...base, violations: [] });
          continue;
        }
        enterEvaluationStep(`gator case ${test.name}/${c.name}`, suite.file, 1);
        const results = await evaluate({
          template: setup.constraint.template,
          input: buildGatekeeperInput(review.review, setup.constraint.parameters),
          data: { inventory: buildInventory(inventoryObjects) },
        });
        const interpreted = interpretViolations(results, setup.constraint, { apiVersion: String(object.apiVersion ?? ""), kind: String(object.kind ?? "") });
        runs.push({ ...base, violations: interpreted.violations.map((v) => ({ msg: v.message })) });
      } catch (err) {
        runs.push({ ...base, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return runs;
}
