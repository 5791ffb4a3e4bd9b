/**
 * `evaluateBundlePolicy()`: a prebuilt OPA Wasm bundle's configured entrypoints, evaluated for every document of the
 * given manifest files, in the Conftest evaluator's result shape (see bundle-policy-types.ts). The bundle is read
 * and loaded once. Never throws.
 */
import type { ConftestDocumentEvaluation, ConftestFileEvaluation } from "../conftest/conftest-types.js";
import type { EvaluateBundlePolicyRequest, EvaluateBundlePolicyResult } from "./bundle-policy-types.js";
import { prepareBundlePolicy } from "./prepare-bundle-policy.js";

export function evaluateBundlePolicy(req: EvaluateBundlePolicyRequest): EvaluateBundlePolicyResult {
  const prepared = prepareBundlePolicy(req);
  const result: EvaluateBundlePolicyResult = { namespaces: prepared.namespaces, files: [], errors: prepared.errors, evalErrors: [] };
  if (prepared.namespaces.length === 0) return result;
  for (const f of req.files) {
    const documents: ConftestDocumentEvaluation[] = [];
    for (const doc of f.documents) {
      const { evaluation, evalErrors } = prepared.evaluateDocument(doc, f.path);
      documents.push(evaluation);
      result.evalErrors.push(...evalErrors);
    }
    const file: ConftestFileEvaluation = { file: f.path, documents };
    result.files.push(file);
  }
  return result;
}
