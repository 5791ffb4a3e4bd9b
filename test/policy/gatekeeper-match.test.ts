import {
  matchesConstraint,
  matchesLabelSelector,
  wildcardMatches,
  type ConstraintMatch,
} from "../../src/policy/gatekeeper/index.js";
import type { JsonObject } from "../../src/policy/manifests/index.js";

const obj = (apiVersion: string, kind: string, name: string, namespace?: string, labels?: Record<string, string>): JsonObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace !== undefined ? { namespace } : {}), ...(labels ? { labels } : {}) },
});
const pod = (ns?: string, labels?: Record<string, string>, name = "p") => obj("v1", "Pod", name, ns, labels);
const deploy = (ns?: string) => obj("apps/v1", "Deployment", "d", ns);
const nsObj = (name: string, labels?: Record<string, string>) => obj("v1", "Namespace", name, undefined, labels);
const clusterRole = obj("rbac.authorization.k8s.io/v1", "ClusterRole", "admin");
const m = (match: ConstraintMatch) => ({ match });
const ok = { matches: true };

describe("wildcardMatches (Gatekeeper prefix/suffix globs)", () => {
  it.each([
    ["kube-*", "kube-system", true],
    ["kube-*", "kubernetes", false],
    ["*-system", "gatekeeper-system", true],
    ["*-system", "system-x", false],
    ["*mid*", "a-mid-b", true],
    ["*", "anything", true],
    ["exact", "exact", true],
    ["exact", "exactly", false],
    ["a*b", "a*b", true],
    ["a*b", "axb", false],
  ])("%s vs %s -> %s", (p, c, want) => expect(wildcardMatches(p, c)).toBe(want));
});

describe("matchesLabelSelector", () => {
  const labels = { app: "web", tier: "front" };
  it("ANDs matchLabels and every expression operator", () => {
    expect(matchesLabelSelector({ matchLabels: { app: "web" } }, labels)).toEqual({ ok: true, matches: true });
    expect(matchesLabelSelector({ matchLabels: { app: "db" } }, labels)).toEqual({ ok: true, matches: false });
    const expr = (operator: string, key: string, values?: string[]) =>
      matchesLabelSelector({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] }, labels);
    expect(expr("In", "app", ["web", "api"])).toEqual({ ok: true, matches: true });
    expect(expr("In", "missing", ["web"])).toEqual({ ok: true, matches: false });
    expect(expr("NotIn", "app", ["web"])).toEqual({ ok: true, matches: false });
    expect(expr("NotIn", "missing", ["web"])).toEqual({ ok: true, matches: true });
    expect(expr("Exists", "tier")).toEqual({ ok: true, matches: true });
    expect(expr("Exists", "nope")).toEqual({ ok: true, matches: false });
    expect(expr("DoesNotExist", "nope")).toEqual({ ok: true, matches: true });
    expect(expr("DoesNotExist", "app")).toEqual({ ok: true, matches: false });
    expect(matchesLabelSelector({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["back"] }] }, labels)).toEqual({ ok: true, matches: false });
    expect(matchesLabelSelector({}, {})).toEqual({ ok: true, matches: true });
  });
  it("rejects invalid requirements", () => {
    expect(matchesLabelSelector({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }, labels).ok).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }, labels).ok).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: "a", operator: "Equals", values: ["x"] }] }, labels).ok).toBe(false);
  });
});

