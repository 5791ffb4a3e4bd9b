/**
 * The policy-check benchmark's repository and pull request, shared by `bench/policy-check.bench.ts` (timings) and
 * `test/app/policy-check-api-calls.test.ts` (the API call count): 20 Gatekeeper constraints over the 8 library
 * templates kept in the repository, and a pull request of N changed manifest files (one Deployment each, every
 * `violatingEvery`-th using `docker.io/nginx:latest`, which breaks the 3 approved-repos and 3 latest-tag
 * constraints), plus the formula of the minimum number of GitHub API calls, the operations it counts, and the app
 * installed on the scenario's repository in the simulator.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { dump, load } from "js-yaml";
import { fleetwardApp } from "../src/app/index.js";
import { closePolicySandbox } from "../src/sandbox/index.js";
import { POLICY_LIBRARY_NAMES } from "../src/config/policy-schema.js";
import { createTestProbot } from "../test/helpers/create-test-probot.js";
import { chooseBlobTransport, GRAPHQL_BATCH } from "../src/app/github/read-blobs.js";
import type { GitHubSimulator, RequestLogEntry } from "../src/simulator/github-simulator.js";

/** Constraints per library template: 2 each, 3 for the two image policies and two more (20 in all). */
const CONSTRAINTS_PER_TEMPLATE: Record<string, number> = {
  "approved-image-repos": 3,
  "disallow-latest-tag": 3,
  "disallow-privileged": 3,
  "container-resources": 3,
};

/** Constraints that a violating Deployment breaks: the 3 approved-repos and the 3 latest-tag constraints. */
export const VIOLATIONS_PER_BAD_FILE = 6;

export interface PolicyCheckScenario {
  /** The default branch: configuration, templates and constraints. */
  baseFiles: Record<string, string>;
  /** The pull request's changed files (all added). */
  changedFiles: Record<string, string>;
  constraints: number;
  /** Policy files (distinct blobs) on the base. */
  policyBlobs: number;
  /** Changed manifests that break policies. */
  violatingFiles: number;
}

function constraintsOf(root: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of POLICY_LIBRARY_NAMES) {
    const example = load(readFileSync(join(root, "policies", "library", name, "constraint.yaml"), "utf8")) as Record<string, unknown>;
    const spec = { ...(example.spec as Record<string, unknown>) };
    const match = { ...(spec.match as Record<string, unknown>) };
    // The pull request carries no Namespace objects: keep every constraint applicable to the Deployments.
    delete match.namespaceSelector;
    delete match.namespaces;
    spec.match = match;
    if (name === "required-labels") spec.match = { kinds: [{ apiGroups: ["apps"], kinds: ["Deployment"] }] };
    if (name === "required-labels") spec.parameters = { labels: [{ key: "app.kubernetes.io/name" }] };
    const count = CONSTRAINTS_PER_TEMPLATE[name] ?? 2;
    for (let k = 1; k <= count; k++) {
      const metadata = { name: `${name}-${k}` };
      out.push([`policies/constraints/${name}-${k}.yaml`, dump({ ...example, metadata, spec }, { lineWidth: -1 })]);
    }
  }
  return out;
}

