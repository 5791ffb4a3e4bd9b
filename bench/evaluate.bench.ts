/**
 * Issue 4's evaluation figure: the bundled approved-image-repos policy (Gatekeeper style) compiled to Wasm
 * and evaluated through the official SDK over 10,000 Deployments, against a hand-written TypeScript
 * function doing the same check in the same process (goal: at most 1.5× slower), with peak memory.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../src/rego/compile.js";
import { CompiledPolicy } from "../src/rego/evaluator/compiled-policy.js";
import type { BenchSuite } from "./bench-suite.js";

const REPOS = ["registry.example.com/", "mirror.example.com/library/"];

interface Container {
  name: string;
  image: string;
}

function deployments(n: number): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: `app-${i}`, namespace: `team-${i % 20}`, labels: { app: `app-${i}` } },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: `app-${i}` } },
        spec: {
          initContainers: i % 3 === 0 ? [{ name: "init", image: "registry.example.com/init:1.0" }] : [],
          containers: [
            { name: "app", image: i % 10 === 0 ? `docker.io/library/app:${i}` : `registry.example.com/app:${i}` },
            { name: "sidecar", image: "mirror.example.com/library/envoy:1.29" },
          ],
        },
      },
    },
  }));
}

/** The same check, by hand: the baseline. */
function violationsByHand(object: Record<string, unknown>, repos: string[]): Array<{ msg: string }> {
  const spec = (object.spec as { template: { spec: Record<string, Container[] | undefined> } }).template.spec;
  const name = (object.metadata as { name: string }).name;
  const out: Array<{ msg: string }> = [];
  const reposText = repos.map((r) => `'${r}'`).join(", ");
  for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
    for (const c of spec[field] ?? []) {
      if (!repos.some((r) => c.image.startsWith(r))) {
        out.push({ msg: `Image '${c.image}' of container '${c.name}' in Deployment '${name}' comes from an unapproved repository. Only images from ${reposText} are allowed.` });
      }
    }
  }
  return out;
}

export const evaluateSuite: BenchSuite = {
  name: "rego evaluate",
  async run() {
    const file = join(import.meta.dirname, "..", "..", "policies", "library", "approved-image-repos", "k8sapprovedimagerepos.rego");
    const r = compile({ modules: [{ file, text: readFileSync(file, "utf8") }], entrypoints: ["k8sapprovedimagerepos/violation"] });
    if (!r.wasm) throw new Error(r.diagnostics.map((d) => d.message).join("; "));
    const policy = await CompiledPolicy.load(r.wasm);
    const objects = deployments(10_000);
    const inputs = objects.map((object) => ({ review: { object }, parameters: { repos: REPOS } }));

    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let wasmViolations = 0;
    const w0 = performance.now();
    for (let i = 0; i < inputs.length; i++) {
      const result = policy.evaluate("k8sapprovedimagerepos/violation", inputs[i]) as Array<{ result: unknown[] }>;
      wasmViolations += result[0]?.result.length ?? 0;
      if (i % 1000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const wasmMs = performance.now() - w0;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    let tsViolations = 0;
    const t0 = performance.now();
    for (const input of inputs) tsViolations += violationsByHand(input.review.object, input.parameters.repos).length;
    const tsMs = performance.now() - t0;
    if (wasmViolations !== tsViolations) throw new Error(`results differ: wasm ${wasmViolations}, TypeScript ${tsViolations}`);

    return [
      { name: "10,000 Deployments through the SDK", value: wasmMs, unit: "ms", ratio: wasmMs / tsMs, baseline: "hand-written TypeScript", note: `goal ≤ 1.5×; ${wasmViolations} violations both ways` },
      { name: "hand-written TypeScript, same check", value: tsMs, unit: "ms" },
      { name: "peak RSS during evaluation", value: peakRss / 2 ** 20, unit: "MiB", note: `+${((peakRss - rssBefore) / 2 ** 20).toFixed(1)} MiB over the start` },
    ];
  },
};
