import { describe, expect, it } from "@jest/globals";
import {
  COMMON_LABELS_SPECS,
  NAME_REFERENCE_SPECS,
  gvkMatches,
  parseApiVersion,
  splitFieldPath,
  visitFieldSpec,
  visitFieldSpecs,
  type JsonObject,
} from "../../../src/render/fieldspec/index.js";
import { RenderError } from "../../../src/render/render-error.js";

const addLabel = (v: unknown) => ({ ...(v as JsonObject | undefined), a: "b" });

describe("gvk matching", () => {
  it("splits apiVersion into group and version", () => {
    expect(parseApiVersion("apps/v1")).toEqual({ group: "apps", version: "v1" });
    expect(parseApiVersion("v1")).toEqual({ group: "", version: "v1" });
    expect(parseApiVersion(undefined)).toEqual({ group: "", version: "" });
  });
  it("matches each non-empty member", () => {
    const d = { apiVersion: "apps/v1", kind: "Deployment" };
    expect(gvkMatches({}, d)).toBe(true);
    expect(gvkMatches({ kind: "Deployment", group: "apps" }, d)).toBe(true);
    expect(gvkMatches({ kind: "Deployment", group: "batch" }, d)).toBe(false);
    expect(gvkMatches({ version: "v2" }, d)).toBe(false);
    expect(gvkMatches({ kind: "Service" }, d)).toBe(false);
  });
});

describe("splitFieldPath", () => {
  it("keeps escaped slashes inside a name", () => {
    expect(splitFieldPath("metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret")).toEqual([
      "metadata",
      "annotations",
      "nginx.ingress.kubernetes.io/auth-secret",
    ]);
    expect(splitFieldPath("spec/containers[]/image")).toEqual(["spec", "containers[]", "image"]);
  });
});

describe("visitFieldSpec", () => {
  it("creates missing maps only when create is set, and reports pointers", () => {
    const obj: JsonObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } };
    const seen: string[] = [];
    visitFieldSpecs(obj, COMMON_LABELS_SPECS, (v, p) => (seen.push(p), addLabel(v)));
    expect(obj).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d", labels: { a: "b" } },
      spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } } } },
    });
    expect(seen).toEqual(["/spec/selector/matchLabels", "/metadata/labels", "/spec/template/metadata/labels"]);
  });
  it("walks every list element, and does not create a field marked []", () => {
    const obj: JsonObject = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      spec: { volumeClaimTemplates: [{ metadata: null }, { spec: {} }] },
    };
    visitFieldSpec(obj, { path: "spec/volumeClaimTemplates[]/metadata/labels", create: true }, addLabel);
    expect(obj["spec"]).toEqual({
      volumeClaimTemplates: [{ metadata: { labels: { a: "b" } } }, { spec: {}, metadata: { labels: { a: "b" } } }],
    });
    const empty: JsonObject = { kind: "X", spec: {} };
    visitFieldSpec(empty, { path: "spec/volumeClaimTemplates[]/metadata/labels", create: true }, addLabel);
    expect(empty).toEqual({ kind: "X", spec: {} });
  });
  it("stops at a missing or null field without create", () => {
    const obj: JsonObject = { kind: "Deployment", spec: { template: { spec: { affinity: null } } } };
    visitFieldSpecs(obj, COMMON_LABELS_SPECS.filter((s) => !s.create), addLabel);
    expect(obj).toEqual({ kind: "Deployment", spec: { template: { spec: { affinity: null } } } });
  });
  it("is a RenderError when a scalar sits where the path goes on", () => {
    const obj: JsonObject = { apiVersion: "apps/v1", kind: "Deployment", spec: { template: 5 } };
    expect(() => visitFieldSpecs(obj, COMMON_LABELS_SPECS, addLabel)).toThrow(RenderError);
    try {
      visitFieldSpecs(obj, COMMON_LABELS_SPECS, addLabel);
    } catch (e) {
      expect((e as RenderError).code).toBe("render_fieldspec_not_container");
    }
  });
  it("leaves the field alone when the visitor returns undefined", () => {
    const obj: JsonObject = { kind: "Pod", spec: { containers: [{ image: "a" }, { image: "b" }] } };
    const got: Array<[unknown, string]> = [];
    visitFieldSpec(obj, { path: "spec/containers[]/image" }, (v, p) => void got.push([v, p]));
    expect(got).toEqual([["a", "/spec/containers/0/image"], ["b", "/spec/containers/1/image"]]);
    expect(obj).toEqual({ kind: "Pod", spec: { containers: [{ image: "a" }, { image: "b" }] } });
  });
  it("escapes pointer tokens and reaches annotation keys with slashes", () => {
    const obj: JsonObject = { kind: "Ingress", metadata: { annotations: { "nginx.ingress.kubernetes.io/auth-secret": "s" } } };
    const secret = NAME_REFERENCE_SPECS.find((r) => r.kind === "Secret")!;
    const got: string[] = [];
    visitFieldSpecs(obj, secret.fieldSpecs, (v, p) => (got.push(p), `p-${String(v)}`));
    expect(got).toEqual(["/metadata/annotations/nginx.ingress.kubernetes.io~1auth-secret"]);
    expect(obj["metadata"]).toEqual({ annotations: { "nginx.ingress.kubernetes.io/auth-secret": "p-s" } });
  });
});

describe("builtin name references", () => {
  it("a ValidatingAdmissionPolicyBinding names its policy (TestBackReferenceAdmissionPolicy)", () => {
    const vap = NAME_REFERENCE_SPECS.find((r) => r.kind === "ValidatingAdmissionPolicy")!;
    const binding: JsonObject = { apiVersion: "admissionregistration.k8s.io/v1beta1", kind: "ValidatingAdmissionPolicyBinding", spec: { policyName: "p" } };
    visitFieldSpecs(binding, vap.fieldSpecs, (v) => `a-${String(v)}`);
    expect(binding["spec"]).toEqual({ policyName: "a-p" });
  });
  it("cover ConfigMap references in every workload's pod spec", () => {
    const cm = NAME_REFERENCE_SPECS.find((r) => r.kind === "ConfigMap")!;
    const kinds = new Set(cm.fieldSpecs.filter((f) => f.path.endsWith("configMapKeyRef/name")).map((f) => f.kind));
    expect([...kinds].sort()).toEqual(["CronJob", "DaemonSet", "Deployment", "Job", "Pod", "ReplicaSet", "Service", "StatefulSet"]);
  });
});
