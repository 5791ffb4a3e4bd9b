/**
 * Prebuilt OPA Wasm bundles as a policy source of the pull request check (issue 5, source 3): which entrypoints
 * to evaluate and how to read their results. Results come back in the Conftest evaluator's shape
 * (`ConftestFileEvaluation`), so `checkConftestNamespace`/`checkConftest` turn them into failures and warnings.
 */
import type { BundleLimits } from "../../rego/bundle/bundle-types.js";
import type { ConftestFileEvaluation } from "../conftest/conftest-types.js";

/**
 * How an entrypoint's value is read:
 * - `conftest`: the input is the manifest document. A rule entrypoint (`main/deny`, `k8s/warn_labels`) yields a set
 *   of messages (strings, or objects with `msg`); whether they fail or warn follows Conftest's rule names
 *   (deny/violation → failure, warn → warning) unless `severity` says otherwise. A package entrypoint (`main`)
 *   yields an object whose deny/violation/warn rules (and `exception`) are read as Conftest reads a namespace.
 * - `gatekeeper`: the input is Gatekeeper's `{review, parameters}` built from the document as gator does; the value
 *   is a set of `{msg, details}` violations, all failures (Gatekeeper's enforcement action is the caller's).
 */
export type BundleResultStyle = "conftest" | "gatekeeper";

export interface BundleEntrypointSpec {
  /** `main/deny` or `data.main.deny`. */
  entrypoint: string;
  style: BundleResultStyle;
  /** Conftest style: fail or warn regardless of the rule's name (needed when it is not deny/violation/warn…). */
  severity?: "failure" | "warning";
  /** Gatekeeper style: `input.parameters` (default `{}`). */
  parameters?: unknown;
}

export interface BundlePolicyRequest {
  /** The `.tar.gz` bytes (from `opa build -t wasm` or `fleetward build`). */
  bundle: Uint8Array;
  entrypoints: readonly BundleEntrypointSpec[];
  /** Where the bundle came from (its path in the repository), for error reports. */
  name?: string;
  limits?: Partial<BundleLimits>;
}

/** A problem that keeps the bundle, or one of its entrypoints, from judging: stable `bundle_*` codes. */
export interface BundlePolicyError {
  code: string;
  message: string;
  /** The bundle's name (request.name), or "" when not given. */
  file: string;
}

export interface BundleEvalError {
  /** The manifest file whose document raised it. */
  file: string;
  code: string;
  message: string;
}

export interface EvaluateBundlePolicyRequest extends BundlePolicyRequest {
  /** The manifest files and their decoded documents (each document is evaluated on its own). */
  files: readonly { path: string; documents: readonly unknown[] }[];
}

export interface EvaluateBundlePolicyResult {
  /** The namespaces the entrypoints map to, in order (pass them to `checkConftest`). */
  namespaces: string[];
  /** One evaluation per file, one per document inside: the Conftest evaluator's shape. Empty when `errors` stop the bundle. */
  files: ConftestFileEvaluation[];
  errors: BundlePolicyError[];
  evalErrors: BundleEvalError[];
}
