/**
 * Manifest loading: ~1,000 realistic manifests (250 multi-document files of a Namespace-scoped app: Deployment,
 * Service, ConfigMap, HorizontalPodAutoscaler) loaded three ways, in the same process:
 *   (a) js-yaml `loadAll` (values only, the baseline),
 *   (b) the `yaml` package with positions (`parseAllDocuments` + LineCounter, then `toJS`),
 *   (c) Fleetward's strategy (`loadManifestFile`: js-yaml event stream for values and document start lines, limits,
 *       positions rebuilt lazily only when a violation needs a line), without and with 5% of files located.
 */
import { loadAll } from "js-yaml";
import { LineCounter, parseAllDocuments } from "yaml";
import { loadManifestFile } from "../src/policy/manifests/load-manifest-file.js";
import { type BenchResult, type BenchSuite, medianMs } from "./bench-suite.js";

/** `files` multi-document files of four manifests each. */
export function realisticManifestFiles(files = 250): { path: string; content: string }[] {
  const out: { path: string; content: string }[] = [];
  for (let i = 0; i < files; i++) {
    const app = `app-${i}`;
    const ns = `team-${i % 17}`;
    const content = `# ${app}: generated for the manifest loading benchmark
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
    app.kubernetes.io/part-of: shop
    owner: team-${i % 17}
  annotations:
    fleetward.dev/promote-from: staging
spec:
  replicas: ${1 + (i % 5)}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
    spec:
      serviceAccountName: ${app}
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      initContainers:
        - name: migrate
          image: registry.example.com/${app}-migrate:1.${i}.0
          args: ["--wait", "--timeout=60s"]
      containers:
        - name: app
          image: "registry.example.com/${app}:1.${i}.0"
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef: {name: ${app}-db, key: url}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 256Mi}
          readinessProbe:
            httpGet: {path: /ready, port: http}
            periodSeconds: 5
          livenessProbe:
            httpGet: {path: /healthz, port: http}
        - name: proxy
          image: envoyproxy/envoy:v1.30.${i % 9}
          args:
            - --config-path
            - /etc/envoy/envoy.yaml
          volumeMounts:
            - name: envoy
              mountPath: /etc/envoy
      volumes:
        - name: envoy
          configMap:
            name: ${app}-envoy
---
apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector:
    app.kubernetes.io/name: ${app}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-envoy
  namespace: ${ns}
data:
  envoy.yaml: |
    static_resources:
      listeners:
        - name: main
          address:
            socket_address: {address: 0.0.0.0, port_value: 9000}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${app}}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 70}
`;
    out.push({ path: `apps/${app}/manifests.yaml`, content });
  }
  return out;
}

export interface ManifestLoadingFigures {
  manifests: number;
  jsYamlMs: number;
  yamlWithPositionsMs: number;
  chosenMs: number;
  chosenWithLocateMs: number;
}

/** Measures the three strategies (median of `runs`); returns milliseconds per full load of every file. */
export async function benchManifestLoading(files = realisticManifestFiles(), runs = 9): Promise<ManifestLoadingFigures> {
  const manifests = files.reduce((n, f) => n + loadManifestFile(f).documents.length, 0);
  const jsYamlMs = await medianMs(() => {
    for (const f of files) loadAll(f.content);
  }, runs, 2);
  const yamlWithPositionsMs = await medianMs(() => {
    for (const f of files) {
      const lineCounter = new LineCounter();
      for (const doc of parseAllDocuments(f.content, { lineCounter })) doc.toJS();
    }
  }, runs, 2);
  const chosenMs = await medianMs(() => {
    for (const f of files) loadManifestFile(f);
  }, runs, 2);
  const chosenWithLocateMs = await medianMs(() => {
    files.forEach((f, i) => {
      const r = loadManifestFile(f);
      if (i % 20 === 0) r.documents[0]?.locate("spec.template.spec.containers[1].image");
    });
  }, runs, 2);
  return { manifests, jsYamlMs, yamlWithPositionsMs, chosenMs, chosenWithLocateMs };
}

export const manifestLoadingSuite: BenchSuite = {
  name: "manifest loading",
  async run(): Promise<BenchResult[]> {
    const f = await benchManifestLoading();
    const base = "js-yaml loadAll";
    return [
      { name: `(a) js-yaml loadAll, ${f.manifests} manifests`, value: f.jsYamlMs, unit: "ms", ratio: 1, baseline: base },
      { name: "(b) yaml parseAllDocuments + positions", value: f.yamlWithPositionsMs, unit: "ms", ratio: f.yamlWithPositionsMs / f.jsYamlMs, baseline: base },
      { name: "(c) loadManifestFile (lazy positions)", value: f.chosenMs, unit: "ms", ratio: f.chosenMs / f.jsYamlMs, baseline: base },
      {
        name: "(c) + locate a field in 5% of files",
        value: f.chosenWithLocateMs,
        unit: "ms",
        ratio: f.chosenWithLocateMs / f.jsYamlMs,
        baseline: base,
        note: "positions built only for files with a violation",
      },
    ];
  },
};
