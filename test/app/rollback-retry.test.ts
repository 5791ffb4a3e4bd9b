/**
 * Rollback retries through the GitHub simulator (issue 13, defects 5 and 6):
 * - an alert's handling killed before any one of its writes, then retried (as Alertmanager retries a 5xx),
 *   ends exactly where an uninterrupted run ends: every step of the plan is re-checked and completed on
 *   retry (labels, auto-merge, incident and its link, comments, close), not only the first;
 * - `/rollback` finds the merged change's parent from the merge commit itself, whatever its date.
 */
import pino from "pino";
import { CREATE_ATTEMPTS } from "../../src/app/github/create-once.js";
import { fleetwardApp } from "../../src/app/index.js";
import { runRollback } from "../../src/app/rollback/run-rollback.js";
import { loadConfig } from "../../src/config/load-config.js";
import type { FleetwardConfig } from "../../src/config/schema.js";
import type { AlertGroup } from "../../src/rollback/alerts/alert-group.js";
import { parseGenericAlert } from "../../src/rollback/alerts/parse-generic-alert.js";
import { TestOctokit, createTestProbot } from "../helpers/create-test-probot.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import type { GitHubSimulator } from "../../src/simulator/github-simulator.js";

const h = useGitHubSimulator({ clockStart: "2026-08-20T09:00:00Z" });
const OWNER = "acme";
const silent = pino({ level: "silent" });
/** One run per write of the scenario, each in its own repository: seconds on an idle machine, more on a busy one. */
const CRASH_LOOP_TIMEOUT_MS = 180_000;
/** The writes the app sends through createOnce (no automatic retry; a lookup, then up to CREATE_ATTEMPTS creates). */
const CREATES = new Set(["pulls/create", "issues/create", "issues/create-comment", "checks/create"]);

const config = (autoMerge: boolean) => `environments:
  - name: dev
    paths: ["envs/dev/**"]
  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: dev
    settings: { rollback: { autoMerge: ${autoMerge} } }
rollback:
  rules:
    - { environment: { label: env }, component: { label: app, optional: true } }
`;

const FILES = { "envs/dev/checkout/deploy.yaml": "image: checkout:v1\n", "envs/prod/checkout/deploy.yaml": "image: checkout:v1\n" };

/** Alice's pull request changing prod's checkout (open). */
function createChange(sim: GitHubSimulator, name: string) {
  sim.commitFiles({ owner: OWNER, repo: name, branch: "v2", user: "alice", message: "checkout v2", files: { "envs/prod/checkout/deploy.yaml": "image: checkout:v2\n" } });
  return sim.openPullRequest({ owner: OWNER, repo: name, head: "v2", title: "checkout v2", user: "alice" });
}

/** A repository whose prod checkout was changed by a merged pull request. */
function createRepo(sim: GitHubSimulator, name: string, autoMerge: boolean) {
  sim.createRepo({ owner: OWNER, name, files: { ".github/fleetward.yml": config(autoMerge), ...FILES } });
  const pr = createChange(sim, name);
  sim.merge(OWNER, name, pr.number, "alice", "merge");
  return pr;
}

function alert(status: "firing" | "resolved", names: string[], startsAt: string): AlertGroup {
  const parsed = parseGenericAlert({
    groupKey: "checkout-slo",
    status,
    labels: { env: "prod", app: "checkout" },
    alerts: names.map((alertname) => ({ labels: { alertname }, startsAt, ...(status === "resolved" ? { endsAt: startsAt.replace("10:00", "10:30") } : {}) })),
  });
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.group;
}

