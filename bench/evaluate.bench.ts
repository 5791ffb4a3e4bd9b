/**
 * Issue 4's evaluation figure: the bundled approved-image-repos ConstraintTemplate (Gatekeeper style) evaluated over
 * 10,000 Deployments by the evaluator the app uses (`createTemplateEvaluator`, Rego compiled to Wasm and loaded by
 * the official SDK), against a hand-written TypeScript function doing the same check and building the same results
 * (messages and details) in the same process (issue 17's goal: at most 3× slower), with peak memory. Both sides get
 * the same prepared Gatekeeper inputs; every object's results are compared before the figures are reported. Also from
 * manifest text to verdict (YAML parsing and review building on both sides; goal ≤ 1.5×).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildInventory, type Inventory } from "../src/policy/gatekeeper/build-inventory.js";
import { buildGatekeeperInput, buildReview } from "../src/policy/gatekeeper/build-review.js";
import { createTemplateEvaluator } from "../src/policy/gatekeeper/compile-template.js";
import { evaluateGatekeeper, type GatekeeperEvaluationRequest } from "../src/policy/gatekeeper/evaluate-gatekeeper.js";
import { loadGatekeeperPolicies } from "../src/policy/gatekeeper/load-gatekeeper-policies.js";
import type { JsonObject } from "../src/policy/manifests/manifest-types.js";
import { loadManifestFile } from "../src/policy/manifests/load-manifest-file.js";
import { compile } from "../src/rego/compile.js";
import { CompiledPolicy } from "../src/rego/evaluator/compiled-policy.js";
import { InputEncoder, WHOLE_VALUE } from "../src/rego/evaluator/input-encoder.js";
import { inputAccess } from "../src/rego/planner/input-access.js";
import { alternatingCpuMs, median, medianCpuMs, type BenchSuite } from "./bench-suite.js";
import { manifestFiles } from "./generate-manifests.js";

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

/**
 * The classic form of the check (as gatekeeper-library's allowed-repos template is usually written), for the
 * workloads' pod template only: one path into the object, so the input sent to the module is just the containers and
 * the parameters. A second figure beside the library template's, to show how the ratio depends on what a template
 * observes of the object.
 */
const CLASSIC_TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sallowedimages
spec:
  crd:
    spec:
      names:
        kind: K8sAllowedImages
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Rego
          source:
            version: "v1"
            rego: |
              package k8sallowedimages

              violation contains {"msg": msg} if {
                some field in ["containers", "initContainers"]
                some container in input.review.object.spec.template.spec[field]
                not strings.any_prefix_match(container.image, input.parameters.repos)
                msg := sprintf("container <%v> has an invalid image repo <%v>, allowed repos are %v", [container.name, container.image, input.parameters.repos])
              }