/** The scenario's Deployment number `i`; a `bad` one uses `docker.io/nginx:latest`. */
export function deployment(i: number, bad: boolean): string {
  const app = `app-${i}`;
  const image = bad ? "docker.io/nginx:latest" : `registry.example.com/${app}:1.${i}.0`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: team-${i % 17}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
    spec:
      containers:
        - name: app
          image: ${image}
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
          livenessProbe:
            httpGet: { path: /healthz, port: 8080 }
`;
}

export function policyCheckScenario(options: { root?: string; manifests?: number; violatingEvery?: number } = {}): PolicyCheckScenario {
  const root = options.root ?? process.cwd();
  const n = options.manifests ?? 1000;
  const every = options.violatingEvery ?? 25;
  const baseFiles: Record<string, string> = {
    ".github/fleetward.yml": "environments:\n  - name: prod\n    paths: [\"envs/prod/**\"]\n",
  };
  for (const name of POLICY_LIBRARY_NAMES) {
    baseFiles[`policies/templates/${name}.yaml`] = readFileSync(join(root, "policies", "library", name, "template.yaml"), "utf8");
  }
  const constraints = constraintsOf(root);
  for (const [path, text] of constraints) baseFiles[path] = text;
  const changedFiles: Record<string, string> = {};
  let violatingFiles = 0;
  for (let i = 0; i < n; i++) {
    const bad = i % every === every - 1;
    if (bad) violatingFiles++;
    changedFiles[`envs/prod/app-${i}/deploy.yaml`] = deployment(i, bad);
  }
  return { baseFiles, changedFiles, constraints: constraints.length, policyBlobs: POLICY_LIBRARY_NAMES.length + constraints.length, violatingFiles };
}

export interface PolicyCheckCallCounts {
  /** Changed files of the pull request. */
  files: number;
  /** Distinct blobs among the changed manifests. */
  manifestBlobs: number;
  /** Files of the head commit (the tarball carries them all) and their bytes. */
  headFiles: number;
  headBytes: number;
  /** Distinct policy blobs of the base (0 when the compiled sources are cached). */
  policyBlobs: number;
  /** Annotations published. */
  annotations: number;
  /** Configuration reads of the base (2 — the repository's file and the organization's — or 0 when remembered). */
  configReads: number;
  /** Installation token requests (1 for the first event of an installation, then cached by Probot). */
  tokens: number;
}

/** The head manifests' reads: ⌈M / 100⌉ GraphQL queries, or 1 tarball request when `chooseBlobTransport` picks it. */
export function headManifestReads(c: Pick<PolicyCheckCallCounts, "manifestBlobs" | "headFiles" | "headBytes">): number {
  const transport = chooseBlobTransport({ mode: "auto", blobs: c.manifestBlobs, commitFiles: c.headFiles, commitBytes: c.headBytes });
  return transport === "tarball" ? 1 : Math.ceil(c.manifestBlobs / GRAPHQL_BATCH);
}

/**
 * The GitHub API calls a `pull_request.opened` makes for `fleetward/policy` (no policy file changed; the budget of
 * docs/policy-checks.md): tokens + 1 checks.listForRef + 1 checks.create (in progress) + ⌈F / 100⌉ pulls.listFiles +
 * configReads repos.getContent + 1 git.getTree (base) + ⌈P / 100⌉ GraphQL (policy blobs) + the head manifests' reads
 * (`headManifestReads`) + max(1, ⌈A / 50⌉) checks.update. No constraint of the scenario reads `data.inventory` or has
 * a `namespaceSelector`, so the head's other manifests are not read. The tarball's download (codeload) is not an API
 * call and is not counted.
 */
export function minimumPolicyCheckCalls(c: PolicyCheckCallCounts): number {
  const policyReads = Math.ceil(c.policyBlobs / GRAPHQL_BATCH);
  return c.tokens + 2 + Math.ceil(c.files / 100) + c.configReads + 1 + policyReads + headManifestReads(c) + Math.max(1, Math.ceil(c.annotations / 50));
}

/** The GitHub operations of a policy check (other handlers react to its check runs: promotion gates list pull requests). */
const POLICY_CHECK_OPERATIONS: ReadonlySet<string> = new Set([
  "apps/create-installation-access-token",
  "pulls/list-files",
  "checks/list-for-ref",
  "checks/create",
  "checks/update",
  "repos/get-content",
  "git/get-tree",
  "git/get-blob",
  "graphql",
  "repos/download-tarball-archive",
]);

/** The requests of `log` that a policy check makes (operations in `POLICY_CHECK_OPERATIONS`), in order. */
export function policyCheckCalls(log: readonly RequestLogEntry[]): RequestLogEntry[] {
  return log.filter((c) => c.operationId !== null && POLICY_CHECK_OPERATIONS.has(c.operationId));
}

/** The installed app: `restart()` stands for a server restart (the policy sandbox closed, a new Probot instance). */
export interface InstalledScenario {
  /** Ends the sandbox's workers and replaces the app's Probot instance (the module-level text caches stay). */
  restart(): Promise<void>;
}

/** The real app (Probot, in process; over HTTP when given the simulator's `listen()` URL) installed on acme/gitops, created from the scenario's base files. */
export async function installPolicyCheckScenario(sim: GitHubSimulator, scenario: PolicyCheckScenario, baseUrl?: string): Promise<InstalledScenario> {
  const options = { sim, connect: false, ...(baseUrl !== undefined ? { baseUrl } : {}) };
  const { app, connect } = await createTestProbot({ ...options, appFn: fleetwardApp() });
  let disconnect = connect();
  sim.createRepo({ owner: "acme", name: "gitops", files: scenario.baseFiles });
  sim.install({ appId: app.id, account: "acme", repos: ["gitops"] });
  return {
    async restart() {
      disconnect();
      await closePolicySandbox();
      disconnect = (await createTestProbot({ ...options, app, appFn: fleetwardApp() })).connect();
    },
  };
}
