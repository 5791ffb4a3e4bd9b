/**
 * Issue 17's second template set: the bundled library (policies/library, every template with its constraint) over
 * 5,000 varied generated manifests (bench/generate-manifests.ts: workloads, services, ingresses, namespaces, with and
 * without violations), the way a pull request's check runs it: YAML text → documents → `evaluateGatekeeper` with the
 * app's evaluator. Figures: pruned inputs against whole ones (same results, checked first), and text to verdict
 * against parsing the same text alone (an upper bound of the ratio to parsing plus any hand-written check).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTemplateEvaluator } from "../src/policy/gatekeeper/compile-template.js";
import { evaluateGatekeeper } from "../src/policy/gatekeeper/evaluate-gatekeeper.js";
import { loadGatekeeperPolicies } from "../src/policy/gatekeeper/load-gatekeeper-policies.js";
import { loadManifestFile } from "../src/policy/manifests/load-manifest-file.js";
import { alternatingCpuMs, median, medianCpuMs, type BenchSuite } from "./bench-suite.js";
import { generateManifests, manifestFiles } from "./generate-manifests.js";
import { wholeInputEvaluator } from "./whole-input-evaluator.js";

const N = 5000;
const LIBRARY = join(import.meta.dirname, "..", "..", "policies", "library");

function policyDocs() {
  return readdirSync(LIBRARY).flatMap((dir) =>
    ["template.yaml", "constraint.yaml"].flatMap((f) => {
      const path = join(LIBRARY, dir, f);
      return loadManifestFile({ path, content: readFileSync(path, "utf8") }).documents.map((d) => ({ ...d, file: path }));
    }),
  );
}

/** CPU times of three functions measured in alternating rounds (3 rounds, one run each, one warm-up each first). */
async function alternatingCpuMs3(...fns: Array<() => unknown>): Promise<number[][]> {
  const runs: number[][] = fns.map(() => []);
  for (let round = 0; round < 3; round++) {
    for (const [i, fn] of fns.entries()) runs[i]?.push(await medianCpuMs(fn, 1, round === 0 ? 1 : 0));
  }
  return runs;
}

export const evaluateLibrarySuite: BenchSuite = {
  name: "rego evaluate library",
  async run() {
    const policies = policyDocs();
    const files = manifestFiles(generateManifests(N, 1717));
    const documents = () => files.flatMap((f) => loadManifestFile(f).documents.map((d) => ({ ...d, file: f.path })));
    const set = loadGatekeeperPolicies([...policies, ...documents()]);
    if (set.diagnostics.length > 0) throw new Error(JSON.stringify(set.diagnostics.slice(0, 3)));
    const pruned = createTemplateEvaluator();
    const whole = wholeInputEvaluator();
    const a = await evaluateGatekeeper(set, pruned);
    const b = await evaluateGatekeeper(set, whole);
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("pruned and whole inputs give different runs");
    let sink = 0;
    const [prunedRuns, wholeRuns] = await alternatingCpuMs(
      async () => (sink += (await evaluateGatekeeper(set, pruned)).violations.length),
      async () => (sink += (await evaluateGatekeeper(set, whole)).violations.length),
      3,
      1,
      1,
    );
    // Batches (evaluateGatekeeper's way with createTemplateEvaluator) against one evaluateInput call per object.
    const oneByOne = createTemplateEvaluator();
    const [batchRuns, singleRuns] = await alternatingCpuMs(
      async () => (sink += (await evaluateGatekeeper(set, pruned)).violations.length),
      async () => (sink += (await evaluateGatekeeper(set, (r) => oneByOne(r))).violations.length),
      3,
      1,
      1,
    );
    const textEvaluator = createTemplateEvaluator();
    // The floor of any check that reports lines: parse the text, then locate the fields the violations name.
    const named = a.violations.map((v) => ({ key: `${v.resource.file}:${v.resource.line}`, path: (v.details as { path?: unknown } | null)?.path }));
    const parseAndLocate = (): number => {
      const byStart = new Map(documents().map((d) => [`${d.file}:${d.startLine}`, d]));
      let found = 0;
      for (const n of named) if (typeof n.path === "string" && byStart.get(n.key)?.locate?.(n.path) !== undefined) found++;
      return found;
    };
    const [textRuns = [], parseRuns = [], locateRuns = []] = await alternatingCpuMs3(
      async () => (sink += (await evaluateGatekeeper(loadGatekeeperPolicies([...policies, ...documents()]), textEvaluator)).violations.length),
      () => (sink += documents().length),
      () => (sink += parseAndLocate()),
    );
    if (sink < 0) throw new Error("unreachable");
    return [
      {
        name: `${set.constraints.length} library templates × ${N.toLocaleString("en")} generated manifests (${a.evaluations} evaluations), pruned inputs in batches`,
        value: median(prunedRuns),
        unit: "ms",
        ratio: median(prunedRuns) / median(wholeRuns),
        baseline: "whole inputs",
        note: `${a.violations.length} violations, same both ways`,
      },
      { name: "… whole inputs (one call per object)", value: median(wholeRuns), unit: "ms" },
      {
        name: "pruned inputs, one batch per constraint vs one call per object",
        value: median(batchRuns),
        unit: "ms",
        ratio: median(batchRuns) / median(singleRuns),
        baseline: "one call per object",
        note: `${median(singleRuns).toFixed(1)} ms one call per object`,
      },
      {
        name: `manifest text to verdict (${files.length} YAML files)`,
        value: median(textRuns),
        unit: "ms",
        ratio: median(textRuns) / median(locateRuns),
        baseline: "parsing + locating the violations' fields",
        note: `goal ≤ 1.5×; ${(median(textRuns) / median(parseRuns)).toFixed(2)}× parsing alone. No hand-written check of the library: these baselines leave the check out, so they bound the ratio to one from above`,
      },
      { name: "… parsing the text alone (loadManifestFile)", value: median(parseRuns), unit: "ms" },
      { name: "… parsing + locating the fields the violations name (what any check reporting lines pays)", value: median(locateRuns), unit: "ms" },
    ];
  },
};