/** What a person sees on GitHub: pull requests, issues, their labels and comments (the repository's name left out). */
function snapshot(sim: GitHubSimulator, name: string) {
  const text = (s: string | null | undefined) => (s ?? "").split(name).join("REPO");
  const comments = (n: number) => sim.comments(OWNER, name, n).map((c) => text(c.body));
  return {
    pulls: sim.pullRequests(OWNER, name).map((p) => ({
      number: p.number,
      title: p.issue.title,
      state: p.issue.state,
      merged: p.merged,
      labels: sim.labelsOf(OWNER, name, p.number),
      body: text(p.issue.body),
      comments: comments(p.number),
      files: sim.filesAt(OWNER, name, p.headSha),
    })),
    issues: sim.issues(OWNER, name).filter((i) => !sim.pullRequests(OWNER, name).some((p) => p.number === i.number)).map((i) => ({ number: i.number, title: i.title, state: i.state, labels: sim.labelsOf(OWNER, name, i.number), body: text(i.body), comments: comments(i.number) })),
    main: sim.filesAt(OWNER, name, "main"),
  };
}

const SCENARIOS: Record<string, { autoMerge: boolean; notifications: () => AlertGroup[] }> = {
  "open, a second alert, resolved (review)": {
    autoMerge: false,
    notifications: () => [
      alert("firing", ["CheckoutErrors"], "2026-08-20T10:00:00Z"),
      alert("firing", ["CheckoutErrors", "CheckoutLatency"], "2026-08-20T10:00:00Z"),
      alert("resolved", ["CheckoutErrors", "CheckoutLatency"], "2026-08-20T10:00:00Z"),
    ],
  },
  "open with auto-merge": { autoMerge: true, notifications: () => [alert("firing", ["CheckoutErrors"], "2026-08-20T10:00:00Z")] },
};

describe.each(Object.entries(SCENARIOS))("an alert killed before any one of its writes, then retried: %s", (_name, scenario) => {
  test("ends as the uninterrupted run ends", async () => {
    const { sim } = h;
    const app = sim.createApp({ slug: "fleetward" });
    const botLogin = sim.bot(app.slug).login;
    const parsed = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text: config(scenario.autoMerge) }] }).config;
    if (!parsed) throw new Error("the configuration must load");
    const cfg: FleetwardConfig = parsed;
    const names: string[] = [];
    const repos = new Map<string, { gh: InstanceType<typeof TestOctokit>; head: () => string }>();
    const prepare = (name: string) => {
      createRepo(sim, name, scenario.autoMerge);
      const installation = sim.install({ appId: app.id, account: OWNER, repos: [...names, name] });
      names.push(name);
      const gh = new TestOctokit({ auth: { appId: app.id, privateKey: app.privateKey, installationId: installation.id } });
      repos.set(name, { gh, head: () => sim.resolveCommitish(sim.repo(OWNER, name), "main")! });
    };
    /** Every notification in order; one that fails is retried once, as the sender retries a 5xx. */
    const run = async (name: string) => {
      const { gh, head } = repos.get(name)!;
      let failures = 0;
      for (const group of scenario.notifications()) {
        const once = () => runRollback({ gh, where: { owner: OWNER, repo: name, defaultBranch: "main" }, head: head(), config: cfg, botLogin, log: silent }, group);
        try {
          await once();
        } catch {
          failures++;
          await once();
        }
      }
      return failures;
    };
    const writes = () => sim.requestLog.filter((r) => r.method !== "GET" && !(r.operationId ?? "").startsWith("apps/")).map((r) => r.operationId);

    prepare("reference");
    const before = writes().length;
    expect(await run("reference")).toBe(0);
    const steps = writes().slice(before);
    const reference = snapshot(sim, "reference");
    expect(reference.pulls.filter((p) => p.labels.includes("fleetward:rollback"))).toHaveLength(1);
    expect(reference.issues).toHaveLength(1);
    expect(steps.length).toBeGreaterThan(5);

    for (let k = 0; k < steps.length; k++) {
      const name = `crash-${k}`;
      prepare(name);
      // A create is retried inside the run after a lookup (create-once.ts): the kill fails each of its attempts.
      const times = CREATES.has(steps[k] ?? "") ? CREATE_ATTEMPTS : 1;
      sim.failNext({ writes: true, skip: k, times, status: 500, message: `killed before ${steps[k]}` });
      expect({ k, step: steps[k], failures: await run(name) }).toEqual({ k, step: steps[k], failures: 1 });
      expect({ k, step: steps[k], state: snapshot(sim, name) }).toEqual({ k, step: steps[k], state: reference });
    }
  }, CRASH_LOOP_TIMEOUT_MS);
});

