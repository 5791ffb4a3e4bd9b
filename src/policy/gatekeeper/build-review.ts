import type { JsonObject } from "../manifests/manifest-types.js";
import { groupVersionKind } from "./matches-constraint.js";

/** The AdmissionRequest JSON that a template sees as `input.review`. */
export type AdmissionReviewRequest = JsonObject;

export type ReviewOutcome = { ok: true; review: AdmissionReviewRequest } | { ok: false; error: string };

export interface BuildReviewOptions {
  /** The object's Namespace, exposed as `review._unstable.namespace` as Gatekeeper does when it knows it. */
  namespaceObject?: JsonObject;
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Builds `input.review` the way gator does. For a plain object, the AdmissionRequest has kind {group, version, kind},
 * object, name, namespace (omitted when empty) and, as Go serialises an otherwise empty admission/v1 AdmissionRequest,
 * uid "", resource {group:"", version:"", resource:""}, operation "", userInfo {}, oldObject null, options null.
 * For an `admission.k8s.io` AdmissionReview, its `request` is used as is (with object set to oldObject for a DELETE
 * that has no object); a review without request, or a request without object and oldObject, is an error.
 */
export function buildReview(object: JsonObject, options: BuildReviewOptions = {}): ReviewOutcome {
  const gvk = groupVersionKind(object);
  if (gvk.kind === "AdmissionReview" && gvk.group === "admission.k8s.io") {
    const request = object.request;
    if (!isObject(request)) return { ok: false, error: "the AdmissionReview has no request" };
    if (!isObject(request.object) && !isObject(request.oldObject)) {
      return { ok: false, error: 'the AdmissionRequest has no "object" or "oldObject" to review' };
    }
    const review: JsonObject = { ...request };
    if (request.operation === "DELETE" && !isObject(request.object)) review.object = request.oldObject;
    return { ok: true, review };
  }
  const md = isObject(object.metadata) ? object.metadata : {};
  const review: JsonObject = {
    uid: "",
    kind: { group: gvk.group, version: gvk.version, kind: gvk.kind },
    resource: { group: "", version: "", resource: "" },
    operation: "",
    userInfo: {},
    object,
    oldObject: null,
    options: null,
  };
  if (typeof md.name === "string" && md.name !== "") review.name = md.name;
  if (typeof md.namespace === "string" && md.namespace !== "") review.namespace = md.namespace;
  if (options.namespaceObject !== undefined) review._unstable = { namespace: options.namespaceObject };
  return { ok: true, review };
}

/** The whole `input` document of a template evaluation: `{review, parameters}` (parameters `{}` when unset). */
export function buildGatekeeperInput(review: AdmissionReviewRequest, parameters: unknown): JsonObject {
  return { review, parameters: parameters === undefined ? {} : parameters };
}
