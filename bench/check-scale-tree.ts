/**
 * A generated config repository for `fleetward check` and `fleetward test` at scale, shared by
 * `bench/check-scale.bench.ts` (timings at 1k, 10k, 100k manifest files) and `test/cli/check-scale-golden.test.ts`
 * (output kept byte-identical). Deterministic: the same `files` gives the same tree.
 *
 * - `.github/fleetward.yml`: `dev` (warn) and `prod` (enforced), the Conftest folder `policy/` (the bundled
 *   `policies/conftest` modules), five library policies, and a repository template that reads `data.inventory`
 *   (a Deployment needs a Service of its name in its namespace).
 * - `files` manifest files under `envs/dev`, `envs/prod` and `apps/` (no environment): Deployments (some with
 *   unapproved, `latest` or resource-less images), multi-document files (Deployment, Service, ConfigMap, a document
 *   without a kind, an empty one), JSON Services, go-yaml v2 scalars (`yes`, `0x10`), and every 97th file broken.
 * - A Kustomize root (`envs/prod/kustom`) with a base and a patch, rendered by `check`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface CheckScaleTreeOptions {
  /** Manifest files (the Kustomize root's files come on top). */
  files: number;
  /** The repository root of Fleetward (for `policies/conftest`); default: the current directory. */
  root?: string;
  /** Leave the broken files out (Conftest aborts a run on a file it cannot parse). */
  noBroken?: boolean;
  /**
   * A realistic tree: every file passes every policy except every `violatingEvery`-th, which breaks several (and every
   * 97th is broken unless `noBroken`). Without it nearly every file has findings (the golden test's tree).
   */
  violatingEvery?: number;
}

const CONFIG = `environments:
  - name: dev
    paths: ["envs/dev/**"]
    settings: { policy: { enforcement: warn } }
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: dev
policies:
  conftest:
    dir: policy
  library:
    approved-image-repos: { repos: ["registry.example.com/"] }
    disallow-latest-tag: { exemptImages: [] }
    container-resources: { requests: ["cpu", "memory"], limits: ["memory"] }
    disallow-privileged: { exemptImages: [] }
    replica-bounds: { minReplicas: 2, maxReplicas: 20 }
`;

const SERVICE_TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sdeploymentservice
spec:
  crd:
    spec:
      names:
        kind: K8sDeploymentService
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sdeploymentservice

        violation[{"msg": msg}] {
          input.review.object.kind == "Deployment"
          ns := input.review.object.metadata.namespace
          name := input.review.object.metadata.name
          not data.inventory.namespace[ns]["v1"]["Service"][name]
          msg := sprintf("Deployment %v has no Service of its name in %v", [name, ns])
        }
`;

const SERVICE_CONSTRAINT = `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sDeploymentService
metadata:
  name: deployments-need-services
spec:
  match:
    kinds:
      - apiGroups: ["apps"]
        kinds: ["Deployment"]
`;

/** Where file `i` lives: a third in dev, a third in prod, a third outside every environment. */
function folder(i: number): string {
  const where = ["envs/dev", "envs/prod", "apps"][i % 3] as string;
  return `${where}/team-${i % 13}/app-${i}`;
}

function image(i: number): string {
  if (i % 11 === 0) return "docker.io/nginx:latest";
  if (i % 7 === 0) return `quay.io/app-${i}:1.${i % 9}`;
  return `registry.example.com/app-${i}:1.${i % 40}.0`;
}

/** A Deployment of app `i` with these replicas and containers (the lines below `containers:`). */
function deploymentText(i: number, replicas: string | number, containers: string): string {
  return `# app-${i}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 13}
  labels:
    app.kubernetes.io/name: app-${i}
    owner: team-${i % 13}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: app-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-${i}
    spec:
      containers:
${containers}`;
}

/** A Deployment; `clean`: one that passes every policy of the tree. */
function deployment(i: number, clean = false): string {
  if (clean) {
    const probes = "\n          readinessProbe:\n            httpGet: { path: /ready, port: 8080 }\n          livenessProbe:\n            httpGet: { path: /healthz, port: 8080 }";
    const resources = "\n          resources:\n            requests: { cpu: 100m, memory: 128Mi }\n            limits: { cpu: 500m, memory: 256Mi }";
    return deploymentText(
      i,
      2 + (i % 4),
      `        - name: app
          image: registry.example.com/app-${i}:1.${i % 40}.0${resources}${probes}
        - name: sidecar
          image: "registry.example.com/proxy:2.1"${resources}${probes}
