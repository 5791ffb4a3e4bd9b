#!/usr/bin/env node
/**
 * Generates the differential fixtures in test/fixtures/kustomize-differential/ by rendering generated kustomization
 * trees with a real Kustomize (see that folder's README).
 *
 *   node scripts/kustomize-differential/generate.mjs [--seed 1] [--random 56] [--flat 36] [--kubectl /usr/bin/kubectl]
 *                                                     [--out test/fixtures/kustomize-differential] [--only random|flat|templates|errors]
 *
 * Each group is written to <out>/<group>.json: { source, kustomizeVersion, order, cases: [{ name, files, run,
 * order, expected | error, kustomizeError?, features }] } — the shape of the shared conformance cases, plus the
 * order (`legacy`: kubectl kustomize's default; `none`: input order, rendered by adding `sortOptions: {order: fifo}`
 * to the root for Kustomize only; a root's own `sortOptions` wins) and what the case exercises.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { errorCases } from "./error-cases.mjs";
import { kustomizeVersion, runKustomize } from "./kustomize.mjs";
import { flatTree, randomTree } from "./random-tree.mjs";
import { templateCases } from "./templates.mjs";

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const seed = Number(option("seed", "1"));
const randomCount = Number(option("random", "56"));
const flatCount = Number(option("flat", "36"));
const kubectl = option("kubectl", "/usr/bin/kubectl");
const out = option("out", "test/fixtures/kustomize-differential");
const only = option("only", "");
const version = kustomizeVersion(kubectl);

/**
 * The files Kustomize is run on: for input order (`none`, which kubectl kustomize cannot be asked for) the root
 * kustomization gets `sortOptions: {order: fifo}`, the same order; the fixture keeps the files without it.
 */
function oracleFiles(c) {
  if (c.order !== "none") return c.files;
  const prefix = c.run === "." ? "" : `${c.run}/`;
  const root = ["kustomization.yaml", "kustomization.yml", "Kustomization"].map((n) => prefix + n).find((p) => p in c.files);
  if (!root || /^sortOptions:/m.test(c.files[root])) throw new Error(`${c.name}: input order needs a root kustomization without sortOptions`);
  return { ...c.files, [root]: `${c.files[root].replace(/\n?$/, "\n")}sortOptions:\n  order: fifo\n` };
}

function render(c) {
  const res = runKustomize(kubectl, oracleFiles(c), c.run);
  const base = { name: c.name, files: c.files, run: c.run, order: c.order ?? "legacy" };
  const tail = { features: c.features };
  if (c.expectError && res.ok) throw new Error(`${c.name}: meant to fail, but Kustomize ${version} built it`);
  return res.ok ? { ...base, expected: res.stdout, ...tail } : { ...base, error: true, kustomizeError: res.message, ...tail };
}

function writeGroup(group, source, cases) {
  if (only && only !== group) return;
  const rendered = cases.map(render);
  const failed = rendered.filter((c) => c.error).length;
  const doc = { source, kustomizeVersion: version, generator: "scripts/kustomize-differential/generate.mjs", seed, cases: rendered };
  const text = JSON.stringify(doc, null, 1) + "\n";
  writeFileSync(join(out, `${group}.json`), text);
  console.log(`${group}: ${rendered.length} cases (${failed} where Kustomize fails), ${(text.length / 1024).toFixed(0)} KiB`);
}

/** `count` trees of one family; every fourth in input order unless its root sets sortOptions itself. */
function family(prefix, count, make, offset) {
  return Array.from({ length: count }, (_, i) => {
    const tree = make(seed * 100_003 + offset + i);
    const order = i % 4 === 3 && !tree.features.some((f) => f.endsWith(":sortOptions")) ? "none" : "legacy";
    return { name: `${prefix}-${seed}-${i}`, order, ...tree };
  });
}

writeGroup("random", `random kustomization trees, seeds ${seed}×100003 + 0..${randomCount - 1}`, family("random", randomCount, randomTree, 0));
writeGroup("flat", `one kustomization with many features, seeds ${seed}×100003 + 50000 + 0..${flatCount - 1}`, family("flat", flatCount, flatTree, 50_000));
writeGroup("templates", "hand-written templates and their mutations", templateCases());
writeGroup("errors", "inputs Kustomize rejects", errorCases());
