import { buildFleet } from "../../../src/fleet/build-fleet.js";
import type { PolicySource, SourceFinding } from "../../../src/policy/check/policy-check-types.js";
import { judgeRenderedRoots } from "../../../src/policy/render/judge-rendered-roots.js";
import { originOfField } from "../../../src/policy/render/rendered-documents.js";
import type { RenderResult } from "../../../src/render/api.js";
import { config, deployment, FLEET } from "./render-test-helpers.js";

/** A source that denies every container image outside good.io/, at the image's field path (as the library policy does). */
const imagePolicy: PolicySource = {
  kind: "gatekeeper",
  description: "images",
  problems: [],
  evaluate: (documents) => {
    const findings: SourceFinding[] = [];
    for (const doc of documents) {
      const spec = doc.value.spec as { template?: { spec?: { containers?: Array<{ image: string }> } } } | undefined;
      const containers = spec?.template?.spec?.containers ?? [];
      containers.forEach((c, i) => {
        if (c.image.startsWith("good.io/")) return;
        const at = doc.locate(`spec.template.spec.containers[${i}].image`);
        findings.push({ file: doc.file, line: at?.key?.line ?? doc.startLine, rule: "Images/good", message: `bad image ${c.image}`, action: "deny" });
      });
      if (doc.kind === "ConfigMap") findings.push({ file: doc.file, line: doc.startLine, rule: "Maps/none", message: "no ConfigMaps", action: "warn" });
    }
    return Promise.resolve({ findings, problems: [], evaluations: documents.length });
  },
};

const object = (image: string) => {
  const spec = { replicas: 1, template: { spec: { containers: [{ name: "main", image }] } } };
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec };
};

const files = new Map([
  ["base/deployment.yaml", `# the web tier\n${deployment("bad.io/web:1")}`],
  ["envs/dev/kustomization.yaml", "resources: [../../base]\n"],
  ["envs/prod-eu-1/kustomization.yaml", "resources: [../../base]\nimages:\n  - name: web\n    newName: bad.io/web\n"],
]);

