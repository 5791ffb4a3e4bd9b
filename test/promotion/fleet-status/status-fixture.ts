/** A small fleet and plain facts for the fleet-status planner tests. */
import type { FleetStatusInput, StatusIncident, StatusPullRequest, StatusRevert } from "../../../src/promotion/fleet-status/fleet-status-input.js";
import { formatPromotionMetadata } from "../../../src/promotion/format-promotion-metadata.js";
import type { PromotionMetadata } from "../../../src/promotion/promotion-metadata.js";
import { renderMetadata } from "../../../src/rollback/rollback-metadata.js";
import { fixture, fleetOf } from "../fixture.js";

export const T0 = Date.parse("2026-03-02T09:00:00Z");
export const MIN = 60_000;
export const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
export const REPO_URL = "https://github.com/acme/gitops";

/** The shared promotion fleet (dev → staging → prod in waves canary: prod-eu-1, rest: prod-eu-2, prod-us-1, prod-ap-1), with a 1h soak into prod and no policy gate. */
export const CONFIG = fixture("fleet.yml")
  .replace("approvals: { count: 1 }", "approvals: { count: 1 }\n        soakTime: 1h")
  .replace("    mode: auto", '    mode: auto\n    gates:\n      policyCheck: ""');

export const fleet = fleetOf(CONFIG);

export const kustomization = (tag: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deploy.yaml]
images:
  - name: ghcr.io/acme/api
    newTag: "${tag}"
`;

export const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - { name: app, image: "${image}" }
`;

export const TREE = new Map<string, string>([
  ["envs/dev/api/kustomization.yaml", kustomization("1.2.0")],
  ["envs/staging/api/kustomization.yaml", kustomization("1.1.0")],
  ["clusters/prod-eu-1/api/kustomization.yaml", kustomization("1.1.0")],
  ["clusters/prod-us-1/api/kustomization.yaml", kustomization("1.0.0")],
  ["envs/dev/payments/deploy.yaml", deployment("ghcr.io/acme/payments:v2")],
  ["envs/staging/payments/deploy.yaml", deployment("ghcr.io/acme/payments:v2")],
  ["clusters/prod-eu-1/payments/deploy.yaml", deployment("ghcr.io/acme/payments:v1")],
  ["README.md", "not in the fleet"],
]);

export function meta(o: { component: string; source: string; target: string; originPr: number; originSha: string; chain: Array<[string, string, string]> }): PromotionMetadata {
  return {
    version: 1,
    component: o.component,
    source: o.source,
    target: o.target,
    origin: { pr: o.originPr, sha: o.originSha, author: "alice" },
    chain: o.chain.map(([from, to, sha]) => ({ from, to, pr: null, sha })),
    fingerprint: "f",
  };
}

export function promotionPr(number: number, m: PromotionMetadata, o: Partial<StatusPullRequest> = {}): StatusPullRequest {
  return {
    number,
    url: `${REPO_URL}/pull/${number}`,
    title: `Promote ${m.component} from ${m.source} to ${m.target}`,
    body: `text\n\n${formatPromotionMetadata(m)}`,
    state: "open",
    merged: false,
    baking: false,
    createdAt: at(0),
    mergedAt: null,
    checks: [],
    reviews: [],
    ...o,
  };
}

export function incident(number: number, o: { environment: string; cluster?: string; state?: "open" | "closed"; createdAt?: string; closedAt?: string | null; startsAt?: string }): StatusIncident {
  const body = renderMetadata("incident", {
    v: 1,
    key: `k${number}`,
    environment: o.environment,
    ...(o.cluster !== undefined ? { cluster: o.cluster } : {}),
    clusters: o.cluster !== undefined ? [o.cluster] : [],
    alerts: [{ fingerprint: "fp", alertname: "HighErrorRate", status: "firing", startsAt: o.startsAt ?? at(0), endsAt: null, groupKey: "g", summary: "errors", generatorURL: "https://prometheus.example/graph?g0" }],
    reverts: [],
    unfrozen: null,
  });
  return { number, url: `${REPO_URL}/issues/${number}`, title: `Incident ${number}`, state: o.state ?? "open", body, createdAt: o.createdAt ?? at(0), closedAt: o.closedAt ?? null };
}

export function revertPr(number: number, o: { environment: string; cluster?: string; merged?: boolean; createdAt: string; mergedAt?: string | null }): StatusRevert {
  const body = renderMetadata("rollback", {
    v: 1,
    key: `r${number}`,
    groupKey: null,
    fingerprints: ["fp"],
    episodes: [],
    environment: o.environment,
    ...(o.cluster !== undefined ? { cluster: o.cluster } : {}),
    clusters: o.cluster !== undefined ? [o.cluster] : [],
    component: "api",
    revertedSha: "abcdef1234567890",
    revertedPullRequest: 3,
  });
  const merged = o.merged ?? true;
  return { number, url: `${REPO_URL}/pull/${number}`, title: `Revert ${number}`, body, state: merged ? "closed" : "open", merged, createdAt: o.createdAt, mergedAt: merged ? (o.mergedAt ?? o.createdAt) : null };
}

export function statusInput(o: Partial<FleetStatusInput> = {}): FleetStatusInput {
  return {
    repository: { owner: "acme", repo: "gitops", defaultBranch: "main", headSha: "head", url: REPO_URL },
    fleet,
    tree: TREE,
    openPromotions: [],
    mergedPromotions: [],
    incidents: [],
    alerts: [],
    reverts: [],
    commitDates: new Map(),
    now: new Date(at(0)),
    since: new Date(at(-30 * 24 * 60)),
    ...o,
  };
}
