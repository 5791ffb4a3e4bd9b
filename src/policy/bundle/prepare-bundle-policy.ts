/**
 * `prepareBundlePolicy()`: reads and loads a prebuilt OPA Wasm bundle once and plans its entrypoints as Conftest
 * namespaces and rules (see BundleResultStyle), so that each manifest document can then be evaluated cheaply. Never
 * throws: a bundle that does not load, or an entrypoint it does not serve, becomes a BundlePolicyError.
 */
import { BundleError } from "../../rego/bundle/bundle-error.js";
import { normalizeEntrypoint, pathSegments } from "../../rego/bundle/bundle-paths.js";
import { BundlePolicy } from "../../rego/bundle/bundle-policy.js";
import { PolicyEvalError } from "../../rego/evaluator/compiled-policy.js";
import { conftestRuleKind } from "../conftest/conftest-rule-kind.js";
import type { ConftestDocumentEvaluation, ConftestNamespaceEvaluation, ConftestRuleEvaluation } from "../conftest/conftest-types.js";
import { buildGatekeeperInput, buildReview } from "../gatekeeper/build-review.js";
import type { JsonObject } from "../manifests/manifest-types.js";
import type { BundleEntrypointSpec, BundleEvalError, BundlePolicyError, BundlePolicyRequest } from "./bundle-policy-types.js";

/** One entrypoint as Conftest sees it: a rule of a namespace, or (rule undefined) a whole namespace. */
interface PlannedEntrypoint {
  spec: BundleEntrypointSpec;
  entrypoint: string;
  namespace: string;
  rule?: string;
}

export interface PreparedBundlePolicy {
  /** The namespaces, in the order their first entrypoint was configured. */
  namespaces: string[];
  /** Problems with the bundle or the configured entrypoints (an unusable entrypoint is left out). */
  errors: BundlePolicyError[];
  /** Evaluates every usable entrypoint for one document; `file` names the document's file in evaluation errors. */
  evaluateDocument(document: unknown, file: string): { evaluation: ConftestDocumentEvaluation; evalErrors: BundleEvalError[] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A Conftest rule name of the wanted kind: the name itself when it already is one, else `deny_<name>` / `warn_<name>`. */
function ruleOfKind(name: string, kind: "failure" | "warning"): string {
  if (conftestRuleKind(name) === kind) return name;
  const suffix = name.replace(/[^a-zA-Z0-9]+/g, "_").replace(/^_+|_+$/g, "") || "rule";
  return `${kind === "failure" ? "deny" : "warn"}_${suffix}`;
}

function plan(spec: BundleEntrypointSpec): PlannedEntrypoint | string {
  const entrypoint = normalizeEntrypoint(spec.entrypoint);
  const segments = pathSegments(entrypoint);
  const last = segments[segments.length - 1];
  if (last === undefined) return `entrypoint "${spec.entrypoint}" must name a package or rule`;
  const parent = segments.slice(0, -1).join(".");
  if (spec.style === "gatekeeper") return { spec, entrypoint, namespace: parent, rule: ruleOfKind(last, "failure") };
  if (spec.severity !== undefined) return { spec, entrypoint, namespace: parent, rule: ruleOfKind(last, spec.severity) };
  if (conftestRuleKind(last) !== undefined) return { spec, entrypoint, namespace: parent, rule: last };
  return { spec, entrypoint, namespace: segments.join(".") };
}

function evalError(file: string, e: unknown): BundleEvalError {
  if (e instanceof PolicyEvalError || e instanceof BundleError) return { file, code: e.code, message: e.message };
  return { file, code: "eval_internal_error", message: e instanceof Error ? e.message : String(e) };
}

/** The entrypoint's input for a document, or why there is none (Gatekeeper needs an object it can review). */
function inputFor(p: PlannedEntrypoint, document: unknown): { input: unknown } | { error: string } {
  if (p.spec.style !== "gatekeeper") return { input: document };
  if (!isObject(document)) return { error: "a Gatekeeper-style entrypoint needs an object document" };
  const review = buildReview(document as JsonObject);
  if (!review.ok) return { error: review.error };
  return { input: buildGatekeeperInput(review.review, p.spec.parameters) };
}

export function prepareBundlePolicy(req: BundlePolicyRequest): PreparedBundlePolicy {
  const file = req.name ?? "";
  const errors: BundlePolicyError[] = [];
  let policy: BundlePolicy | undefined;
  try {
    policy = BundlePolicy.loadSync(req.bundle, req.limits === undefined ? {} : { limits: req.limits });
  } catch (e) {
    if (!(e instanceof BundleError)) throw e;
    errors.push({ code: e.code, message: e.message, file });
  }

  const byNamespace = new Map<string, PlannedEntrypoint[]>();
  if (policy !== undefined) {
    const served = new Set(policy.entrypoints);
    const rules = new Set<string>();
    for (const spec of req.entrypoints) {
      const p = plan(spec);
      if (typeof p === "string") {
        errors.push({ code: "bundle_unknown_entrypoint", message: p, file });
        continue;
      }
      if (!served.has(p.entrypoint)) {
        errors.push({ code: "bundle_unknown_entrypoint", message: `the bundle has no entrypoint "${spec.entrypoint}" (it has ${JSON.stringify([...served])})`, file });
        continue;
      }
      const key = `${p.namespace}\u0000${p.rule ?? "*"}`;
      if (rules.has(key)) {
        errors.push({ code: "bundle_duplicate_entrypoint", message: `entrypoint "${spec.entrypoint}" reports as ${p.namespace}.${p.rule ?? "*"}, like an earlier one`, file });
        continue;
      }
      rules.add(key);
      const list = byNamespace.get(p.namespace) ?? [];
      list.push(p);
      byNamespace.set(p.namespace, list);
    }
  }

  return {
    namespaces: [...byNamespace.keys()],
    errors,
    evaluateDocument(document: unknown, docFile: string) {
      const evalErrors: BundleEvalError[] = [];
      const namespaces: ConftestNamespaceEvaluation[] = [];
      for (const [namespace, planned] of byNamespace) {
        const rules: ConftestRuleEvaluation[] = [];
        let exceptions: unknown;
        for (const p of planned) {
          const input = inputFor(p, document);
          if ("error" in input) {
            evalErrors.push({ file: docFile, code: "bundle_input_invalid", message: input.error });
            continue;
          }
          let value: unknown;
          try {
            value = policy?.evaluate(p.entrypoint, input.input)[0]?.result;
          } catch (e) {
            evalErrors.push(evalError(docFile, e));
            continue;
          }
          if (p.rule !== undefined) {
            rules.push({ name: p.rule, definitions: 1, values: value });
          } else if (isObject(value)) {
            for (const [name, values] of Object.entries(value)) {
              if (conftestRuleKind(name) !== undefined) rules.push({ name, definitions: 1, values });
              else if (name === "exception") exceptions = values;
            }
          } else if (value !== undefined) {
            evalErrors.push({ file: docFile, code: "bundle_result_invalid", message: `entrypoint "${p.spec.entrypoint}" is not a package: give its deny/warn rules as entrypoints, or a severity` });
          }
        }
        const ns: ConftestNamespaceEvaluation = { namespace, rules };
        if (exceptions !== undefined) ns.exceptions = exceptions;
        namespaces.push(ns);
      }
      return { evaluation: { namespaces }, evalErrors };
    },
  };
}
