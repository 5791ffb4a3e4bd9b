/**
 * Issue 4's evaluation figure: the bundled approved-image-repos ConstraintTemplate (Gatekeeper style) evaluated over
 * 10,000 Deployments by the evaluator the app uses (`createTemplateEvaluator`, Rego compiled to Wasm and loaded by
 * the official SDK), against a hand-written TypeScript function doing the same check and building the same results
 * (messages and details) in the same process (goal: at most 1.5× slower), with peak memory. Both sides get the same
 * prepared Gatekeeper inputs; every object's results are compared before the figures are reported.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildInventory } from "../src/policy/gatekeeper/build-inventory.js";
import { buildGatekeeperInput, buildReview } from "../src/policy/gatekeeper/build-review.js";
import { createTemplateEvaluator } from "../src/policy/gatekeeper/compile-template.js";
import { evaluateGatekeeper, type GatekeeperEvaluationRequest } from "../src/policy/gatekeeper/evaluate-gatekeeper.js";
import { loadGatekeeperPolicies } from "../src/policy/gatekeeper/load-gatekeeper-policies.js";
import type { JsonObject } from "../src/policy/manifests/manifest-types.js";
import { loadManifestFile } from "../src/policy/manifests/load-manifest-file.js";
import { compile } from "../src/rego/compile.js";
import { CompiledPolicy } from "../src/rego/evaluator/compiled-policy.js";
import { alternatingCpuMs, median, medianCpuMs, type BenchSuite } from "./bench-suite.js";

const N = 10_000;
const REPOS = ["registry.example.com/", "mirror.example.com/library/"];
const LIBRARY = join(import.meta.dirname, "..", "..", "policies", "library", "approved-image-repos");

function deployments(n: number): JsonObject[] {
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

const CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sApprovedImageRepos
metadata:
  name: approved-image-repos
spec:
  match:
    kinds:
      - apiGroups: ["apps"]
        kinds: ["Deployment"]
  parameters:
    repos: ${JSON.stringify(REPOS)}
`;

interface Container {
  name: string;
  image: string;
}

interface Violation {
  msg: string;
  details: { container: string; field: string; image: string; path: string };
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"]);

/** The same check, by hand: the baseline (same pod spec location by kind, same messages and details). */
function violationsByHand(input: { review: { object: JsonObject }; parameters: { repos: string[] } }): Violation[] {
  const object = input.review.object as { kind: string; metadata?: { name?: string }; spec: Record<string, unknown> };
  const repos = input.parameters.repos;
  let podSpec: Record<string, Container[] | undefined>;
  let podSpecPath: string;
  if (object.kind === "Pod") [podSpec, podSpecPath] = [object.spec as typeof podSpec, "spec"];
  else if (WORKLOADS.has(object.kind)) [podSpec, podSpecPath] = [(object.spec.template as { spec: typeof podSpec }).spec, "spec.template.spec"];
  else if (object.kind === "CronJob") {
    const job = object.spec.jobTemplate as { spec: { template: { spec: typeof podSpec } } };
    [podSpec, podSpecPath] = [job.spec.template.spec, "spec.jobTemplate.spec.template.spec"];
  } else return [];
  const ref = `${object.kind} '${object.metadata?.name ?? ""}'`;
  const reposText = repos.map((r) => `'${r}'`).join(", ");
  const out: Violation[] = [];
  for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
    (podSpec[field] ?? []).forEach((c, i) => {
      if (repos.some((r) => c.image.startsWith(r))) return;
      out.push({
        msg: `Image '${c.image}' of container '${c.name}' in ${ref} comes from an unapproved repository. Only images from ${reposText} are allowed.`,
        details: { container: c.name, field, image: c.image, path: `${podSpecPath}.${field}[${i}].image` },
      });
    });
  }
  return out;
}