describe("matchesConstraint", () => {
  it("matches everything with an empty match", () => {
    for (const o of [pod("a"), deploy(), clusterRole, nsObj("x")]) expect(matchesConstraint(m({}), o)).toEqual(ok);
  });

  describe("kinds", () => {
    it("needs one entry whose group and kind both match", () => {
      const c = m({ kinds: [{ apiGroups: [""], kinds: ["Pod"] }, { apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet"] }] });
      expect(matchesConstraint(c, pod("a"))).toEqual(ok);
      expect(matchesConstraint(c, deploy("a"))).toEqual(ok);
      expect(matchesConstraint(c, obj("apps/v1", "Pod", "x", "a"))).toEqual({ matches: false, criterion: "kinds" });
      expect(matchesConstraint(c, obj("v1", "Deployment", "x", "a"))).toEqual({ matches: false, criterion: "kinds" });
    });
    it("treats * and empty lists as any", () => {
      expect(matchesConstraint(m({ kinds: [{ apiGroups: ["*"], kinds: ["Deployment"] }] }), obj("extensions/v1beta1", "Deployment", "d"))).toEqual(ok);
      expect(matchesConstraint(m({ kinds: [{ apiGroups: ["apps"], kinds: ["*"] }] }), deploy("a"))).toEqual(ok);
      expect(matchesConstraint(m({ kinds: [{ kinds: ["Pod"] }] }), pod("a"))).toEqual(ok);
      expect(matchesConstraint(m({ kinds: [{ apiGroups: ["apps"] }] }), pod("a"))).toEqual({ matches: false, criterion: "kinds" });
    });
  });

  describe("scope", () => {
    it("Cluster matches Namespaces and objects without a namespace", () => {
      const c = m({ scope: "Cluster" });
      expect(matchesConstraint(c, clusterRole)).toEqual(ok);
      expect(matchesConstraint(c, nsObj("a"))).toEqual(ok);
      expect(matchesConstraint(c, pod("a"))).toEqual({ matches: false, criterion: "scope" });
    });
    it("Namespaced matches non-Namespace objects with a namespace", () => {
      const c = m({ scope: "Namespaced" });
      expect(matchesConstraint(c, pod("a"))).toEqual(ok);
      expect(matchesConstraint(c, nsObj("a"))).toEqual({ matches: false, criterion: "scope" });
      expect(matchesConstraint(c, clusterRole)).toEqual({ matches: false, criterion: "scope" });
    });
    it("* and unknown values match everything", () => {
      for (const scope of ["*", "cluster"]) {
        expect(matchesConstraint(m({ scope }), pod("a"))).toEqual(ok);
        expect(matchesConstraint(m({ scope }), clusterRole)).toEqual(ok);
      }
    });
  });

  describe("namespaces and excludedNamespaces", () => {
    it("apply globs to the object's namespace", () => {
      const c = m({ namespaces: ["prod-*", "shop"] });
      expect(matchesConstraint(c, pod("prod-eu"))).toEqual(ok);
      expect(matchesConstraint(c, pod("shop"))).toEqual(ok);
      expect(matchesConstraint(c, pod("dev"))).toEqual({ matches: false, criterion: "namespaces" });
      const x = m({ excludedNamespaces: ["kube-*", "*-system"] });
      expect(matchesConstraint(x, pod("kube-public"))).toEqual({ matches: false, criterion: "excludedNamespaces" });
      expect(matchesConstraint(x, pod("gatekeeper-system"))).toEqual({ matches: false, criterion: "excludedNamespaces" });
      expect(matchesConstraint(x, pod("default"))).toEqual(ok);
    });
    it("use a Namespace's own name", () => {
      expect(matchesConstraint(m({ namespaces: ["shop"] }), nsObj("shop"))).toEqual(ok);
      expect(matchesConstraint(m({ namespaces: ["shop"] }), nsObj("other"))).toEqual({ matches: false, criterion: "namespaces" });
      expect(matchesConstraint(m({ excludedNamespaces: ["kube-*"] }), nsObj("kube-system"))).toEqual({
        matches: false,
        criterion: "excludedNamespaces",
      });
    });
    it("do not filter other cluster-scoped objects", () => {
      expect(matchesConstraint(m({ namespaces: ["shop"] }), clusterRole)).toEqual(ok);
      expect(matchesConstraint(m({ excludedNamespaces: ["*"] }), clusterRole)).toEqual(ok);
    });
  });

  it("labelSelector selects on the object's labels and reports invalid selectors", () => {
    const c = m({ labelSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] } });
    expect(matchesConstraint(c, pod("a", { app: "web" }))).toEqual(ok);
    expect(matchesConstraint(c, pod("a", { app: "db" }))).toEqual({ matches: false, criterion: "labelSelector" });
    expect(matchesConstraint(c, pod("a"))).toEqual({ matches: false, criterion: "labelSelector" });
    const bad = m({ labelSelector: { matchExpressions: [{ key: "app", operator: "In" }] } });
    expect(matchesConstraint(bad, pod("a", { app: "web" }))).toMatchObject({ matches: false, criterion: "labelSelector", error: expect.any(String) });
  });

  describe("namespaceSelector", () => {
    const namespaces = new Map([
      ["shop", nsObj("shop", { env: "prod" })],
      ["lab", nsObj("lab", { env: "dev" })],
    ]);
    const c = m({ namespaceSelector: { matchLabels: { env: "prod" } } });
    it("selects on the labels of the object's Namespace from the manifests", () => {
      expect(matchesConstraint(c, pod("shop"), { namespaces })).toEqual(ok);
      expect(matchesConstraint(c, pod("lab"), { namespaces })).toEqual({ matches: false, criterion: "namespaceSelector" });
    });
    it("uses a Namespace's own labels", () => {
      expect(matchesConstraint(c, nsObj("x", { env: "prod" }))).toEqual(ok);
      expect(matchesConstraint(c, nsObj("x", { env: "dev" }))).toEqual({ matches: false, criterion: "namespaceSelector" });
    });
    it("matches cluster-scoped objects", () => {
      expect(matchesConstraint(c, clusterRole, { namespaces })).toEqual(ok);
    });
    it("is an error when the Namespace is unknown", () => {
      expect(matchesConstraint(c, pod("ghost"), { namespaces })).toMatchObject({
        matches: false,
        criterion: "namespaceSelector",
        error: expect.stringContaining("ghost"),
      });
    });
    it("supports negative expressions (NotIn/DoesNotExist)", () => {
      const neg = m({ namespaceSelector: { matchExpressions: [{ key: "env", operator: "NotIn", values: ["dev"] }] } });
      expect(matchesConstraint(neg, pod("shop"), { namespaces })).toEqual(ok);
      expect(matchesConstraint(neg, pod("lab"), { namespaces })).toEqual({ matches: false, criterion: "namespaceSelector" });
    });
  });

  it("name supports globs", () => {
    expect(matchesConstraint(m({ name: "web-*" }), pod("a", undefined, "web-1"))).toEqual(ok);
    expect(matchesConstraint(m({ name: "*-canary" }), pod("a", undefined, "web-canary"))).toEqual(ok);
    expect(matchesConstraint(m({ name: "web-*" }), pod("a", undefined, "api-1"))).toEqual({ matches: false, criterion: "name" });
    expect(matchesConstraint(m({ name: "" }), pod("a"))).toEqual(ok);
  });

  it("requires all criteria and reports the first failing one in Gatekeeper's order", () => {
    const c = m({ kinds: [{ apiGroups: [""], kinds: ["Pod"] }], namespaces: ["shop"], name: "x" });
    expect(matchesConstraint(c, deploy("other"))).toEqual({ matches: false, criterion: "kinds" });
    expect(matchesConstraint(c, pod("other", undefined, "y"))).toEqual({ matches: false, criterion: "namespaces" });
    expect(matchesConstraint(c, pod("shop", undefined, "y"))).toEqual({ matches: false, criterion: "name" });
    expect(matchesConstraint(c, pod("shop", undefined, "x"))).toEqual(ok);
  });
});
