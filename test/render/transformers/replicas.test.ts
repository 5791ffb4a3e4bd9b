/** Expected results are what `kubectl kustomize` (Kustomize v5.5.0) printed for an overlay over a prefixed base. */
import { describe, expect, it } from "@jest/globals";
import { applyReplicas, type TargetResource } from "../../../src/render/transformers/index.js";

const base = (): TargetResource[] => [
  { object: { apiVersion: "v1", kind: "Service", metadata: { name: "p-web" } }, previousIds: [{ group: "", version: "v1", kind: "Service", name: "web", namespace: "" }] },
  { object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "p-web" }, spec: { replicas: 1 } }, previousIds: [{ group: "apps", version: "v1", kind: "Deployment", name: "web", namespace: "" }] },
  { object: { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "p-db" } }, previousIds: [{ group: "apps", version: "v1", kind: "StatefulSet", name: "db", namespace: "" }] },
];

describe("applyReplicas", () => {
  it("matches current or previous names of workload kinds, creating spec.replicas", () => {
    const rs = base();
    const set: Array<[number, string]> = [];
    applyReplicas(rs, { name: "web", count: 3 }, undefined, (i, p) => set.push([i, p]));
    applyReplicas(rs, { name: "p-db", count: 2 }, undefined, (i, p) => set.push([i, p]));
    expect(rs.map((r) => r.object["spec"])).toEqual([undefined, { replicas: 3 }, { replicas: 2 }]);
    expect(set).toEqual([[1, "/spec/replicas"], [2, "/spec/replicas"]]);
  });
  it("no matching resource is an error naming the kinds", () => {
    expect(() => applyReplicas(base(), { name: "nope", count: 3 })).toThrow(/resource with name nope does not match a config with the following GVK \[Deployment\.\[noVer\]\.\[noGrp\]/);
    expect(() => applyReplicas(base(), { name: "web", count: 1.5 })).toThrow(expect.objectContaining({ code: "render_replicas_count" }));
  });
});