/** JSON text with object keys sorted, so results compare regardless of key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

function sortedJson(results: unknown): string {
  return JSON.stringify((results as unknown[]).map(canonical).sort());
}

export const evaluateSuite: BenchSuite = {
  name: "rego evaluate",
  async run() {
    const docs = [];
    for (const [file, content] of [[join(LIBRARY, "template.yaml"), readFileSync(join(LIBRARY, "template.yaml"), "utf8")], ["constraint.yaml", CONSTRAINT]] as const) {
      docs.push(...loadManifestFile({ path: file, content }).documents.map((d) => ({ ...d, file })));
    }
    const objects = deployments(N);
    const set = loadGatekeeperPolicies([...docs, ...objects.map((value, i) => ({ file: "deployments.yaml", startLine: 1 + i * 20, value }))]);
    const constraint = set.constraints[0];
    if (constraint === undefined || set.diagnostics.length > 0) throw new Error(`policy set: ${JSON.stringify(set.diagnostics)}`);
    const inventory = buildInventory(objects);
    const requests: GatekeeperEvaluationRequest[] = objects.map((object) => {
      const review = buildReview(object);
      if (!review.ok) throw new Error(review.error);
      return { template: constraint.template, input: buildGatekeeperInput(review.review, constraint.parameters), data: { inventory } };
    });
    const tsInputs = requests.map((r) => r.input as unknown as Parameters<typeof violationsByHand>[0]);

    const evaluate = createTemplateEvaluator();
    const c0 = performance.now();
    evaluate(requests[0] as GatekeeperEvaluationRequest); // compiles and loads the template
    const compileMs = performance.now() - c0; // wall time, once

    // Same results both ways, object by object.
    let violations = 0;
    requests.forEach((r, i) => {
      const wasm = evaluate(r) as unknown[];
      const ts = violationsByHand(tsInputs[i] as Parameters<typeof violationsByHand>[0]);
      if (sortedJson(wasm) !== sortedJson(ts)) throw new Error(`results differ for object ${i}: ${JSON.stringify(wasm)} vs ${JSON.stringify(ts)}`);
      violations += ts.length;
    });

    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let sink = 0;
    const viaEvaluator = (): void => {
      for (let i = 0; i < requests.length; i++) {
        sink += (evaluate(requests[i] as GatekeeperEvaluationRequest) as unknown[]).length;
        if (i % 1000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    };
    const byHand = (): void => {
      for (const input of tsInputs) sink += violationsByHand(input).length;
    };
    // Alternate the two so that machine load hits both alike; the ratio is of the medians.
    const [wasmRuns, tsRuns] = await alternatingCpuMs(viaEvaluator, byHand, 5, 3, 2);
    const wasmMs = median(wasmRuns);
    const tsMs = median(tsRuns);
    const ratios = wasmRuns.map((w, i) => w / (tsRuns[i] ?? Number.NaN)).sort((a, b) => a - b);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    // The SDK's own evaluate, one call per object with the whole input (how the evaluator called it before).
    const file = join(LIBRARY, "k8sapprovedimagerepos.rego");
    const compiled = compile({ modules: [{ file, text: readFileSync(file, "utf8") }], entrypoints: ["k8sapprovedimagerepos/violation"] });
    if (!compiled.wasm) throw new Error(compiled.diagnostics.map((d) => d.message).join("; "));
    const sdkPolicy = await CompiledPolicy.load(compiled.wasm);
    sdkPolicy.setData({ inventory });
    const sdkMs = await medianCpuMs(() => {
      for (const r of requests) sink += (sdkPolicy.evaluate("k8sapprovedimagerepos/violation", r.input)[0]?.result as unknown[]).length;
    }, 5, 1);

    const endToEndMs = await medianCpuMs(() => evaluateGatekeeper(set, evaluate), 3, 1);
    if (sink < 0) throw new Error("unreachable");

    const fmtRatio = (x: number | undefined): string => (x ?? Number.NaN).toFixed(2);
    return [
      {
        name: `${N.toLocaleString("en")} Deployments through createTemplateEvaluator`,
        value: wasmMs,
        unit: "ms",
        ratio: wasmMs / tsMs,
        baseline: "hand-written TypeScript",
        note: `goal ≤ 1.5×; ratios of 5 rounds ${fmtRatio(ratios[0])}–${fmtRatio(ratios[ratios.length - 1])}; ${violations} violations, same results both ways`,
      },
      { name: "hand-written TypeScript, same check and results", value: tsMs, unit: "ms" },
      { name: "SDK evaluate per object, whole input (the SDK marshals every call)", value: sdkMs, unit: "ms", ratio: sdkMs / tsMs, baseline: "hand-written TypeScript" },
      { name: "evaluateGatekeeper end to end (match, review, evaluate, results)", value: endToEndMs, unit: "ms" },
      { name: "template compile + load (first call, wall)", value: compileMs, unit: "ms" },
      { name: "peak RSS during evaluation", value: peakRss / 2 ** 20, unit: "MiB", note: `+${((peakRss - rssBefore) / 2 ** 20).toFixed(1)} MiB over the start` },
    ];
  },
};
