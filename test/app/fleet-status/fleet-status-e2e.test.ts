/**
 * The fleet status end to end through the GitHub simulator: a real promotion dev → staging → prod/canary by the
 * app, then the loader's FleetStatus (matrix, drift, gates, frozen cluster, baking, lead times) and `/promote status`,
 * which must be the Markdown of that same FleetStatus.
 */
import { fleetwardApp } from "../../../src/app/index.js";
import { FleetStatusReader } from "../../../src/app/fleet-status/load-fleet-status.js";
import { ConfigStore } from "../../../src/app/repo-config.js";
import { renderStatusMarkdown } from "../../../src/promotion/fleet-status/render-status-markdown.js";
import { renderMetadata } from "../../../src/rollback/rollback-metadata.js";
import { fixture } from "../../promotion/fixture.js";
import { TestOctokit, createTestProbot } from "../../helpers/create-test-probot.js";
import { useGitHubSimulator } from "../../helpers/use-github-simulator.js";
import type { GitHubSimulator } from "../../../src/simulator/github-simulator.js";

const h = useGitHubSimulator();
const OWNER = "acme";
const REPO = "gitops";
const MIN = 60_000;

// The shared promotion fleet with automatic hops and no policy gate; prod needs one approval.
const CONFIG = fixture("fleet.yml").replace("    mode: auto", '    mode: auto\n    gates:\n      policyCheck: ""');
const kustomization = (tag: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy.yaml]\nimages:\n  - name: ghcr.io/acme/api\n    newTag: "${tag}"\n`;
const FILES: Record<string, string> = {
  ".github/fleetward.yml": CONFIG,
  "envs/dev/api/kustomization.yaml": kustomization("1.0.0"),
  "envs/staging/api/kustomization.yaml": kustomization("1.0.0"),
  "clusters/prod-eu-1/api/kustomization.yaml": kustomization("1.0.0"),
  "clusters/prod-us-1/api/kustomization.yaml": kustomization("1.0.0"),
};

async function setup() {
  const sim = h.sim;
  sim.createRepo({ owner: OWNER, name: REPO, files: FILES });
  sim.createRepo({ owner: OWNER, name: "plain", files: { "README.md": "no fleet here\n" } });
  const now = () => sim.clock.now();
  const { probot, app } = await createTestProbot({ sim, appFn: fleetwardApp({ now }) });
  const installation = sim.install({ appId: app.id, account: OWNER, repos: [REPO, "plain"] });
  for (const u of ["alice", "bob"]) sim.setPermission(OWNER, REPO, u, "write");
  sim.setPermission(OWNER, REPO, "reader", "read");
  const botLogin = sim.bot(app.slug).login;
  const gh = new TestOctokit({ auth: { appId: app.id, privateKey: app.privateKey, installationId: installation.id } });
  const reader = new FleetStatusReader();
  const deps = { store: new ConfigStore(), now, botLogin: async () => botLogin, log: probot.log };
  const load = (repo = REPO) => reader.load(gh, { owner: OWNER, repo }, deps);
  return { sim, botLogin, load };
}

const openPull = (sim: GitHubSimulator, branch: string) =>
  sim.pullRequests(OWNER, REPO).find((p) => p.headRef === branch && p.issue.state === "open")!;

// The promotion itself takes most of the time (about 30 s on the shared machine).
test("after a real promotion: versions, drift, gates, a frozen cluster, baking and lead times; /promote status is that FleetStatus's Markdown", async () => {
  const { sim, botLogin, load } = await setup();
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "api-1.1", files: { "envs/dev/api/kustomization.yaml": kustomization("1.1.0") }, user: "alice", message: "api 1.1.0" });
  const origin = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "api-1.1", title: "api 1.1.0", user: "alice" });
  await sim.settle();
  sim.merge(OWNER, REPO, origin.number, "alice", "merge");
  await sim.settle();
  sim.clock.advance(60 * MIN);
  sim.merge(OWNER, REPO, openPull(sim, "fleetward/promote/api/staging").number, "bob", "merge");
  await sim.settle();
  const canary = openPull(sim, "fleetward/promote/api/prod/canary");
  const incidentMeta = { v: 1, key: "k", environment: "prod", cluster: "prod-us-1", clusters: ["prod-us-1"], alerts: [{ fingerprint: "f", alertname: "ApiErrors", status: "firing", startsAt: sim.clock.now().toISOString(), endsAt: null, groupKey: "g", summary: null, generatorURL: "https://prometheus.example/graph" }], reverts: [], unfrozen: null };
  const issue = sim.openIssue({ owner: OWNER, repo: REPO, title: "Incident: prod-us-1", body: renderMetadata("incident", incidentMeta), user: botLogin, labels: ["fleetward:incident"] });
  await sim.settle();
  const status = await load();
  expect(status.problem).toBeNull();
  const api = status.components.find((c) => c.component === "api")!;
  expect(Object.fromEntries(api.cells.map((c) => [c.column, `${c.text}${c.drift ? " drift" : ""}`]))).toEqual({ dev: "1.1.0", staging: "1.1.0", "prod-eu-1": "1.0.0 drift", "prod-eu-2": "—", "prod-us-1": "1.0.0 drift", "prod-ap-1": "—" });
  expect(status.drift.map((d) => [d.column, d.promotion?.number])).toEqual([["prod-eu-1", canary.number], ["prod-us-1", canary.number]]);
  expect(status.promotions).toEqual([
    expect.objectContaining({ pr: expect.objectContaining({ number: canary.number }), target: "prod/canary", origin: expect.objectContaining({ pr: origin.number }), gates: expect.objectContaining({ state: "pending", gates: expect.arrayContaining([expect.objectContaining({ name: "approvals", state: "pending" })]) }) }),
  ]);
  expect(status.promotions[0]!.gates.checkUrl).toMatch(/^https:\/\//);
  expect(status.columns.filter((c) => c.frozen).map((c) => c.key)).toEqual(["prod-us-1"]);
  expect(status.frozen.map((f) => [f.incident.number, f.cluster, f.alerts[0]?.url])).toEqual([[issue.number, "prod-us-1", "https://prometheus.example/graph"]]);
  expect(status.delivery.samples.map((s) => [s.target, s.seconds])).toEqual([["staging", 3600]]);

  // The comment and the page come from one FleetStatus: the reply is exactly its Markdown.
  sim.comment({ owner: OWNER, repo: REPO, number: origin.number, body: "/promote status", user: "reader" });
  await sim.settle();
  const reply = sim.comments(OWNER, REPO, origin.number).at(-1)!;
  expect(reply.user.login).toBe(botLogin);
  expect(reply.body).toBe(renderStatusMarkdown(await load(), origin.number));
  expect(reply.body).toContain(`| #${canary.number} (this change) | api | \`staging\` → \`prod/canary\` | ⏳ gates pending (⏳ approvals) |`);

  // Approved after 30 minutes, merged after 60: the canary bakes, the approvals gate held it 30 minutes.
  sim.clock.advance(30 * MIN);
  sim.review({ owner: OWNER, repo: REPO, number: canary.number, user: "bob", state: "APPROVED" });
  await sim.settle();
  sim.clock.advance(30 * MIN);
  sim.merge(OWNER, REPO, canary.number, "bob", "merge");
  await sim.settle();
  sim.clock.advance(20 * MIN);
  const later = await load();
  expect(later.baking).toEqual([expect.objectContaining({ environment: "prod", wave: "canary", nextWave: "rest", component: "api", secondsLeft: 40 * 60, state: "baking" })]);
  expect(later.delivery.samples.map((s) => [s.target, s.seconds, s.complete])).toEqual([["staging", 3600, true], ["prod/canary", 7200, false]]);
  expect(later.delivery.gateBlocked.filter((g) => g.environment === "prod").map((g) => [g.gate, g.totalSeconds])).toEqual([["approvals", 1800], ["incident", 0]]);
  expect(Object.fromEntries(later.components.find((c) => c.component === "api")!.cells.map((c) => [c.column, c.text]))).toMatchObject({ "prod-eu-1": "1.1.0", "prod-us-1": "1.0.0" });
}, 180_000);

test("a repository without environments (no configuration): the status says so, and /promote status too", async () => {
  const { load } = await setup();
  const status = await load("plain");
  expect(status).toMatchObject({ problem: "no environments in .github/fleetward.yml on main", columns: [], components: [] });
  expect(renderStatusMarkdown(status, 1)).toBe("❌ No status: no environments in .github/fleetward.yml on main.");
}, 180_000);