`;

const CLASSIC_CONSTRAINT = CONSTRAINT.replace("kind: K8sApprovedImageRepos", "kind: K8sAllowedImages").replace("name: approved-image-repos", "name: allowed-images");

/** The classic check by hand (same messages: `%v` of the repos array prints it as a Rego term). */
function classicByHand(input: { review: { object: JsonObject }; parameters: { repos: string[] } }): Array<{ msg: string }> {
  const podSpec = ((input.review.object.spec as { template?: { spec?: Record<string, Container[] | undefined> } }).template?.spec ?? {}) as Record<string, Container[] | undefined>;
  const repos = input.parameters.repos;
  const out: Array<{ msg: string }> = [];
  for (const field of ["containers", "initContainers"]) {
    for (const c of podSpec[field] ?? []) {
      if (repos.some((r) => c.image.startsWith(r))) continue;
      out.push({ msg: `container <${c.name}> has an invalid image repo <${c.image}>, allowed repos are [${repos.map((r) => JSON.stringify(r)).join(", ")}]` });
    }
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

type Input = Parameters<typeof violationsByHand>[0];

/** Manifest documents of a template and a constraint given as YAML text. */
function policyDocs(files: ReadonlyArray<readonly [string, string]>) {
  return files.flatMap(([file, content]) => loadManifestFile({ path: file, content }).documents.map((d) => ({ ...d, file })));
}

interface Measured {
  set: ReturnType<typeof loadGatekeeperPolicies>;
  requests: GatekeeperEvaluationRequest[];
  wasmMs: number;
  tsMs: number;
  /** Per-round ratios, sorted. */
  ratios: number[];
  /** One evaluateInput call per object instead of the batch; the batch's time over it (same rounds). */
  singleMs: number;
  batchOverSingle: number;
  violations: number;
  compileMs: number;
  rssBefore: number;
  peakRss: number;
  sink: number;
}

/**
 * One template over the objects through `createTemplateEvaluator`, against `byHand` on the same inputs: results
 * compared object by object first, then CPU time of the two alternating (5 rounds × 3 passes after warm-up).
 */
async function measure(docs: ReturnType<typeof policyDocs>, objects: JsonObject[], inventory: Inventory, byHand: (input: Input) => unknown[]): Promise<Measured> {
  const set = loadGatekeeperPolicies([...docs, ...objects.map((value, i) => ({ file: "deployments.yaml", startLine: 1 + i * 20, value }))]);
  const constraint = set.constraints[0];
  if (constraint === undefined || set.diagnostics.length > 0) throw new Error(`policy set: ${JSON.stringify(set.diagnostics)}`);
  const requests: GatekeeperEvaluationRequest[] = objects.map((object) => {
    const review = buildReview(object);
    if (!review.ok) throw new Error(review.error);
    return { template: constraint.template, input: buildGatekeeperInput(review.review, constraint.parameters), data: { inventory } };
  });
  const tsInputs = requests.map((r) => r.input as unknown as Input);

  const evaluate = createTemplateEvaluator();
  const c0 = performance.now();
  evaluate(requests[0] as GatekeeperEvaluationRequest); // compiles and loads the template
  const compileMs = performance.now() - c0; // wall time, once

  // Same results every way (one call per object, one batch), object by object.
  const batch = evaluate.batch;
  if (batch === undefined) throw new Error("createTemplateEvaluator has no batch");
  let violations = 0;
  const batched = batch(requests);
  requests.forEach((r, i) => {
    const wasm = evaluate(r) as unknown[];
    const ts = byHand(tsInputs[i] as Input);
    const b = batched[i];
    if (sortedJson(wasm) !== sortedJson(ts)) throw new Error(`results differ for object ${i}: ${JSON.stringify(wasm)} vs ${JSON.stringify(ts)}`);
    if (!b?.ok || sortedJson(b.value) !== sortedJson(ts)) throw new Error(`batch results differ for object ${i}: ${JSON.stringify(b)} vs ${JSON.stringify(ts)}`);
    violations += ts.length;
  });

  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let sink = 0;
  // What evaluateGatekeeper does: the constraint's objects as one batch.
  const viaEvaluator = (): void => {
    for (const o of batch(requests)) sink += o.ok ? (o.value as unknown[]).length : 0;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const oneCallEach = (): void => {
    for (let i = 0; i < requests.length; i++) {
      sink += (evaluate(requests[i] as GatekeeperEvaluationRequest) as unknown[]).length;
      if (i % 1000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  };
  const viaTypeScript = (): void => {
    for (const input of tsInputs) sink += byHand(input).length;
  };
  // Alternate the two so that machine load hits both alike; the ratio is of the medians.
  const [wasmRuns, tsRuns] = await alternatingCpuMs(viaEvaluator, viaTypeScript, 5, 3, 2);
  // One call per object (evaluateInput each), against the batch, alternating the same way.
  const [singleRuns, batchRuns] = await alternatingCpuMs(oneCallEach, viaEvaluator, 3, 3, 1);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const ratios = wasmRuns.map((w, i) => w / (tsRuns[i] ?? Number.NaN)).sort((a, b) => a - b);
  const singleMs = median(singleRuns);
  return { set, requests, wasmMs: median(wasmRuns), tsMs: median(tsRuns), ratios, singleMs, batchOverSingle: median(batchRuns) / singleMs, violations, compileMs, rssBefore, peakRss, sink };
}

export const evaluateSuite: BenchSuite = {
  name: "rego evaluate",
  async run() {
    const objects = deployments(N);
    const inventory = buildInventory(objects);
    const library = await measure(
      policyDocs([
        [join(LIBRARY, "template.yaml"), readFileSync(join(LIBRARY, "template.yaml"), "utf8")],
        ["constraint.yaml", CONSTRAINT],
      ]),
      objects,
      inventory,
      violationsByHand,
    );
    const classic = await measure(
      policyDocs([
        ["classic-template.yaml", CLASSIC_TEMPLATE],
        ["classic-constraint.yaml", CLASSIC_CONSTRAINT],
      ]),
      objects,
      inventory,
      classicByHand,
    );
    const { set, requests, wasmMs, tsMs, ratios, violations, compileMs, rssBefore } = library;
    let { peakRss, sink } = library;
    peakRss = Math.max(peakRss, classic.peakRss);
    sink += classic.sink;

    // The SDK's own evaluate, one call per object with the whole input (how the evaluator called it before).
    const file = join(LIBRARY, "k8sapprovedimagerepos.rego");
    const compiled = compile({ modules: [{ file, text: readFileSync(file, "utf8") }], entrypoints: ["k8sapprovedimagerepos/violation"] });
    if (!compiled.wasm) throw new Error(compiled.diagnostics.map((d) => d.message).join("; "));
    const sdkPolicy = await CompiledPolicy.load(compiled.wasm);
    sdkPolicy.setData({ inventory });
    const sdkMs = await medianCpuMs(() => {
      for (const r of requests) sink += (sdkPolicy.evaluate("k8sapprovedimagerepos/violation", r.input)[0]?.result as unknown[]).length;
    }, 5, 1);

    // Where the evaluator's time goes, and a floor: writing the pruned input alone (what every evaluation must do
    // before any rule runs), and JSON.stringify of only the fields the TypeScript check reads (no copy of the input
    // into the module can cost less than serialising those).
    const access = compiled.ir !== undefined ? inputAccess(compiled.ir) : WHOLE_VALUE;
    const encoder = new InputEncoder(new Uint8Array(1 << 16), (buffer, min) => {
      const grown = new Uint8Array(min * 2);
      grown.set(buffer);
      return grown;
    });
    let inputBytes = 0;
    const encodeMs = await medianCpuMs(() => {
      inputBytes = 0;
      for (const r of requests) inputBytes += encoder.encode(r.input, access, 0);
    }, 7, 1);
    const readFields = requests.map((r) => {
      const o = (r.input as unknown as Input).review.object as { kind: string; metadata: { name: string }; spec: { template: { spec: unknown } } };
      return { kind: o.kind, name: o.metadata.name, podSpec: o.spec.template.spec, repos: (r.input as unknown as Input).parameters.repos };
    });
    const floorMs = await medianCpuMs(() => {
      for (const f of readFields) sink += JSON.stringify(f).length;
    }, 7, 1);

    const evaluate = createTemplateEvaluator();
    const endToEndMs = await medianCpuMs(() => evaluateGatekeeper(set, evaluate), 3, 1);

    // What a pull request pays: from manifest text (YAML files) to verdicts, parsing and review included on both sides.
    const files = manifestFiles(objects);
    const constraint = set.constraints[0];
    if (constraint === undefined) throw new Error("no constraint");
    const fromText = (check: (inputs: Input[]) => number) => (): void => {
      const inputs: Input[] = [];
      for (const f of files) {
        for (const d of loadManifestFile(f).documents) {
          const review = buildReview(d.value);
          if (!review.ok) throw new Error(review.error);
          inputs.push(buildGatekeeperInput(review.review, constraint.parameters) as unknown as Input);
        }
      }
      sink += check(inputs);
    };
    const textEvaluate = createTemplateEvaluator();
    const textBatch = textEvaluate.batch;
    if (textBatch === undefined) throw new Error("createTemplateEvaluator has no batch");
    const byHandAll = (inputs: Input[]): number => inputs.reduce((n, input) => n + violationsByHand(input).length, 0);
    const [textWasmRuns, textTsRuns] = await alternatingCpuMs(
      // As evaluateGatekeeper: the constraint's objects in one batch.
      fromText((inputs) => textBatch(inputs.map((input) => ({ template: constraint.template, input: input as unknown as JsonObject, data: { inventory } }))).length),
      fromText(byHandAll),
      3,
      1,
      1,
    );
    const textRatios = textWasmRuns.map((w, i) => w / (textTsRuns[i] ?? Number.NaN)).sort((a, b) => a - b);
    if (sink < 0) throw new Error("unreachable");

    const fmtRatio = (x: number | undefined): string => (x ?? Number.NaN).toFixed(2);
    return [
      {
        name: `${N.toLocaleString("en")} Deployments through createTemplateEvaluator, one batch (as evaluateGatekeeper)`,
        value: wasmMs,
        unit: "ms",
        ratio: wasmMs / tsMs,
        baseline: "hand-written TypeScript",
        note: `goal ≤ 3× (issue 17); ratios of 5 rounds ${fmtRatio(ratios[0])}–${fmtRatio(ratios[ratios.length - 1])}; ${violations} violations, same results both ways`,
      },
      { name: "hand-written TypeScript, same check and results", value: tsMs, unit: "ms" },
      {
        name: "… the same with one call per object (evaluateInput each, no batch)",
        value: library.singleMs,
        unit: "ms",
        ratio: library.singleMs / tsMs,
        baseline: "hand-written TypeScript",
        note: `the batch takes ${fmtRatio(library.batchOverSingle)}× of it (alternating rounds)`,
      },
      {
        name: `${N.toLocaleString("en")} Deployments, classic single-path template (containers and parameters only)`,
        value: classic.wasmMs,
        unit: "ms",
        ratio: classic.wasmMs / classic.tsMs,
        baseline: "hand-written TypeScript",
        note: `one batch; ratios of 5 rounds ${fmtRatio(classic.ratios[0])}–${fmtRatio(classic.ratios[classic.ratios.length - 1])}; ${classic.violations} violations, same results both ways; one call per object ${fmtRatio(classic.singleMs / classic.tsMs)}×`,
      },
      { name: "hand-written TypeScript, classic check", value: classic.tsMs, unit: "ms" },
      { name: "… of which writing the pruned inputs into memory (InputEncoder)", value: encodeMs, unit: "ms", note: `${(inputBytes / N).toFixed(0)} bytes per object` },
      { name: "floor: JSON.stringify of only the fields the TypeScript check reads", value: floorMs, unit: "ms", ratio: floorMs / tsMs, baseline: "hand-written TypeScript" },
      { name: "SDK evaluate per object, whole input (the SDK marshals every call)", value: sdkMs, unit: "ms", ratio: sdkMs / tsMs, baseline: "hand-written TypeScript" },
      { name: "evaluateGatekeeper end to end (match, review, evaluate, results)", value: endToEndMs, unit: "ms" },
      {
        name: `manifest text to verdict: ${files.length} YAML files parsed, reviewed and evaluated`,
        value: median(textWasmRuns),
        unit: "ms",
        ratio: median(textWasmRuns) / median(textTsRuns),
        baseline: "same with the hand-written check",
        note: `goal ≤ 1.5×; rounds ${fmtRatio(textRatios[0])}–${fmtRatio(textRatios[textRatios.length - 1])}`,
      },
      { name: "template compile + load (first call, wall)", value: compileMs, unit: "ms" },
      { name: "peak RSS during evaluation", value: peakRss / 2 ** 20, unit: "MiB", note: `+${((peakRss - rssBefore) / 2 ** 20).toFixed(1)} MiB over the start` },
    ];
  },
};
