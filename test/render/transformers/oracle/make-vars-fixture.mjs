// Builds vars-fixture.json: random strings with $(VAR) references in var-reference fields, rendered by a real
// Kustomize (`kubectl kustomize`, v5.5.0). An oracle only: the test reads the committed fixture, never kubectl.
// Usage: node test/render/transformers/oracle/make-vars-fixture.mjs [cases=60] [seed=3]
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kustomizeOnce, seeded } from "../../generators/oracle/kustomize-once.mjs";

const count = Number(process.argv[2] ?? 60);
const rand = seeded(Number(process.argv[3] ?? 3));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const PIECES = ["$(SVC)", "$(PORT)", "$(FLAG)", "$(NOPE)", "$$", "$", "(", ")", "$(", "x", " ", "$(SVC", "$$(PORT)", "a$b", "$()"];
const text = () => Array.from({ length: Math.floor(rand() * 5) }, () => pick(PIECES)).join("");

const service = { apiVersion: "v1", kind: "Service", metadata: { name: "svc", labels: { on: "true" } }, spec: { ports: [{ port: 8080 }] } };
const vars = [
  { name: "SVC", objref: { kind: "Service", name: "svc", apiVersion: "v1" } },
  { name: "PORT", objref: { kind: "Service", name: "svc", apiVersion: "v1" }, fieldref: { fieldpath: "spec.ports[0].port" } },
  { name: "FLAG", objref: { kind: "Service", name: "svc", apiVersion: "v1" }, fieldref: { fieldpath: "metadata.labels.on" } },
];
const cases = [];
for (let c = 0; c < count; c++) {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", annotations: { a: text(), b: text() } },
    spec: { containers: [{ name: "c", image: text() || "x", command: [text(), text()], args: [text()], env: [{ name: "E", value: text() }] }] },
  };
  const result = kustomizeOnce({
    "r.yaml": `${JSON.stringify(service)}\n---\n${JSON.stringify(pod)}`,
    "kustomization.yaml": JSON.stringify({ resources: ["r.yaml"], vars }),
  });
  cases.push({ pod, ...result });
}
const out = join(dirname(fileURLToPath(import.meta.url)), "vars-fixture.json");
writeFileSync(out, JSON.stringify({ oracle: "kubectl kustomize (Kustomize v5.5.0)", values: { SVC: "svc", PORT: 8080, FLAG: "true" }, cases }, null, 1) + "\n");
console.log(`${cases.length} cases, ${cases.filter((c) => c.error).length} errors -> ${out}`);
