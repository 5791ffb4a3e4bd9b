// Builds merge-fixture.json: overlays whose generators merge into or replace a base's generated objects, rendered by
// a real Kustomize (`kubectl kustomize`, v5.5.0). An oracle only: the test reads the committed fixture.
// Usage: node test/render/generators/oracle/make-merge-fixture.mjs [cases=50] [seed=9]
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { kustomizeOnce, seeded } from "./kustomize-once.mjs";

const count = Number(process.argv[2] ?? 50);
const rand = seeded(Number(process.argv[3] ?? 9));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const maybe = (p, f) => (rand() < p ? f() : undefined);
const literals = () => Array.from({ length: Math.floor(rand() * 3) }, () => `${pick(["A", "B", "C", "D"])}=${pick(["1", "two", "x y", ""])}`).filter((l, i, all) => all.findIndex((m) => m[0] === l[0]) === i);
const options = () => {
  const o = {};
  const labels = maybe(0.4, () => ({ [pick(["l1", "l2"])]: pick(["a", "b"]) }));
  const annotations = maybe(0.3, () => ({ [pick(["n1", "n2"])]: pick(["a", "b"]) }));
  if (labels) o.labels = labels;
  if (annotations) o.annotations = annotations;
  if (rand() < 0.3) o.disableNameSuffixHash = true;
  return Object.keys(o).length ? o : undefined;
};
const entry = (name, extra = {}) => {
  const e = { name, ...extra };
  const l = literals();
  if (l.length) e.literals = l;
  const o = options();
  if (o) e.options = o;
  return e;
};

const cases = [];
for (let c = 0; c < count; c++) {
  const base = { configMapGenerator: [entry("cm1"), entry("cm2")], secretGenerator: [entry("s1", maybe(0.5, () => ({ type: "x/y" })) ?? {})] };
  const prefix = maybe(0.5, () => "b-");
  if (prefix) base.namePrefix = prefix;
  const overlay = { resources: ["../base"], configMapGenerator: [], secretGenerator: [] };
  for (const name of ["cm1", "cm2"]) if (rand() < 0.7) overlay.configMapGenerator.push(entry(name, { behavior: pick(["merge", "replace"]) }));
  if (rand() < 0.7) overlay.secretGenerator.push(entry("s1", { behavior: pick(["merge", "replace"]), ...(maybe(0.3, () => ({ type: "z" })) ?? {}) }));
  const result = kustomizeOnce({ "base/kustomization.yaml": JSON.stringify(base), "overlay/kustomization.yaml": JSON.stringify(overlay) }, "overlay");
  cases.push({ base, overlay, ...result });
}
const out = join(dirname(fileURLToPath(import.meta.url)), "merge-fixture.json");
writeFileSync(out, JSON.stringify({ oracle: "kubectl kustomize (Kustomize v5.5.0)", cases }, null, 1) + "\n");
console.log(`${cases.length} cases, ${cases.filter((c) => c.error).length} errors -> ${out}`);
