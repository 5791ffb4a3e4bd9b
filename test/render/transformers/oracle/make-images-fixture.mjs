// Builds images-fixture.json: random container images and `images:` entries rendered by a real Kustomize
// (`kubectl kustomize`, v5.5.0). An oracle only: the test reads the committed fixture and never runs kubectl.
// Usage: node test/render/transformers/oracle/make-images-fixture.mjs [cases=60] [seed=7]
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kustomizeOnce, seeded } from "../../generators/oracle/kustomize-once.mjs";

const count = Number(process.argv[2] ?? 60);
const rand = seeded(Number(process.argv[3] ?? 7));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const maybe = (p, v) => (rand() < p ? v : undefined);

const NAMES = ["nginx", "app", "docker.io/library/nginx", "localhost:5000/app", "gcr.io/proj/tool", "my-registry:8443/team/app", "nginxx"];
const TAGS = ["", ":1.7", ":latest", ":v{{.Version}}", ":1.0-rc_2", ":"];
const DIGESTS = ["", "@sha256:abc123", "@sha256:"];
const image = () => pick(NAMES) + pick(TAGS) + pick(DIGESTS);
const ENTRY_NAMES = ["nginx", "app", "docker.io/library/nginx", "localhost:5000/app", "gcr.io/.*", ".*", "ngin.", "my-registry:8443/team/app", "nginx|app", "tool"];

const cases = [];
for (let c = 0; c < count; c++) {
  const images = Array.from({ length: 4 }, image);
  const entries = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
    const e = { name: pick(ENTRY_NAMES) };
    const newName = maybe(0.4, pick(["mirror/x", "reg.example.com:5000/y", "z"]));
    const newTag = maybe(0.5, pick(["2", "v3.1", "1.0-x"]));
    const digest = maybe(0.3, pick(["sha256:def456", "sha256:0"]));
    if (newName) e.newName = newName;
    if (newTag) e.newTag = newTag;
    if (digest) e.digest = digest;
    return e;
  });
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: { template: { spec: { initContainers: [{ name: "i", image: images[0] }], containers: images.slice(1).map((im, i) => ({ name: `c${i}`, image: im })) } } },
  };
  const result = kustomizeOnce({ "d.yaml": JSON.stringify(deployment), "kustomization.yaml": JSON.stringify({ resources: ["d.yaml"], images: entries }) });
  cases.push({ deployment, entries, ...result });
}
const out = join(dirname(fileURLToPath(import.meta.url)), "images-fixture.json");
writeFileSync(out, JSON.stringify({ oracle: "kubectl kustomize (Kustomize v5.5.0)", cases }, null, 1) + "\n");
console.log(`${cases.length} cases, ${cases.filter((c) => c.error).length} errors -> ${out}`);
