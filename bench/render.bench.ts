/**
 * Rendering (issue 12): a fleet of cluster overlays over one base of 30 resources (10 apps: Deployment, Service,
 * ConfigMap), each overlay with namespace, namePrefix, labels, an images override, a replicas entry, a strategic
 * merge patch and a configMapGenerator, rendered one root at a time as the policy check does. Reports the CPU time
 * of 200 overlays of a fresh repository (goal < 1 s), how it grows with the number of overlays (25/50/100/200), and
 * the same 200 rendered again (every text already parsed).
 */
import { MemoryFs, renderKustomization } from "../src/render/index.js";
import { type BenchResult, type BenchSuite, medianCpuMs } from "./bench-suite.js";

const APPS = 10;

function baseFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const resources: string[] = [];
  for (let a = 0; a < APPS; a++) {
    const app = `app-${a}`;
    files[`base/${app}.yaml`] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  labels: {app: ${app}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${app}}
  template:
    metadata:
      labels: {app: ${app}}
    spec:
      serviceAccountName: default
      containers:
      - name: ${app}
        image: registry.example.com:5000/shop/${app}:1.0.${a}
        ports:
        - {name: http, containerPort: 8080}
        env:
        - {name: LOG_LEVEL, value: info}
        envFrom:
        - configMapRef: {name: ${app}-config}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
        volumeMounts:
        - {name: config, mountPath: /etc/${app}}
      volumes:
      - name: config
        configMap: {name: ${app}-config}
---
apiVersion: v1
kind: Service
metadata:
  name: ${app}
  labels: {app: ${app}}
spec:
  selector: {app: ${app}}
  ports:
  - {name: http, port: 80, targetPort: http}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
data:
  mode: fast
  app.properties: |
    name=${app}
    port=8080
`;
    resources.push(`${app}.yaml`);
  }
  files["base/kustomization.yaml"] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
labels:
- pairs: {app.kubernetes.io/part-of: shop}
resources:
${resources.map((r) => `- ${r}`).join("\n")}
`;
  return files;
}

function overlay(i: number): string {
  const app = `app-${i % APPS}`;
  return `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
namespace: shop-c${i}
namePrefix: c${i}-
labels:
- pairs: {cluster: c${i}, region: r${i % 4}}
  includeSelectors: false
images:
- name: registry.example.com:5000/shop/${app}
  newName: mirror-${i % 3}.example.com/shop/${app}
  newTag: 2.${i}.0
replicas:
- {name: ${app}, count: ${1 + (i % 5)}}
patches:
- patch: |
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ${app}}
    spec:
      template:
        spec:
          containers:
          - name: ${app}
            env:
            - {name: CLUSTER, value: c${i}}
            resources:
              limits: {memory: 256Mi}
configMapGenerator:
- name: cluster-info
  literals: [cluster=c${i}, region=r${i % 4}]
`;
}

/**
 * The base and `overlays` cluster overlays (`clusters/c<i>`), in one in-memory repository. Every file starts with the
 * comment `# fleet <salt>`: repositories with another salt share no file text, so no parse is reused from another.
 */
export function fleetFiles(overlays: number, salt = 0): Record<string, string> {
  const files = baseFiles();
  for (let i = 0; i < overlays; i++) files[`clusters/c${i}/kustomization.yaml`] = overlay(i);
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [path, `# fleet ${salt}\n${text}`]));
}

/** Renders the first `n` overlays; throws unless each builds the 31 objects expected (the work must be real). */
export function renderFleet(fs: MemoryFs, n: number): number {
  let objects = 0;
  for (let i = 0; i < n; i++) {
    const result = renderKustomization(fs, `clusters/c${i}`, {});
    if (!result.ok || result.objects.length !== APPS * 3 + 1) {
      const why = result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.code}: ${d.message}`).join("; ");
      throw new Error(`clusters/c${i}: expected ${APPS * 3 + 1} objects, got ${result.objects.length} ${why}`);
    }
    objects += result.objects.length;
  }
  return objects;
}

let salt = 0;

/** Median CPU of rendering the first `n` overlays of a fresh repository each run (every file parsed for the first time). */
async function coldCpuMs(n: number, runs: number): Promise<number> {
  const repos = Array.from({ length: runs + 1 }, () => new MemoryFs(fleetFiles(n, ++salt)));
  let next = 0;
  return medianCpuMs(() => renderFleet(repos[next++]!, n), runs, 1);
}

export const renderSuite: BenchSuite = {
  name: "render",
  async run(): Promise<BenchResult[]> {
    const sizes = [25, 50, 100, 200];
    await coldCpuMs(200, 1); // JIT warm for every size alike
    const cpu = new Map<number, number>();
    for (const n of sizes) cpu.set(n, await coldCpuMs(n, 5));
    const again = new MemoryFs(fleetFiles(200, ++salt));
    const warm = await medianCpuMs(() => renderFleet(again, 200), 5, 1);
    const perOverlay = (n: number): number => (cpu.get(n) ?? Number.NaN) / n;
    const base = "per overlay at 25";
    return [
      { name: "200 overlays × 31 objects, fresh repository, CPU", value: cpu.get(200) ?? Number.NaN, unit: "ms", note: "goal < 1,000 ms" },
      ...sizes.map((n) => ({
        name: `${n} overlays, CPU per overlay`,
        value: perOverlay(n),
        unit: "ms",
        ratio: perOverlay(n) / perOverlay(sizes[0]!),
        baseline: base,
        note: `${(cpu.get(n) ?? Number.NaN).toFixed(0)} ms in all; ratio 1 = linear growth`,
      })),
      { name: "200 overlays rendered again (every text parsed before)", value: warm, unit: "ms", note: "the parse cache of src/render/kyaml.ts" },
    ];
  },
};
