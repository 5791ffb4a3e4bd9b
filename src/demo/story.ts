/**
 * The demo's story, step by step. People (alice, carol) act through the simulator's scripting API, as they would
 * on github.com; Fleetward acts only through its webhooks and HTTP routes. Each step waits (bounded) for what the
 * app is expected to do and fails, naming itself, when it does not happen.
 */
import type { SimCheckRun, SimPull } from "../simulator/sim-model.js";
import { alertmanagerBody, postAlert } from "./alerts.js";
import { visitStatusPage } from "./status-page-visit.js";
import { APPROVER, AUTHOR, OWNER, REPO, type DemoWorld } from "./demo-world.js";
import type { StepContext, StoryRunner } from "./story-runner.js";

export interface StoryOptions {
  /** Replicas the first pull request asks for in dev (the policy allows at most 10). */
  replicas: number;
  stepTimeoutMs: number;
}

const MINUTE = 60_000;
const DEV_OVERLAY = "envs/dev/podinfo/kustomization.yaml";
const BAKE_MS = 10 * MINUTE; // promotion.waves.prod[0].bake in src/demo/fleet/.github/fleetward.yml

const setOverlay = (text: string, tag: string, replicas: number) => text.replace(/newTag: "[^"]*"/, `newTag: "${tag}"`).replace(/count: \d+/, `count: ${replicas}`);