const rendered = (root: string, image: string, fieldOrigins: RenderResult["objects"][number]["fieldOrigins"] = {}): RenderResult => ({
  root,
  ok: true,
  objects: [
    { object: object(image), source: { file: "base/deployment.yaml", line: 1 }, fieldOrigins },
    { object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" } }, source: { file: `${root}/kustomization.yaml`, line: 3 }, fieldOrigins: {} },
  ],
  diagnostics: [],
  files: ["base/deployment.yaml", `${root}/kustomization.yaml`],
  kustomizationDirs: ["base", root],
});

describe("judgeRenderedRoots", () => {
  const c = config(FLEET);
  const roots = [
    { dir: "envs/dev", file: "envs/dev/kustomization.yaml" },
    { dir: "envs/prod-eu-1", file: "envs/prod-eu-1/kustomization.yaml" },
  ];

  test("a field a transformer set is annotated at its origin, other fields in the resource file; messages name the root; enforcement per root", async () => {
    const renders = new Map([
      ["envs/dev", rendered("envs/dev", "bad.io/web:1")],
      ["envs/prod-eu-1", rendered("envs/prod-eu-1", "bad.io/web:1", { "/spec/template/spec/containers/0/image": { file: "envs/prod-eu-1/kustomization.yaml", line: 4, column: 5 } })],
    ]);
    const judged = await judgeRenderedRoots({ config: c, fleet: buildFleet(c), sources: [imagePolicy], roots, renders, files: { read: (p) => files.get(p) } });
    const lines = judged.findings.map((f) => [f.file, f.line, f.column, f.action, f.environment, f.message]);
    expect(lines).toEqual([
      // dev: the image comes from base/deployment.yaml line 12 (after the comment line); dev only warns.
      ["base/deployment.yaml", 12, 11, "warn", "dev", "[dev] envs/dev: bad image bad.io/web:1"],
      ["envs/dev/kustomization.yaml", 3, undefined, "warn", "dev", "[dev] envs/dev: no ConfigMaps"],
      ["envs/prod-eu-1/kustomization.yaml", 4, 5, "deny", "prod/prod-eu-1", "[prod-eu-1] envs/prod-eu-1: bad image bad.io/web:1"],
      ["envs/prod-eu-1/kustomization.yaml", 3, undefined, "warn", "prod/prod-eu-1", "[prod-eu-1] envs/prod-eu-1: no ConfigMaps"],
    ]);
    expect(judged.roots).toEqual([
      { dir: "envs/dev", label: "dev", environment: "dev", ok: true, objects: 2 },
      { dir: "envs/prod-eu-1", label: "prod-eu-1", environment: "prod/prod-eu-1", ok: true, objects: 2 },
    ]);
    expect(judged.evaluations).toBe(4);
  });

  test("a root that cannot be rendered is a deny at the diagnostic's line even where the environment only warns; the other root is judged", async () => {
    const failed: RenderResult = {
      root: "envs/dev",
      ok: false,
      objects: [],
      diagnostics: [
        { code: "render_missing_file", severity: "error", message: "resource missing.yaml does not exist", file: "envs/dev/kustomization.yaml", line: 2, column: 5 },
        { code: "render_deprecated", severity: "warning", message: "bases is deprecated", file: "envs/dev/kustomization.yaml", line: 1 },
      ],
      files: ["envs/dev/kustomization.yaml"],
      kustomizationDirs: ["envs/dev"],
    };
    const renders = new Map([
      ["envs/dev", failed],
      ["envs/prod-eu-1", rendered("envs/prod-eu-1", "good.io/web:1")],
    ]);
    const judged = await judgeRenderedRoots({ config: c, fleet: buildFleet(c), sources: [imagePolicy], roots, renders, files: { read: (p) => files.get(p) } });
    expect(judged.findings.map((f) => [f.source, f.rule, f.file, f.line, f.action])).toEqual([
      ["render", "render_missing_file", "envs/dev/kustomization.yaml", 2, "deny"],
      ["gatekeeper", "Maps/none", "envs/prod-eu-1/kustomization.yaml", 3, "warn"],
    ]);
    expect(judged.problems).toEqual([expect.objectContaining({ code: "render_deprecated", severity: "warning", message: "[dev] envs/dev: bases is deprecated" })]);
    expect(judged.roots.map((r) => r.ok)).toEqual([false, true]);
  });

  test("a source with errors judges nothing; a source problem on a rendered object lands at the object's source", async () => {
    const broken: PolicySource = { ...imagePolicy, problems: [{ code: "x", severity: "error", message: "broken", file: "p.rego", line: 1, column: 1 }] };
    const erring: PolicySource = {
      ...imagePolicy,
      evaluate: (docs) => Promise.resolve({ findings: [], problems: docs.slice(0, 1).map((d) => ({ code: "eval", severity: "error" as const, message: "boom", file: d.file, line: d.startLine, column: 1 })), evaluations: 1 }),
    };
    const renders = new Map([["envs/dev", rendered("envs/dev", "bad.io/web:1")]]);
    const judged = await judgeRenderedRoots({ config: c, fleet: buildFleet(c), sources: [broken, erring], roots: roots.slice(0, 1), renders, files: { read: () => undefined } });
    expect(judged.findings).toEqual([]);
    expect(judged.problems).toEqual([{ code: "eval", severity: "error", message: "[dev] envs/dev: boom", file: "base/deployment.yaml", line: 1, column: 1 }]);
  });
});

describe("originOfField", () => {
  test("the longest pointer prefix that a transformer set wins; keys with / and ~ are escaped", () => {
    const origins = { "/spec": { file: "p.yaml", line: 1 }, "/spec/template/spec/containers/0": { file: "k.yaml", line: 9 }, "/metadata/annotations/a~1b": { file: "k.yaml", line: 4 } };
    expect(originOfField(origins, ["spec", "template", "spec", "containers", 0, "image"])).toEqual({ file: "k.yaml", line: 9 });
    expect(originOfField(origins, ["spec", "replicas"])).toEqual({ file: "p.yaml", line: 1 });
    expect(originOfField(origins, ["metadata", "annotations", "a/b"])).toEqual({ file: "k.yaml", line: 4 });
    expect(originOfField(origins, ["metadata", "name"])).toBeUndefined();
  });
});
