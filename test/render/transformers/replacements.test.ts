/**
 * Replacements. Inputs and expected outputs come from Kustomize's own cases
 * (`TestReplacementTransformer…UsingRegex/2` in ../shared/kustomize-conformance, newer than v5.5.0) and from
 * `kubectl kustomize` (v5.5.0) runs of the kustomizations quoted in each test.
 */
import { describe, expect, it } from "@jest/globals";
import { parseKYaml } from "../../../src/render/kyaml.js";
import { applyReplacements, loadReplacements, type Replacement, type TargetResource } from "../../../src/render/transformers/index.js";
import type { JsonObject } from "../../../src/render/fieldspec/index.js";

const docs = (text: string): unknown[] => parseKYaml(text, "test.yaml").map((d) => d.value);
const resources = (text: string): TargetResource[] => docs(text).map((object) => ({ object: object as JsonObject }));
const replacements = (text: string): Replacement[] => docs(text)[0] as Replacement[];
const objects = (rs: TargetResource[]): unknown[] => rs.map((r) => r.object);
const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return "no error";
};

describe("applyReplacements: Kustomize's regex cases", () => {
  it("AppendToAnnotationUsingRegex: kind alternatives, reject by name pattern, create, delimiter at index -1", () => {
    const rs = resources(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: d1}
---
apiVersion: apps/v1
kind: ConfigMap
metadata: {name: cm1}
---
apiVersion: apps/v1
kind: ConfigMap
metadata: {name: cm2}
---
apiVersion: apps/v1
kind: postgresql
metadata: {name: pg1}
`);
    applyReplacements(
      rs,
      replacements(`
- source: {kind: ConfigMap, name: cm1}
  targets:
  - reject: [{kind: ConfigMap, name: c.1}]
    select: {kind: Deployment|ConfigMap|postgresql}
    fieldPaths: [metadata.annotations.visitedby]
    options: {index: -1, delimiter: ",", create: true}
- source: {kind: ConfigMap, name: cm2}
  targets:
  - reject: [{kind: ConfigMap, name: .*2}]
    select: {kind: Deployment|ConfigMap|postgresql}
    fieldPaths: [metadata.annotations.visitedby]
    options: {index: -1, delimiter: ",", create: true}
`),
    );
    expect(rs.map((r) => ((r.object["metadata"] as JsonObject)["annotations"] as JsonObject)["visitedby"])).toEqual([
      "cm2,cm1,",
      "cm2,",
      "cm1,",
      "cm2,cm1,",
    ]);
  });

  it("ServiceNamespaceUrlUsingRegex: wildcard and [name=value] in target paths, suffix by index past the end", () => {
    const deploy = (kind: string, name: string, value: string): string => `
apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}}
spec:
  template:
    spec:
      containers:
      - {image: "app1:1.0", name: app, env: [{name: APP1_SERVICE, value: "${value}"}]}
---`;
    const rs = resources(`${deploy("Deployment", "d1", "d1.app1")}${deploy("DaemonSet", "d2", "d2.app1")}${deploy("StatefulSet", "sts1", "app1")}
apiVersion: apps/v1
kind: ConfigMap
metadata: {name: cm1}
data: {APP1_SERVICE_PORT: "8080"}
---
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: svc1-namespace}
`);
    applyReplacements(
      rs,
      replacements(`
- source: {kind: Service, name: svc1, fieldPath: metadata.namespace}
  targets:
  - select: {kind: Deployment|.*Set}
    fieldPaths: ["spec.template.spec.containers.*.env.[name=APP1_SERVICE].value"]
    options: {index: 99, delimiter: "."}
- source: {kind: ConfigMap, name: cm1, fieldPath: data.APP1_SERVICE_PORT}
  targets:
  - select: {kind: Deployment|.*Set}
    fieldPaths: ["spec.template.spec.containers.*.env.[name=APP1_SERVICE].value"]
    options: {index: 99, delimiter: ":"}
`),
    );
    const values = rs.slice(0, 3).map((r) => JSON.stringify(r.object).match(/"value":"([^"]*)"/)![1]);
    expect(values).toEqual(["d1.app1.svc1-namespace:8080", "d2.app1.svc1-namespace:8080", "app1.svc1-namespace:8080"]);
  });
});

const service = `
apiVersion: v1
kind: ConfigMap
metadata: {name: src}
data: {port: "8080", word: abc, list: "a,b,c", num: "5"}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
spec:
  ports: [{port: 80, name: http}, {port: 81, name: other}]
  selector: {app: x}
  extra: null
  flag: true
  tags: [p, q]
`;

describe("applyReplacements: types and shapes (checked with kubectl kustomize)", () => {
  it("scalars keep their type, maps and lists are replaced whole, created fields read the text as YAML", () => {
    const rs = resources(service);
    const set: Array<[number, string, number]> = [];
    applyReplacements(
      rs,
      replacements(`
- source: {kind: ConfigMap, name: src, fieldPath: data.port}
  targets:
  - select: {kind: Service}
    fieldPaths: ["spec.ports.[name=http].port", spec.tags, "spec.ports.*.name"]
- source: {kind: ConfigMap, name: src, fieldPath: data.list, options: {delimiter: ",", index: 1}}
  targets:
  - select: {kind: Service}
    fieldPaths: [metadata.annotations.b]
    options: {create: true}
- source: {kind: ConfigMap, name: src, fieldPath: data}
  targets:
  - select: {kind: Service}
    fieldPaths: [spec.selector, spec.new.map]
    options: {create: true}
- source: {kind: ConfigMap, name: src, fieldPath: data.port}
  targets:
  - select: {kind: Service}
    fieldPaths: [metadata.labels.x, metadata.annotations.p, "spec.ports.[name=new].port", spec.list.0]
    options: {create: true}
`),
      (i, p, r) => set.push([i, p, r]),
    );
    const data = { port: "8080", word: "abc", list: "a,b,c", num: "5" };
    expect(rs[1]!.object).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "svc", annotations: { b: "b", p: "8080" }, labels: { x: 8080 } },
      spec: {
        ports: [{ port: 8080, name: "8080" }, { port: 81, name: "8080" }, { name: "new", port: 8080 }],
        selector: data,
        extra: null,
        flag: true,
        tags: "8080",
        new: { map: data },
        list: [8080],
      },
    });
    expect(set).toContainEqual([1, "/spec/ports/0/port", 0]);
    expect(set).toContainEqual([1, "/metadata/annotations/b", 1]);
    expect(set).toContainEqual([1, "/spec/list/0", 3]);
  });

  it("a scalar target takes a map source's text, which is empty", () => {
    const rs = resources(service);
    applyReplacements(rs, replacements(`[{source: {kind: ConfigMap, name: src, fieldPath: data}, targets: [{select: {kind: Service}, fieldPaths: [spec.ports.0.name]}]}]`));
    expect(JSON.stringify(rs[1]!.object)).toContain('"name":""');
  });

  it("fails as Kustomize does", () => {
    const one = (target: string, source = "{kind: ConfigMap, name: src, fieldPath: data.port}"): string =>
      code(() => applyReplacements(resources(service), replacements(`[{source: ${source}, targets: [${target}]}]`)));
    expect(one("{select: {kind: Service}, fieldPaths: [spec.missing]}")).toBe("render_replacement"); // unable to find field
    expect(one("{select: {kind: Service}, fieldPaths: [spec.flag]}")).toBe("render_replacement_type"); // !!int `8080` as a !!bool
    expect(one("{select: {kind: Service}, fieldPaths: [spec.extra]}")).toBe("render_replacement_type");
    expect(one("{select: {kind: Service}, fieldPaths: [spec.ports.5.port]}")).toBe("render_replacement_path");
    expect(one("{select: {kind: Service}, fieldPaths: [spec.ports.*.x], options: {create: true}}")).toBe("no error"); // v5.5.0 creates x in each
    expect(one("{select: {kind: Service}}", "{kind: ConfigMap, name: src, fieldPath: data.none}")).toBe("render_replacement");
    expect(one("{select: {kind: Service}}", "{kind: ConfigMap}")).toBe("no error");
    expect(one("{select: {kind: Service}}", "{version: v1}")).toBe("render_replacement"); // two sources
    expect(one("{select: {kind: \"(\"}}")).toBe("render_selector_invalid");
    expect(one("{fieldPaths: [a]}")).toBe("render_replacement");
    expect(one("{select: {kind: Service}, fieldPaths: spec.x}")).toBe("render_replacement");
    expect(one("{select: {kind: Service}, fieldPaths: [[a]]}")).toBe("render_replacement");
    expect(one("{select: {kind: [Service]}}")).toBe("render_replacement");
    expect(one("{select: {kind: Service}, reject: {name: x}}")).toBe("render_replacement");
    expect(one("{select: {kind: Service}, options: {index: one, delimiter: .}}")).toBe("render_replacement");
    expect(one("{select: {kind: Service}}", "{kind: ConfigMap, name: src, fieldPath: 5}")).toBe("render_replacement");
  });
});

describe("replacement selection", () => {
  it("a reject naming a base's name rejects the renamed object (TestReplacementTransformerWithSuffixTransformerAndReject/2)", () => {
    const rs: TargetResource[] = [
      {
        object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "original-name-dev" }, spec: { template: { spec: { containers: [{ name: "app" }] } } } },
        previousIds: [{ group: "apps", version: "v1", kind: "Deployment", name: "original-name", namespace: "" }],
      },
      { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config-dev" }, data: { name: "something-else" } } },
    ];
    const list = replacements(`[{source: {kind: ConfigMap, name: app-config-dev, fieldPath: data.name}, targets: [{select: {kind: Deployment}, reject: [{name: original-name}], fieldPaths: [spec.template.spec.containers.0.name]}]}]`);
    applyReplacements(rs, list);
    expect(JSON.stringify(rs[0]!.object)).toContain('"name":"app"');
    rs[0]!.previousIds = [];
    applyReplacements(rs, list);
    expect(JSON.stringify(rs[0]!.object)).toContain('"name":"something-else"');
  });

  it("selects by previous ids and label selectors; reject by labels or by id", () => {
    const rs: TargetResource[] = [
      { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "src" }, data: { v: "new" } } },
      { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "p-a", labels: { tier: "web" } }, data: { v: "old" } }, previousIds: [{ group: "", version: "v1", kind: "ConfigMap", name: "a", namespace: "" }] },
      { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "p-b", labels: { tier: "db" } }, data: { v: "old" } }, previousIds: [{ group: "", version: "v1", kind: "ConfigMap", name: "b", namespace: "" }] },
    ];
    applyReplacements(rs, replacements(`
- source: {kind: ConfigMap, name: src, fieldPath: data.v}
  targets:
  - select: {name: a}
    fieldPaths: [data.v]
  - select: {kind: ConfigMap, labelSelector: "tier in (web,db)"}
    reject: [{labelSelector: tier=db}, {name: src}]
    fieldPaths: [metadata.annotations.seen]
    options: {create: true}
`));
    expect(objects(rs).map((o) => JSON.stringify(o))).toEqual([
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"src"},"data":{"v":"new"}}',
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"p-a","labels":{"tier":"web"},"annotations":{"seen":"new"}},"data":{"v":"new"}}',
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"p-b","labels":{"tier":"db"}},"data":{"v":"old"}}',
    ]);
  });

  it("loads replacements from files: a list or a single one", () => {
    const files: Record<string, string> = {
      "list.yaml": "- source: {kind: ConfigMap, name: src}\n  targets: [{select: {kind: Service}}]\n",
      "one.yaml": "source: {kind: ConfigMap, name: src}\ntargets: [{select: {kind: Service}}]\n",
    };
    const loaded = loadReplacements([{ path: "list.yaml" }, { path: "one.yaml" }, { source: { kind: "X" }, targets: [] }], (p) => files[p], docs);
    expect(loaded.map((r) => r.source?.kind)).toEqual(["ConfigMap", "ConfigMap", "X"]);
    expect(code(() => loadReplacements([{ path: "none.yaml" }], (p) => files[p], docs))).toBe("render_missing_file");
    expect(code(() => loadReplacements([{ path: "one.yaml", source: {} }], (p) => files[p], docs))).toBe("render_replacement");
  });
});