export async function playStory(world: DemoWorld, runner: StoryRunner, options: StoryOptions): Promise<void> {
  const { sim } = world;
  const pulls = () => sim.pullRequests(OWNER, REPO);
  const pullByBranch = (branch: string) => pulls().find((p) => p.headRef === branch);
  const check = (sha: string, name: string): SimCheckRun | undefined => sim.checkRunsOf(OWNER, REPO, sha).filter((r) => r.name === name).at(-1);
  const completed = (sha: string, name: string) => {
    const run = check(sha, name);
    return run?.status === "completed" ? run : undefined;
  };
  const gatesLine = (run: SimCheckRun) => `fleetward/promotion-gates ${run.conclusion}: ${run.output.title ?? ""}`;
  /** Time passes between the steps on GitHub's (the simulator's) clock too. */
  const later = (ms = MINUTE) => sim.clock.advance(ms);
  /** Waits for the gates of a promotion to pass, then `user` merges it (the app merges itself where autoMerge is on). */
  const approveAndMerge = async (ctx: StepContext, pr: SimPull): Promise<SimCheckRun> => {
    sim.review({ owner: OWNER, repo: REPO, number: pr.number, user: APPROVER, state: "APPROVED" });
    const gates = await ctx.waitFor(`fleetward/promotion-gates to pass on #${pr.number} after ${APPROVER}'s approval`, () => {
      const run = completed(sim.pull(OWNER, REPO, pr.number).headSha, "fleetward/promotion-gates");
      return run?.conclusion === "success" ? run : undefined;
    });
    later();
    sim.merge(OWNER, REPO, pr.number, APPROVER, "merge");
    return gates;
  };

  const branch = "podinfo-6.5.0";
  let change!: SimPull;
  await runner.step("a pull request that breaks the policy", async (ctx) => {
    const text = sim.filesAt(OWNER, REPO)[DEV_OVERLAY]!;
    sim.commitFiles({ owner: OWNER, repo: REPO, branch, user: AUTHOR, message: "podinfo 6.5.0 in dev, load test", files: { [DEV_OVERLAY]: setOverlay(text, "6.5.0", options.replicas) } });
    change = sim.openPullRequest({ owner: OWNER, repo: REPO, head: branch, title: "podinfo 6.5.0 in dev", body: `Bump podinfo and scale it to ${options.replicas} for a load test.`, user: AUTHOR });
    const run = await ctx.waitFor(`fleetward/policy on #${change.number}`, () => completed(change.headSha, "fleetward/policy"));
    ctx.expect(run.conclusion === "failure", `fleetward/policy concluded ${run.conclusion} on #${change.number} (${options.replicas} replicas), expected failure: the Gatekeeper constraint allows at most 10`);
    ctx.expect(run.annotations.length > 0, "fleetward/policy failed without annotations");
    for (const a of run.annotations) ctx.detail(`${a.path}:${a.start_line}: ${a.message}`);
    return `#${change.number} "${change.issue.title}" by ${AUTHOR} → fleetward/policy failure, ${run.annotations.length} annotation(s)`;
  });

  await runner.step("the fix", async (ctx) => {
    later();
    const text = sim.filesAt(OWNER, REPO, change.headSha)[DEV_OVERLAY]!;
    const fix = sim.commitFiles({ owner: OWNER, repo: REPO, branch, user: AUTHOR, message: "load test with 4 replicas", files: { [DEV_OVERLAY]: setOverlay(text, "6.5.0", 4) } });
    const run = await ctx.waitFor(`fleetward/policy on the fix ${fix.sha.slice(0, 7)}`, () => completed(fix.sha, "fleetward/policy"));
    ctx.expect(run.conclusion === "success", `fleetward/policy concluded ${run.conclusion} on the fix, expected success`);
    return `commit ${fix.sha.slice(0, 7)} (4 replicas) → fleetward/policy success`;
  });

  await runner.step("merge → promotion into staging", async (ctx) => {
    later();
    sim.merge(OWNER, REPO, change.number, AUTHOR, "merge");
    const pr = await ctx.waitFor("the promotion pull request into staging", () => pullByBranch("fleetward/promote/podinfo/staging"));
    ctx.detail(`#${pr.number} ${pr.issue.title}`);
    await ctx.waitFor(`#${pr.number} to be merged by Fleetward once its gates pass (staging: autoMerge)`, () => (sim.pull(OWNER, REPO, pr.number).merged ? true : undefined));
    const gates = check(sim.pull(OWNER, REPO, pr.number).headSha, "fleetward/promotion-gates");
    if (gates?.conclusion !== "success") return ctx.fail(`#${pr.number} merged without a passing fleetward/promotion-gates`);
    ctx.detail(gatesLine(gates));
    return `#${pr.number} opened, gates passed, merged by Fleetward`;
  });

  let canary!: SimPull;
  await runner.step("promotion into prod, wave canary (prod-eu-1)", async (ctx) => {
    canary = await ctx.waitFor("the promotion pull request into prod/canary", () => pullByBranch("fleetward/promote/podinfo/prod/canary"));
    const gates = await ctx.waitFor(`fleetward/promotion-gates on #${canary.number} to wait for an approval`, () => {
      const run = completed(canary.headSha, "fleetward/promotion-gates");
      return run?.conclusion === "action_required" && /approval/.test(run.output.summary ?? "") ? run : undefined;
    });
    ctx.detail(`#${canary.number} ${canary.issue.title}`);
    ctx.detail(gatesLine(gates));
    return `#${canary.number} opened; its gates wait for 1 approval`;
  });

  await runner.step("approve and merge the canary wave", async (ctx) => {
    const gates = await approveAndMerge(ctx, canary);
    ctx.detail(gatesLine(gates));
    await ctx.waitFor(`#${canary.number} to be labelled fleetward:baking`, () => (sim.labelsOf(OWNER, REPO, canary.number).includes("fleetward:baking") ? true : undefined));
    return `${APPROVER} approved, gates passed, merged; prod-eu-1 bakes for ${BAKE_MS / MINUTE}m`;
  });

  let rest!: SimPull;
  await runner.step("bake, then the next wave (prod-us-1)", async (ctx) => {
    later(BAKE_MS / 2);
    // Half the bake: the reconciler (every second) must not open the next wave yet.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    ctx.expect(pullByBranch("fleetward/promote/podinfo/prod/rest") === undefined, "the next wave opened before the bake time had passed");
    later(BAKE_MS / 2 + MINUTE);
    rest = await ctx.waitFor("the reconciler to open the promotion into prod/rest after the bake", () => pullByBranch("fleetward/promote/podinfo/prod/rest"));
    ctx.detail(`#${rest.number} ${rest.issue.title}`);
    return `no wave after ${BAKE_MS / 2 / MINUTE}m; after ${BAKE_MS / MINUTE + 1}m on the simulator's clock #${rest.number} opened`;
  });

  await runner.step("approve and merge the last wave", async (ctx) => {
    const gates = await approveAndMerge(ctx, rest);
    ctx.detail(gatesLine(gates));
    const tag = await ctx.waitFor("prod-us-1 to run 6.5.0 on the default branch", () => (/newTag: "6\.5\.0"/.test(sim.filesAt(OWNER, REPO)["clusters/prod-us-1/podinfo/kustomization.yaml"] ?? "") ? "6.5.0" : undefined));
    return `#${rest.number} merged: podinfo ${tag} in dev, staging, prod-eu-1 and prod-us-1`;
  });

  const startsAt = later(2 * MINUTE);
  const isRollback = (p: SimPull) => p.headRef.startsWith("fleetward/rollback/prod-us-1/");
  const incident = () => sim.issues(OWNER, REPO).find((i) => !i.isPull && sim.labelsOf(OWNER, REPO, i.number).includes("fleetward:incident"));
  const freeze = async () => (await (await fetch(`${world.appUrl}/api/freeze?env=prod&cluster=prod-us-1`, { headers: { authorization: `Bearer ${world.alertToken}` }, signal: AbortSignal.timeout(options.stepTimeoutMs) })).json()) as { frozen: boolean; reasons: string[] };
  await runner.step("an SLO alert fires in prod-us-1", async (ctx) => {
    const { status, answer } = await postAlert(world.appUrl, world.alertToken, alertmanagerBody({ cluster: "prod-us-1", app: "podinfo", startsAt }), options.stepTimeoutMs);
    ctx.expect(status === 200, `POST /api/alerts/alertmanager answered ${status}: ${JSON.stringify(answer)}`);
    const revert = await ctx.waitFor("the revert pull request", () => pulls().find(isRollback));
    const reverted = sim.filesAt(OWNER, REPO, revert.headSha)["clusters/prod-us-1/podinfo/kustomization.yaml"] ?? "";
    ctx.expect(/newTag: "6\.4\.0"/.test(reverted), `revert pull request #${revert.number} does not set prod-us-1 back to 6.4.0:\n${reverted}`);
    const issue = await ctx.waitFor("the incident issue", () => (incident()?.state === "open" ? incident() : undefined));
    const state = await freeze();
    ctx.expect(state.frozen, `GET /api/freeze says prod-us-1 is not frozen: ${JSON.stringify(state)}`);
    ctx.detail(`#${revert.number} ${revert.issue.title}`);
    ctx.detail(`#${issue.number} ${issue.title}`);
    ctx.detail(`GET /api/freeze?env=prod&cluster=prod-us-1 → frozen: ${state.reasons.join("; ")}`);
    return `revert pull request #${revert.number} (prod-us-1 back to 6.4.0), incident #${issue.number}, promotions into prod-us-1 frozen`;
  });

  await runner.step("the alert resolves", async (ctx) => {
    const endsAt = later(5 * MINUTE);
    const { status, answer } = await postAlert(world.appUrl, world.alertToken, alertmanagerBody({ cluster: "prod-us-1", app: "podinfo", startsAt, endsAt }), options.stepTimeoutMs);
    ctx.expect(status === 200, `POST /api/alerts/alertmanager (resolved) answered ${status}: ${JSON.stringify(answer)}`);
    const issue = await ctx.waitFor("the incident to be closed", () => (incident()?.state === "closed" ? incident() : undefined));
    const state = await freeze();
    ctx.expect(!state.frozen, `GET /api/freeze still says frozen: ${JSON.stringify(state)}`);
    return `incident #${issue.number} closed, freeze lifted (the revert pull request stays for the team to merge or close)`;
  });

  await runner.step("the status page", async (ctx) => {
    const { status, html } = await visitStatusPage(world.appUrl, options.stepTimeoutMs);
    ctx.expect(status === 200, `GET /fleet after signing in answered ${status}`);
    const wanted = [`${OWNER}/${REPO}`, "podinfo", "prod-eu-1", "prod-us-1", "6.5.0"];
    const missing = wanted.filter((text) => !html.includes(text));
    ctx.expect(missing.length === 0, `/fleet does not show ${missing.join(", ")}`);
    return `${AUTHOR} signed in through the simulated GitHub's OAuth; /fleet shows ${wanted.join(", ")}`;
  });

  await runner.step("GitHub's API description", async (ctx) => {
    const violations = sim.violations.length;
    ctx.expect(violations === 0, `${violations} request(s) broke GitHub's OpenAPI description: ${JSON.stringify(sim.violations.slice(0, 3))}`);
    return `${sim.requestLog.length} API calls by Fleetward, every one valid against GitHub's OpenAPI description`;
  });
}