`,
    );
  }
  const resources = i % 5 === 0 ? "" : "\n          resources:\n            requests: { cpu: 100m, memory: 128Mi }\n            limits: { memory: 256Mi }";
  const privileged = i % 17 === 0 ? "\n          securityContext: { privileged: yes }" : "";
  return deploymentText(
    i,
    i % 23 === 0 ? "0x1" : 2 + (i % 4),
    `        - name: app
          image: ${image(i)}${resources}${privileged}
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
        - name: sidecar
          image: "registry.example.com/proxy:${i % 3 === 0 ? "latest" : "2.1"}"
          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 32Mi } }
`,
  );
}

function service(i: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: team-${i % 13}
spec:
  selector:
    app.kubernetes.io/name: app-${i}
  ports:
    - port: 80
      targetPort: 8080
`;
}

function jsonService(i: number): string {
  const value = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: `app-${i}`, namespace: `team-${i % 13}` },
    spec: { selector: { "app.kubernetes.io/name": `app-${i}` }, ports: [{ port: 80, targetPort: 8080 }] },
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}

function configMap(i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-${i}-config
  namespace: team-${i % 13}
data:
  LOG_LEVEL: info
  ENABLED: "yes"
`;
}

/** File `i` of the tree: its path and text. */
function manifestFile(i: number, options: CheckScaleTreeOptions): [string, string] {
  const dir = folder(i);
  if (options.noBroken !== true && i % 97 === 96) return [`${dir}/broken.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [app-${i}\n`];
  const every = options.violatingEvery;
  const clean = every !== undefined && i % every !== every - 1;
  switch (i % 4) {
    case 0:
      // A clean Deployment comes with its Service (the inventory template asks for one).
      return [`${dir}/deploy.yaml`, clean ? `${deployment(i, true)}---\n${service(i)}` : deployment(i)];
    case 1:
      return [`${dir}/all.yaml`, `${deployment(i, clean)}---\n${service(i)}---\n${configMap(i)}---\nnotes: not a Kubernetes object\n---\n`];
    case 2:
      return [`${dir}/service.json`, jsonService(i)];
    default:
      return [`${dir}/app.yml`, `---\n${deployment(i, clean)}---\n# only a comment\n---\n${service(i)}`];
  }
}

const KUSTOMIZE_ROOT: Record<string, string> = {
  "envs/prod/kustom/kustomization.yaml": "resources:\n  - ../../../bases/web\npatches:\n  - path: replicas.yaml\n",
  "envs/prod/kustom/replicas.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team-5\nspec:\n  replicas: 40\n",
  "bases/web/kustomization.yaml": "resources:\n  - deploy.yaml\n",
  "bases/web/deploy.yaml": deployment(5).replace(/app-5\b/g, "web"),
};

function conftestModules(root: string): Record<string, string> {
  const dir = join(root, "policies", "conftest");
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".rego")) out[`policy/${relative(dir, path)}`] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}

/** The whole tree: path → text. */
export function checkScaleTree(options: CheckScaleTreeOptions): Record<string, string> {
  const tree: Record<string, string> = {
    ".github/fleetward.yml": CONFIG,
    "policies/deployment-service/template.yaml": SERVICE_TEMPLATE,
    "policies/deployment-service/constraint.yaml": SERVICE_CONSTRAINT,
    ...conftestModules(options.root ?? process.cwd()),
    ...KUSTOMIZE_ROOT,
  };
  for (let i = 0; i < options.files; i++) {
    const [path, text] = manifestFile(i, options);
    tree[path] = text;
  }
  return tree;
}

/**
 * A change on top of `checkScaleTree`: every 5th manifest file edited (another image), every 31st removed, and
 * `added` new Deployments (half of them with a Service in the tree). Paths map to the new text, or `null` to remove.
 */
export function checkScaleChange(options: CheckScaleTreeOptions & { added: number }): Record<string, string | null> {
  const tree = checkScaleTree(options);
  const change: Record<string, string | null> = {};
  let i = 0;
  for (const [path, text] of Object.entries(tree)) {
    if (!/^(envs|apps)\//.test(path) || path.startsWith("envs/prod/kustom/")) continue;
    if (i % 31 === 30) change[path] = null;
    else if (i % 5 === 0) change[path] = text.replace(/registry\.example\.com\/app-/g, "docker.io/app-");
    i++;
  }
  change["bases/web/deploy.yaml"] = (tree["bases/web/deploy.yaml"] as string).replace("replicas: 3", "replicas: 1");
  for (let k = 0; k < options.added; k++) {
    const n = options.files + k;
    change[`${folder(n)}/new.yaml`] = deployment(n) + (k % 2 === 0 ? `---\n${service(n)}` : "");
  }
  return change;
}
