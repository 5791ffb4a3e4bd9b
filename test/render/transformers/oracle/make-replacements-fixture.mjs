// Builds replacements-fixture.json: random replacements over a small set of resources, rendered by a real Kustomize
// (`kubectl kustomize`, v5.5.0). An oracle only: the test reads the committed fixture and never runs kubectl.
// Usage: node test/render/transformers/oracle/make-replacements-fixture.mjs [cases=200] [seed=5]
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kustomizeOnce, seeded } from "../../generators/oracle/kustomize-once.mjs";

const count = Number(process.argv[2] ?? 200);
const rand = seeded(Number(process.argv[3] ?? 5));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const resources = [
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "8080", b: "x.y.z", c: "true", d: "" } },
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { app: "web" } },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "app", image: "nginx:1", args: ["a", "b"], env: [{ name: "A", value: "one.two" }, { name: "AB", value: "x" }] }, { name: "side", image: "busybox" }] },
      },
    },
  },
  { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }], selector: { app: "web" }, flag: true } },
];
const SOURCES = [
  { kind: "ConfigMap", name: "cfg", fieldPath: "data.a" },
  { kind: "ConfigMap", name: "cfg", fieldPath: "data.b" },
  { kind: "ConfigMap", name: "cfg", fieldPath: "data.c" },
  { kind: "ConfigMap", name: "cfg", fieldPath: "data.d" },
  { kind: "ConfigMap", name: "cfg" },
  { kind: "Service", name: "web", fieldPath: "spec.ports.0.port" },
  { kind: "Service", name: "web", fieldPath: "spec.selector" },
  { kind: "Deployment", fieldPath: "spec.replicas" },
  { kind: "Deployment", name: "web", fieldPath: "spec.template.spec.containers.[name=app].env.[name=A].value" },
  { kind: "ConfigMap", name: "cfg", fieldPath: "data.b", options: { delimiter: ".", index: 1 } },
  { kind: "ConfigMap", name: "cfg", fieldPath: "data.b", options: { delimiter: ".", index: 5 } },
  { name: "web", fieldPath: "metadata.name" },
];
const TARGET_PATHS = [
  "spec.replicas",
  "metadata.annotations.x",
  "metadata.labels.app",
  "spec.template.spec.containers.[name=app].env.[name=A].value",
  "spec.template.spec.containers.*.image",
  "spec.template.spec.containers.0.args",
  "spec.template.spec.containers.0.args.1",
  "spec.selector",
  "spec.selector.app",
  "data.a",
  "data.new",
  "spec.ports.0.port",
  "spec.ports.1.port",
  "spec.ports.[name=http].targetPort",
  "spec.flag",
  "spec.template.metadata.labels",
  "spec.new.deep",
];
// No regex selectors: v5.5.0 predates them (it matches "Deploy.*" literally); Kustomize's own regex cases cover them.
const SELECTS = [{ kind: "Deployment" }, { kind: "Service" }, { name: "web" }, { kind: "ConfigMap" }, { version: "v1" }, { group: "apps" }];
const OPTIONS = [undefined, undefined, { create: true }, { delimiter: "." }, { delimiter: ".", index: -1 }, { delimiter: ".", index: 1 }, { delimiter: "-", index: 9, create: true }];

// Half the targets are a kind with a path it has (the rest random, mostly errors).
const PLAUSIBLE = {
  Deployment: TARGET_PATHS.filter((p) => /^(spec\.(replicas|template|new)|metadata)/.test(p)),
  Service: TARGET_PATHS.filter((p) => /^(spec\.(ports|selector|flag|new)|metadata)/.test(p)),
  ConfigMap: TARGET_PATHS.filter((p) => /^(data|metadata)/.test(p)),
};
function pickTarget() {
  if (rand() < 0.5) return { select: pick(SELECTS), fieldPaths: [pick(TARGET_PATHS)] };
  const kind = pick(Object.keys(PLAUSIBLE));
  return { select: { kind }, fieldPaths: [pick(PLAUSIBLE[kind])] };
}

const cases = [];
for (let c = 0; c < count; c++) {
  const replacements = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ({
    source: pick(SOURCES),
    targets: [{ ...pickTarget(), ...(() => {
      const o = pick(OPTIONS);
      return o ? { options: o } : {};
    })() }],
  }));
  const result = kustomizeOnce({
    "r.yaml": resources.map((r) => JSON.stringify(r)).join("\n---\n"),
    "kustomization.yaml": JSON.stringify({ resources: ["r.yaml"], replacements }),
  });
  cases.push({ replacements, ...result });
}
const out = join(dirname(fileURLToPath(import.meta.url)), "replacements-fixture.json");
writeFileSync(out, JSON.stringify({ oracle: "kubectl kustomize (Kustomize v5.5.0)", resources, cases }, null, 1) + "\n");
console.log(`${cases.length} cases, ${cases.filter((c) => c.error).length} errors -> ${out}`);