/** The app (webhooks connected) on a repository whose prod checkout change #1 is merged; `alice` may write. */
async function commandSetup(sim: GitHubSimulator, autoMerge: boolean) {
  sim.createRepo({ owner: OWNER, name: "gitops", files: { ".github/fleetward.yml": config(autoMerge), ...FILES } });
  const parent = sim.resolveCommitish(sim.repo(OWNER, "gitops"), "main")!;
  const { app } = await createTestProbot({ sim, appFn: fleetwardApp({ now: () => sim.clock.now() }) });
  sim.install({ appId: app.id, account: OWNER, repos: ["gitops"] });
  sim.setPermission(OWNER, "gitops", "alice", "write");
  const pr = createChange(sim, "gitops");
  await sim.settle();
  const merge = sim.merge(OWNER, "gitops", pr.number, "alice", "merge");
  await sim.settle();
  return { pr, parent, merge };
}

test("/rollback reads the merged change's parent from the merge commit, even when the commit is dated before merged_at", async () => {
  const { sim } = h;
  const { pr, parent, merge } = await commandSetup(sim, false);
  // GitHub stamps merged_at when the merge completes: here a second after the merge commit's committer date.
  const pull = sim.pull(OWNER, "gitops", pr.number);
  pull.merged_at = new Date(Date.parse(merge.committer.date) + 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  sim.comment({ owner: OWNER, repo: "gitops", number: pr.number, body: "/rollback prod", user: "alice" });
  await sim.settle();
  expect(sim.comments(OWNER, "gitops", pr.number).at(-1)!.body).toMatch(/^Opened #\d+ to roll back/);
  const [revert, ...more] = sim.pullRequests(OWNER, "gitops").filter((p) => p.headRef.startsWith("fleetward/rollback/"));
  expect(more).toEqual([]);
  expect(sim.comments(OWNER, "gitops", pr.number).at(-1)!.body).toBe(`Opened #${revert!.number} to roll back #${pr.number} in prod.`);
  expect(sim.filesAt(OWNER, "gitops", revert!.headSha)["envs/prod/checkout/deploy.yaml"]).toBe(sim.filesAt(OWNER, "gitops", parent)["envs/prod/checkout/deploy.yaml"]);
  expect(revert!.issue.body ?? "").toContain(merge.sha);
});

test("/rollback asked again after a run killed before the labels completes the open rollback instead of only naming it", async () => {
  const { sim } = h;
  const { pr } = await commandSetup(sim, true);
  sim.failNext({ operationId: "issues/add-labels", status: 500 });
  sim.comment({ owner: OWNER, repo: "gitops", number: pr.number, body: "/rollback prod", user: "alice" });
  await expect(sim.settle()).rejects.toThrow();
  const [revert] = sim.pullRequests(OWNER, "gitops").filter((p) => p.headRef.startsWith("fleetward/rollback/"));
  expect(sim.labelsOf(OWNER, "gitops", revert!.number)).toEqual([]);
  expect(revert!.merged).toBe(false);

  sim.comment({ owner: OWNER, repo: "gitops", number: pr.number, body: "/rollback prod", user: "alice" });
  await sim.settle();
  expect(sim.comments(OWNER, "gitops", pr.number).at(-1)!.body).toBe(`#${revert!.number} already rolls back #${pr.number} in prod.`);
  expect(sim.labelsOf(OWNER, "gitops", revert!.number)).toEqual(["fleetward:rollback"]);
  expect(sim.pull(OWNER, "gitops", revert!.number).merged).toBe(true);
  expect(sim.filesAt(OWNER, "gitops", "main")["envs/prod/checkout/deploy.yaml"]).toBe("image: checkout:v1\n");
}, 90_000);
