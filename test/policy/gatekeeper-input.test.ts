import {
  buildGatekeeperInput,
  buildInventory,
  buildReview,
  interpretViolations,
  type Constraint,
} from "../../src/policy/gatekeeper/index.js";

const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "shop" }, spec: {} };
const deploy = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" } };
const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "admin" } };
const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } };

describe("buildReview", () => {
  it("builds gator's AdmissionRequest for a plain object", () => {
    expect(buildReview(deploy)).toEqual({
      ok: true,
      review: {
        uid: "",
        kind: { group: "apps", version: "v1", kind: "Deployment" },
        resource: { group: "", version: "", resource: "" },
        operation: "",
        userInfo: {},
        object: deploy,
        oldObject: null,
        options: null,
        name: "web",
        namespace: "shop",
      },
    });
  });

  it("uses the core group for apiVersion v1 and omits an empty namespace", () => {
    const r = buildReview(role);
    if (!r.ok) throw new Error(r.error);
    expect(r.review.kind).toEqual({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole" });
    expect("namespace" in r.review).toBe(false);
    const p = buildReview(pod);
    if (!p.ok) throw new Error(p.error);
    expect(p.review.kind).toEqual({ group: "", version: "v1", kind: "Pod" });
  });

  it("exposes a known Namespace as _unstable.namespace", () => {
    const r = buildReview(pod, { namespaceObject: ns });
    expect(r.ok && r.review._unstable).toEqual({ namespace: ns });
  });

  it("uses the request of an AdmissionReview, filling object from oldObject on DELETE", () => {
    const request = { uid: "1", kind: { group: "", version: "v1", kind: "Pod" }, operation: "DELETE", oldObject: pod, userInfo: { username: "me" } };
    const r = buildReview({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request });
    expect(r).toEqual({ ok: true, review: { ...request, object: pod } });
    const create = { ...request, operation: "CREATE", object: pod, oldObject: undefined };
    const c = buildReview({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: create });
    expect(c.ok && c.review.operation).toBe("CREATE");
  });

  it("rejects an AdmissionReview without request or without any object", () => {
    expect(buildReview({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" }).ok).toBe(false);
    expect(buildReview({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { operation: "CREATE" } })).toEqual({
      ok: false,
      error: 'the AdmissionRequest has no "object" or "oldObject" to review',
    });
  });

  it("builds the input document with parameters", () => {
    const r = buildReview(pod);
    if (!r.ok) throw new Error(r.error);
    expect(buildGatekeeperInput(r.review, { repos: ["a/"] })).toEqual({ review: r.review, parameters: { repos: ["a/"] } });
    expect(buildGatekeeperInput(r.review, undefined).parameters).toEqual({});
  });
});

describe("buildInventory", () => {
  it("keys namespaced objects by namespace/groupVersion/kind/name and cluster objects by groupVersion/kind/name", () => {
    const other = { apiVersion: "v1", kind: "Pod", metadata: { name: "q", namespace: "lab" } };
    const inv = buildInventory([pod, deploy, role, ns, other, { kind: "Broken" }]);
    expect(inv).toEqual({
      namespace: {
        shop: { v1: { Pod: { p: pod } }, "apps/v1": { Deployment: { web: deploy } } },
        lab: { v1: { Pod: { q: other } } },
      },
      cluster: {
        "rbac.authorization.k8s.io/v1": { ClusterRole: { admin: role } },
        v1: { Namespace: { shop: ns } },
      },
    });
  });
});

describe("interpretViolations", () => {
  const constraint = {
    kind: "K8sRequiredLabels",
    name: "owner",
    enforcementAction: "warn",
    template: { name: "k8srequiredlabels", file: "t.yaml", line: 3 },
  } as unknown as Constraint;
  const resource = { apiVersion: "v1", kind: "Pod", name: "p", namespace: "shop", file: "p.yaml", line: 1 };

  it("maps results to violations with the constraint's name, kind and action", () => {
    const r = interpretViolations(
      [
        { msg: "missing owner", details: { missing: ["owner"] } },
        { msg: "second" },
        { msg: "second" },
      ],
      constraint,
      resource,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.violations).toEqual([
      { constraintKind: "K8sRequiredLabels", constraintName: "owner", enforcementAction: "warn", message: "missing owner", details: { missing: ["owner"] }, resource },
      { constraintKind: "K8sRequiredLabels", constraintName: "owner", enforcementAction: "warn", message: "second", details: {}, resource },
    ]);
  });

  it("drops and reports malformed results", () => {
    const r = interpretViolations([{ details: {} }, "text", { msg: 3 }, { msg: "ok" }], constraint, resource);
    expect(r.violations.map((v) => v.message)).toEqual(["ok"]);
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ["gatekeeper_result_invalid", "t.yaml", 3],
      ["gatekeeper_result_invalid", "t.yaml", 3],
      ["gatekeeper_result_invalid", "t.yaml", 3],
    ]);
    expect(interpretViolations({ not: "array" }, constraint, resource).diagnostics).toHaveLength(1);
  });
});
