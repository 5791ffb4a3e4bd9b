/**
 * Environment promotion end to end through the GitHub simulator (issue 6 acceptance): the real app with the
 * sim clock, webhooks flowing back into it, and the reconciler called directly after the clock moves.
 */
import { fleetwardApp } from "../../src/app/index.js";
import { reconcilePromotions } from "../../src/app/promotion/reconcile-promotions.js";
import { ConfigStore } from "../../src/app/repo-config.js";
import { runRollback } from "../../src/app/rollback/run-rollback.js";
import { loadConfig } from "../../src/config/load-config.js";
import { parseGenericAlert } from "../../src/rollback/alerts/parse-generic-alert.js";
import { parsePromotionMetadata } from "../../src/promotion/parse-promotion-metadata.js";
import { renderMetadata } from "../../src/rollback/rollback-metadata.js";
import { TestOctokit, createTestProbot } from "../helpers/create-test-probot.js";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import type { GitHubSimulator } from "../../src/simulator/github-simulator.js";
import { CREATE_ATTEMPTS } from "../../src/app/github/create-once.js";

const h = useGitHubSimulator();
const OWNER = "acme";
const REPO = "gitops";
const HOUR = 60 * 60 * 1000;

function config(extra: { staging?: string; prod?: string; paths?: string } = {}): string {
  return `environments:
  - name: dev
    paths: ["envs/dev/**"]
  - name: staging
    paths: ["envs/staging/**"]
    promotedFrom: dev
${extra.staging ?? ""}  - name: prod
    paths: ["envs/prod/**"]
    promotedFrom: staging
    settings:
      promotion:
        promoters: [acme/prod-deployers]
        gates:
          approvals: { count: 1 }
${extra.prod ?? ""}clusters:
  - { name: prod-eu-1, environment: prod, labels: { wave: "1" }, paths: ["clusters/prod-eu-1/**"] }
  - { name: prod-us-1, environment: prod, labels: { wave: "2" }, paths: ["clusters/prod-us-1/**"] }
promotion:
  components:
    - match: api
      strategy: values
      fields:
        - { file: kustomization.yaml, path: "images[].newTag" }
  waves:
    prod:
      - { name: canary, selector: { matchLabels: { wave: "1" } }, bake: 1h }
      - { name: rest, clusters: [prod-us-1] }
${extra.paths ?? ""}settings:
  promotion:
    mode: auto
    gates:
      policyCheck: ""
`;
}

const kustomization = (tag: string, comment: string) => `# ${comment}
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deploy.yaml   # the API deployment
images:
  - name: ghcr.io/acme/api
    newTag: "${tag}" # bumped by CI
`;

const FILES: Record<string, string> = {
  "envs/dev/payments/deploy.yaml": "image: payments:v1\n",
  "envs/staging/payments/deploy.yaml": "image: payments:v1\n",
  "clusters/prod-eu-1/payments/deploy.yaml": "image: payments:v1\n",
  "clusters/prod-us-1/payments/deploy.yaml": "image: payments:v1\n",
  "envs/dev/api/kustomization.yaml": kustomization("1.0.0", "dev overlay"),
  "envs/staging/api/kustomization.yaml": kustomization("1.0.0", "staging overlay: keep this comment"),
};

async function setup(options: { config?: string; files?: Record<string, string>; otherRepo?: string } = {}) {
  const sim = h.sim;
  const repos = [REPO, ...(options.otherRepo !== undefined ? [options.otherRepo] : [])];
  for (const name of repos) sim.createRepo({ owner: OWNER, name, files: { ".github/fleetward.yml": options.config ?? config(), ...FILES, ...options.files } });
  const now = () => sim.clock.now();
  const { probot, app, receive } = await createTestProbot({ sim, appFn: fleetwardApp({ now }) });
  const installation = sim.install({ appId: app.id, account: OWNER, repos });
  for (const u of ["alice", "bob", "carol"]) sim.setPermission(OWNER, REPO, u, "write");
  const reconcile = () => reconcilePromotions(probot, { store: new ConfigStore(), now });
  /** The app's own installation client, as another of its checks would use it. */
  const appClient = () => new TestOctokit({ auth: { appId: app.id, privateKey: app.privateKey, installationId: installation.id } });
  return { sim, probot, app, reconcile, receive, appClient, botLogin: sim.bot(app.slug).login };
}

/** A human change through a pull request, merged. */
async function mergeChange(sim: GitHubSimulator, branch: string, files: Record<string, string | null>, user = "alice") {
  sim.commitFiles({ owner: OWNER, repo: REPO, branch, files, user, message: `Change ${branch}` });
  const pr = sim.openPullRequest({ owner: OWNER, repo: REPO, head: branch, title: `Change ${branch}`, user });
  await sim.settle();
  sim.merge(OWNER, REPO, pr.number, user, "merge");
  await sim.settle();
  return pr;
}

/** Pull requests as plain views (the sim keeps title, body and state on the pull request's issue). */
const pulls = (sim: GitHubSimulator) =>
  sim.pullRequests(OWNER, REPO).map((p) => ({ number: p.number, headRef: p.headRef, headSha: p.headSha, merged: p.merged, state: p.issue.state, title: p.issue.title, body: p.issue.body ?? "" }));
const openPromotions = (sim: GitHubSimulator) => pulls(sim).filter((p) => p.state === "open" && p.headRef.startsWith("fleetward/promote/"));
const promotionTo = (sim: GitHubSimulator, branch: string) => openPromotions(sim).filter((p) => p.headRef === branch);
const gatesOf = (sim: GitHubSimulator, sha: string) => sim.checkRunsOf(OWNER, REPO, sha).filter((r) => r.name === "fleetward/promotion-gates");
const mainSha = (sim: GitHubSimulator) => sim.resolveCommitish(sim.repo(OWNER, REPO), "main")!;

test("a merge in dev opens the staging promotion: one Git Data API commit on its branch, metadata back to the origin, gates as a check", async () => {
  const { sim } = await setup();
  const origin = await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const [pr, ...more] = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(more).toEqual([]);
  expect(pr!.title).toBe(`Promote payments from dev to staging (#${origin.number})`);
  expect(sim.filesAt(OWNER, REPO, pr!.headSha)["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v2\n");
  const meta = parsePromotionMetadata(pr!.body);
  expect(meta).toMatchObject({ component: "payments", source: "dev", target: "staging", origin: { pr: origin.number, author: "alice" } });
  // One commit on top of the default branch head, made without a clone.
  const head = sim.git.commit(pr!.headSha)!;
  expect(head.parents).toEqual([mainSha(sim)]);
  expect(sim.callCount("git/create-commit")).toBe(1);
  // Staging has no gates configured: the check passes and says so.
  expect(gatesOf(sim, pr!.headSha)).toEqual([expect.objectContaining({ status: "completed", conclusion: "success" })]);
  // The default-branch commit is marked handled, naming what it opened.
  const marker = sim.checkRunsOf(OWNER, REPO, mainSha(sim)).find((r) => r.name === "fleetward/promotion");
  expect(marker?.output.summary).toContain(`#${pr!.number}`);
});

test("dev → staging → prod in two waves: staging merge opens wave 1; wave 2 opens only after the bake time (sim clock + reconciler)", async () => {
  const { sim, reconcile } = await setup();
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const staging = promotionTo(sim, "fleetward/promote/payments/staging")[0]!;
  sim.merge(OWNER, REPO, staging.number, "bob", "merge");
  await sim.settle();

  const canary = promotionTo(sim, "fleetward/promote/payments/prod/canary")[0]!;
  expect(canary).toBeDefined();
  expect(sim.filesAt(OWNER, REPO, canary.headSha)["clusters/prod-eu-1/payments/deploy.yaml"]).toBe("image: payments:v2\n");
  expect(sim.filesAt(OWNER, REPO, canary.headSha)["clusters/prod-us-1/payments/deploy.yaml"]).toBe("image: payments:v1\n");
  expect(parsePromotionMetadata(canary.body)?.chain.map((hop) => `${hop.from}→${hop.to}`)).toEqual(["dev→staging", "staging→prod/canary"]);
  expect(promotionTo(sim, "fleetward/promote/payments/prod/rest")).toEqual([]);

  sim.review({ owner: OWNER, repo: REPO, number: canary.number, user: "carol", state: "APPROVED" });
  await sim.settle();
  sim.merge(OWNER, REPO, canary.number, "carol", "merge");
  await sim.settle();
  expect(sim.labelsOf(OWNER, REPO, canary.number)).toContain("fleetward:baking");

  sim.clock.advance(HOUR / 2);
  await reconcile();
  await sim.settle();
  expect(promotionTo(sim, "fleetward/promote/payments/prod/rest")).toEqual([]);

  sim.clock.advance(HOUR / 2 + 60_000);
  await reconcile();
  await sim.settle();
  const rest = promotionTo(sim, "fleetward/promote/payments/prod/rest");
  expect(rest).toHaveLength(1);
  expect(sim.filesAt(OWNER, REPO, rest[0]!.headSha)["clusters/prod-us-1/payments/deploy.yaml"]).toBe("image: payments:v2\n");
  expect(parsePromotionMetadata(rest[0]!.body)?.origin.author).toBe("alice");
  expect(sim.labelsOf(OWNER, REPO, canary.number)).not.toContain("fleetward:baking");
  expect(sim.comments(OWNER, REPO, canary.number).map((c) => c.body).join("\n")).toContain(`#${rest[0]!.number}`);

  // Another reconcile opens nothing more.
  await reconcile();
  await sim.settle();
  expect(promotionTo(sim, "fleetward/promote/payments/prod/rest")).toHaveLength(1);
});

test("the approvals gate blocks a prod promotion until someone other than the author approves", async () => {
  const { sim } = await setup({ files: { "envs/staging/payments/deploy.yaml": "image: payments:v1\n" } });
  await mergeChange(sim, "stg", { "envs/staging/payments/deploy.yaml": "image: payments:v3\n" });
  const canary = promotionTo(sim, "fleetward/promote/payments/prod/canary")[0]!;
  expect(gatesOf(sim, canary.headSha)).toEqual([expect.objectContaining({ conclusion: "action_required" })]);
  expect(gatesOf(sim, canary.headSha)[0]!.output.summary).toContain("0 of 1 approvals");

  // The origin's author approving does not count.
  sim.review({ owner: OWNER, repo: REPO, number: canary.number, user: "alice", state: "APPROVED" });
  await sim.settle();
  expect(gatesOf(sim, canary.headSha)[0]!.conclusion).toBe("action_required");

  sim.review({ owner: OWNER, repo: REPO, number: canary.number, user: "bob", state: "APPROVED" });
  await sim.settle();
  expect(gatesOf(sim, canary.headSha)).toEqual([expect.objectContaining({ conclusion: "success" })]);
  expect(gatesOf(sim, canary.headSha)[0]!.output.summary).toContain("1 of 1 approvals (@bob)");
});

test("a promotion window blocks the gates and later opens (reconciler after the clock passes the window's start)", async () => {
  // The sim clock starts on Thursday 2026-01-01 00:00 UTC; staging may only change 02:00–23:00.
  const staging = `    settings:
      promotion:
        gates:
          windows:
            - { kind: allow, days: [mon, tue, wed, thu, fri], start: "02:00", end: "23:00", timeZone: UTC }
`;
  const { sim, reconcile } = await setup({ config: config({ staging }) });
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const pr = promotionTo(sim, "fleetward/promote/payments/staging")[0]!;
  const [blocked] = gatesOf(sim, pr.headSha);
  expect(blocked).toMatchObject({ conclusion: "action_required" });
  expect(blocked!.output.summary).toContain("outside every allow window; opens 2026-01-01T02:00:00.000Z");

  sim.clock.advance(HOUR);
  await reconcile();
  await sim.settle();
  expect(gatesOf(sim, pr.headSha)[0]!.conclusion).toBe("action_required");

  sim.clock.advance(HOUR + 60_000);
  await reconcile();
  await sim.settle();
  expect(gatesOf(sim, pr.headSha)).toEqual([expect.objectContaining({ conclusion: "success" })]);
});

test("auto-merge: when every gate passes, the promotion merges itself and the chain continues", async () => {
  const staging = `    settings:
      promotion:
        autoMerge: true
`;
  const { sim } = await setup({ config: config({ staging }) });
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const stagingPr = pulls(sim).find((p) => p.headRef === "fleetward/promote/payments/staging")!;
  expect(stagingPr.merged).toBe(true);
  expect(sim.filesAt(OWNER, REPO, "main")["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v2\n");
  // prod needs an approval: its promotion opens and waits.
  const canary = promotionTo(sim, "fleetward/promote/payments/prod/canary");
  expect(canary).toHaveLength(1);
  expect(gatesOf(sim, canary[0]!.headSha)[0]!.conclusion).toBe("action_required");
});

test("/promote on a manual path: refused without write permission or outside the promoters team; opened with both; 👀 at once; status", async () => {
  const { sim } = await setup({ config: config({ paths: "  paths:\n    - { from: staging, to: prod/canary, mode: manual }\n" }) });
  const origin = await mergeChange(sim, "stg", { "envs/staging/payments/deploy.yaml": "image: payments:v3\n" });
  expect(openPromotions(sim)).toEqual([]);

  sim.setPermission(OWNER, REPO, "mallory", "read");
  const asked = sim.comment({ owner: OWNER, repo: REPO, number: origin.number, body: "/promote prod payments", user: "mallory" });
  await sim.settle();
  let comments = sim.comments(OWNER, REPO, origin.number);
  expect(comments.find((c) => c.id === asked.id)?.reactions.map((r) => r.content)).toEqual(["eyes"]);
  expect(comments[comments.length - 1]!.body).toBe("❌ Not promoted: @mallory needs write permission to promote (has read).");

  sim.comment({ owner: OWNER, repo: REPO, number: origin.number, body: "/promote prod payments", user: "bob" });
  await sim.settle();
  comments = sim.comments(OWNER, REPO, origin.number);
  expect(comments[comments.length - 1]!.body).toBe("❌ Not promoted: @bob is not a member of @acme/prod-deployers.");
  expect(openPromotions(sim)).toEqual([]);

  sim.addTeamMember("acme", "prod-deployers", "bob");
  sim.comment({ owner: OWNER, repo: REPO, number: origin.number, body: "/promote prod payments", user: "bob" });
  await sim.settle();
  const canary = promotionTo(sim, "fleetward/promote/payments/prod/canary");
  expect(canary).toHaveLength(1);
  expect(sim.filesAt(OWNER, REPO, canary[0]!.headSha)["clusters/prod-eu-1/payments/deploy.yaml"]).toBe("image: payments:v3\n");
  comments = sim.comments(OWNER, REPO, origin.number);
  expect(comments[comments.length - 1]!.body).toContain(`- payments → \`prod/canary\`: [#${canary[0]!.number}](`);
  expect(parsePromotionMetadata(canary[0]!.body)?.origin.pr).toBe(origin.number);

  // Asking again opens nothing new.
  sim.comment({ owner: OWNER, repo: REPO, number: origin.number, body: "/promote prod payments", user: "bob" });
  await sim.settle();
  expect(openPromotions(sim)).toHaveLength(1);
  comments = sim.comments(OWNER, REPO, origin.number);
  expect(comments[comments.length - 1]!.body).toContain("already open");

  sim.comment({ owner: OWNER, repo: REPO, number: origin.number, body: "/promote status", user: "mallory" });
  await sim.settle();
  comments = sim.comments(OWNER, REPO, origin.number);
  expect(comments[comments.length - 1]!.body).toContain(`| #${canary[0]!.number} (this change) | payments | \`staging\` → \`prod/canary\` | ⏳ gates pending (⏳ approvals) |`);

  sim.comment({ owner: OWNER, repo: REPO, number: origin.number, body: "/promote moon", user: "bob" });
  await sim.settle();
  comments = sim.comments(OWNER, REPO, origin.number);
  expect(comments[comments.length - 1]!.body).toMatch(/^❌ Unknown promotion target `moon`/);
});

test("comment commands: typos and mentions of the app get the help, other /words nothing; edited comments and bots run nothing", async () => {
  const { sim, app } = await setup();
  const issue = sim.openIssue({ owner: OWNER, repo: REPO, title: "Ship it", user: "alice" });
  const plain = sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: "looks good to me", user: "alice" });
  await sim.settle();
  sim.editComment(sim.repo(OWNER, REPO), plain, "/promote prod", sim.user("alice"));
  sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: "/promote prod", user: sim.bot("ci").login });
  sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: "/deploy prod", user: "alice" });
  sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: "/cc @acme/sre", user: "alice" });
  sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: `/${"x".repeat(65_536)}`, user: "alice" });
  await sim.settle();
  // Nothing answered, nothing reacted to.
  expect(sim.comments(OWNER, REPO, issue.number).map((c) => [c.user.login, c.reactions])).toEqual([
    ["alice", []],
    [sim.bot("ci").login, []],
    ["alice", []],
    ["alice", []],
    ["alice", []],
  ]);

  const typo = sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: "/promte prod", user: "alice" });
  await sim.settle();
  let last = sim.comments(OWNER, REPO, issue.number).at(-1)!.body;
  expect(last).toMatch(/^Unknown command `\/promte`\. Did you mean `\/promote`\?/);
  expect(last).toContain("/promote <environment|environment/wave|cluster> [component]");
  expect(last).toContain("/rollback");
  expect(last).toContain("/unfreeze");
  expect(sim.comments(OWNER, REPO, issue.number).find((c) => c.id === typo.id)!.reactions.map((r) => r.content)).toEqual(["eyes"]);

  sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: `/deploy prod, @${app.slug}?`, user: "alice" });
  await sim.settle();
  last = sim.comments(OWNER, REPO, issue.number).at(-1)!.body;
  expect(last).toMatch(/^Unknown command `\/deploy`\.\n\n/);
  expect(openPromotions(sim)).toEqual([]);
});

test("/promote with a 65,536-character argument: the reply cuts what it repeats and stays within GitHub's comment limit", async () => {
  const { sim } = await setup();
  const issue = sim.openIssue({ owner: OWNER, repo: REPO, title: "Ship it", user: "alice" });
  const asks: Array<[string, RegExp]> = [
    [`/promote ${"a".repeat(65_536)}`, /^❌ Unknown promotion target `a{63}…`/],
    [`/promote Staging${"b".repeat(65_536)}`, /^"Stagingb{56}…" is not an environment/],
    [`/promote staging payments ${"c".repeat(65_536)}`, /^too many arguments: c{63}…\./],
    [`/promote staging ${"d".repeat(65_536)}`, /^Nothing to promote to `staging`:\n\n- d{199}… → `staging`: not found in the source$/],
  ];
  for (const [body, expected] of asks) {
    sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body, user: "bob" });
    await sim.settle();
    const reply = sim.comments(OWNER, REPO, issue.number).at(-1)!;
    expect(reply.user.login).not.toBe("bob");
    expect(reply.body).toMatch(expected);
    expect(reply.body.length).toBeLessThan(1_000);
  }
});

test("/promote status needs read permission", async () => {
  const { sim } = await setup();
  const issue = sim.openIssue({ owner: OWNER, repo: REPO, title: "Ship it", user: "alice" });
  sim.setPermission(OWNER, REPO, "eve", "none");
  sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: "/promote status", user: "eve" });
  await sim.settle();
  expect(sim.comments(OWNER, REPO, issue.number).at(-1)!.body).toBe("❌ @eve needs read permission to see the promotions (has none).");
  sim.setPermission(OWNER, REPO, "eve", "read");
  sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: "/promote status", user: "eve" });
  await sim.settle();
  expect(sim.comments(OWNER, REPO, issue.number).at(-1)!.body).toMatch(/^No promotion pull request is open\.\n\n### Versions on `main`/);
});

test("a newer change supersedes the open promotion: same pull request, new commit, note in body and comment", async () => {
  const { sim } = await setup();
  const first = await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const before = promotionTo(sim, "fleetward/promote/payments/staging")[0]!;
  const second = await mergeChange(sim, "pay-v3", { "envs/dev/payments/deploy.yaml": "image: payments:v3\n" });
  const after = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(after).toHaveLength(1);
  expect(after[0]!.number).toBe(before.number);
  expect(sim.filesAt(OWNER, REPO, after[0]!.headSha)["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v3\n");
  expect(after[0]!.body).toMatch(new RegExp(`^> Superseded: this promotion of payments to staging now carries #${second.number} .* instead of #${first.number}`));
  expect(sim.comments(OWNER, REPO, before.number).map((c) => c.body)).toEqual([expect.stringMatching(/^Superseded: /)]);
  expect(gatesOf(sim, after[0]!.headSha)).toHaveLength(1);
});

test("a promotion that would change nothing is not opened", async () => {
  const { sim } = await setup({ files: { "envs/staging/payments/deploy.yaml": "image: payments:v2\n" } });
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  expect(openPromotions(sim)).toEqual([]);
  const marker = sim.checkRunsOf(OWNER, REPO, mainSha(sim)).find((r) => r.name === "fleetward/promotion");
  expect(marker?.output.summary).toContain("payments → `staging`: skipped (no-change)");
});

test("a field edit (values strategy) promotes only the tag and keeps the target's comments and layout", async () => {
  const { sim } = await setup();
  await mergeChange(sim, "api-1.1", { "envs/dev/api/kustomization.yaml": kustomization("1.1.0", "dev overlay") });
  const pr = promotionTo(sim, "fleetward/promote/api/staging")[0]!;
  expect(sim.filesAt(OWNER, REPO, pr.headSha)["envs/staging/api/kustomization.yaml"]).toBe(kustomization("1.1.0", "staging overlay: keep this comment"));
  expect(pr.body).toContain('`images[name=ghcr.io/acme/api].newTag`: "1.0.0" → "1.1.0"');
});

test("the reconciler recovers a promotion whose push webhook was lost, once", async () => {
  const { sim, reconcile } = await setup();
  sim.webhooks.dropNext(1);
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "main", files: { "envs/dev/payments/deploy.yaml": "image: payments:v4\n" }, user: "alice", message: "Hotfix payments" });
  await sim.settle();
  expect(sim.webhooks.dropped.map((d) => d.name)).toEqual(["push"]);
  expect(openPromotions(sim)).toEqual([]);

  const [report] = await reconcile();
  await sim.settle();
  // The repository's first commit was never pushed through the app either: replayed too (it promotes nothing).
  const initial = sim.git.commit(mainSha(sim))!.parents[0];
  expect(report?.replayed).toEqual([initial, mainSha(sim)]);
  const prs = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(prs).toHaveLength(1);
  expect(sim.filesAt(OWNER, REPO, prs[0]!.headSha)["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v4\n");
  expect(parsePromotionMetadata(prs[0]!.body)?.origin).toMatchObject({ pr: null, sha: mainSha(sim) });

  const [again] = await reconcile();
  await sim.settle();
  expect(again?.replayed).toEqual([]);
  expect(openPromotions(sim)).toHaveLength(1);
});

test("a redelivered push opens nothing twice and adds no superseded note", async () => {
  const { sim } = await setup();
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const push = sim.webhooks.deliveries().filter((d) => d.name === "push").pop()!;
  const commitsBefore = sim.callCount("git/create-commit");
  sim.redeliver(push.id);
  sim.redeliver(push.id);
  await sim.settle();
  const prs = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(prs).toHaveLength(1);
  expect(sim.comments(OWNER, REPO, prs[0]!.number)).toEqual([]);
  expect(sim.callCount("git/create-commit")).toBe(commitsBefore);
});

test("a GitHub 5xx on createRef or updateRef is retried on a fresh base, without duplicate pull requests", async () => {
  const { sim } = await setup();
  sim.failNext({ operationId: "git/create-ref", status: 502 });
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  expect(promotionTo(sim, "fleetward/promote/payments/staging")).toHaveLength(1);
  expect(sim.requestLog.filter((r) => r.operationId === "git/create-ref").map((r) => r.status)).toEqual([502, 201]);

  sim.failNext({ operationId: "git/update-ref", status: 500, times: 2 });
  await mergeChange(sim, "pay-v3", { "envs/dev/payments/deploy.yaml": "image: payments:v3\n" });
  const prs = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(prs).toHaveLength(1);
  expect(sim.filesAt(OWNER, REPO, prs[0]!.headSha)["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v3\n");
  expect(sim.requestLog.filter((r) => r.operationId === "git/update-ref").map((r) => r.status)).toEqual([500, 500, 200]);
});

/** An incident issue as the rollback side opens it: label and hidden metadata with its alerts. */
function openIncident(sim: GitHubSimulator, o: { cluster: string; startsAt: string; status?: "firing" | "resolved"; endsAt?: string; user: string }) {
  const meta = {
    v: 1,
    key: `prod/${o.cluster}`,
    environment: "prod",
    cluster: o.cluster,
    clusters: [o.cluster],
    alerts: [
      {
        fingerprint: "f1",
        alertname: "PaymentsErrorRate",
        status: o.status ?? "firing",
        startsAt: o.startsAt,
        endsAt: o.endsAt ?? null,
        groupKey: "g",
        summary: null,
        generatorURL: null,
      },
    ],
    reverts: [],
    unfrozen: null,
  };
  return sim.openIssue({ owner: OWNER, repo: REPO, title: `Incident: ${o.cluster}`, body: `firing\n\n${renderMetadata("incident", meta)}`, user: o.user, labels: ["fleetward:incident"] });
}

test("an open incident for the target fails the gates; closing it re-evaluates them (issues events)", async () => {
  const { sim, botLogin } = await setup();
  await mergeChange(sim, "stg", { "envs/staging/payments/deploy.yaml": "image: payments:v3\n" });
  const canary = promotionTo(sim, "fleetward/promote/payments/prod/canary")[0]!;
  sim.review({ owner: OWNER, repo: REPO, number: canary.number, user: "bob", state: "APPROVED" });
  await sim.settle();
  expect(gatesOf(sim, canary.headSha)[0]!.conclusion).toBe("success");

  // The same issue opened by a person (label and pasted metadata) freezes nothing: only the app's incidents
  // count, as for the freeze endpoint, the Flagger gate and /unfreeze.
  openIncident(sim, { cluster: "prod-eu-1", startsAt: sim.clock.iso(), user: "alice" });
  await sim.settle();
  expect(gatesOf(sim, canary.headSha)[0]!.conclusion).toBe("success");

  const incident = openIncident(sim, { cluster: "prod-eu-1", startsAt: sim.clock.iso(), user: botLogin });
  await sim.settle();
  const [failed] = gatesOf(sim, canary.headSha);
  expect(failed!.conclusion).toBe("failure");
  expect(failed!.output.summary).toContain(`open incident: incident #${incident.number}: PaymentsErrorRate firing in prod-eu-1`);

  sim.closeIssue(sim.repo(OWNER, REPO), incident, sim.user("alice"));
  await sim.settle();
  expect(gatesOf(sim, canary.headSha)[0]!.conclusion).toBe("success");
});

test("an alert on the baking wave's clusters halts the rollout: the next wave does not open and the merged PR says why", async () => {
  const { sim, reconcile, botLogin } = await setup();
  await mergeChange(sim, "stg", { "envs/staging/payments/deploy.yaml": "image: payments:v3\n" });
  const canary = promotionTo(sim, "fleetward/promote/payments/prod/canary")[0]!;
  sim.merge(OWNER, REPO, canary.number, "bob", "merge");
  await sim.settle();
  sim.clock.advance(HOUR / 4);
  const incident = openIncident(sim, { cluster: "prod-eu-1", startsAt: sim.clock.iso(), status: "resolved", endsAt: new Date(sim.clock.now().getTime() + 60_000).toISOString(), user: botLogin });
  sim.closeIssue(sim.repo(OWNER, REPO), incident, sim.user("alice"));
  await sim.settle();
  sim.clock.advance(2 * HOUR);
  await reconcile();
  await sim.settle();
  expect(promotionTo(sim, "fleetward/promote/payments/prod/rest")).toEqual([]);
  expect(sim.labelsOf(OWNER, REPO, canary.number)).not.toContain("fleetward:baking");
  expect(sim.comments(OWNER, REPO, canary.number).at(-1)!.body).toMatch(/^⛔ Rollout of payments halted before `prod\/rest`: alert on prod-eu-1/);
});

test("two merges at once: the late push of the older change leaves the newer promotion alone (stale), one pull request", async () => {
  const { sim } = await setup();
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "a", files: { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" }, user: "alice" });
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "b", from: "a", files: { "envs/dev/payments/deploy.yaml": "image: payments:v3\n" }, user: "alice" });
  const a = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "a", title: "v2", user: "alice" });
  const b = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "b", title: "v3", user: "alice" });
  await sim.settle();
  sim.webhooks.dropNext(2); // pull_request.closed and push of the first merge arrive late
  sim.merge(OWNER, REPO, a.number, "alice", "merge");
  const late = sim.webhooks.dropped.find((d) => d.name === "push")!;
  sim.merge(OWNER, REPO, b.number, "alice", "merge");
  await sim.settle();
  const before = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(before).toHaveLength(1);
  expect(sim.filesAt(OWNER, REPO, before[0]!.headSha)["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v3\n");

  sim.redeliver(late.id);
  await sim.settle();
  const after = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(after).toEqual(before);
  expect(sim.comments(OWNER, REPO, after[0]!.number)).toEqual([]);
});

test("a person's pull request from a look-alike promotion branch is never taken for Fleetward's", async () => {
  const { sim } = await setup();
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "fleetward/promote/payments/staging", files: { "envs/staging/payments/deploy.yaml": "image: payments:evil\n" }, user: "mallory" });
  const fake = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "fleetward/promote/payments/staging", title: "Looks like a promotion", user: "mallory" });
  await sim.settle();
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  // The app cannot open a second pull request from that branch, and must not rewrite or edit the person's one.
  expect(sim.pull(OWNER, REPO, fake.number).issue.body ?? "").not.toContain("fleetward:promotion");
  expect(sim.comments(OWNER, REPO, fake.number)).toEqual([]);
  expect(sim.filesAt(OWNER, REPO, "fleetward/promote/payments/staging")["envs/staging/payments/deploy.yaml"]).toBe("image: payments:evil\n");
  const marker = sim.checkRunsOf(OWNER, REPO, mainSha(sim)).find((r) => r.name === "fleetward/promotion");
  expect(marker?.output.summary).toContain(`payments → \`staging\`: [#${fake.number}](https://github.com/acme/gitops/pull/${fake.number}) not written: a person's pull request uses the promotion branch`);
});

test("a lost pull_request.closed of a wave promotion loses no wave: the push labels it baking, the reconciler opens the next wave", async () => {
  const { sim, reconcile } = await setup();
  await mergeChange(sim, "stg", { "envs/staging/payments/deploy.yaml": "image: payments:v3\n" });
  const canary = promotionTo(sim, "fleetward/promote/payments/prod/canary")[0]!;
  sim.webhooks.dropNext(1);
  sim.merge(OWNER, REPO, canary.number, "bob", "merge");
  await sim.settle();
  expect(sim.webhooks.dropped.map((d) => d.name)).toEqual(["pull_request"]);
  expect(sim.labelsOf(OWNER, REPO, canary.number)).toContain("fleetward:baking");
  sim.clock.advance(HOUR + 60_000);
  await reconcile();
  await sim.settle();
  expect(promotionTo(sim, "fleetward/promote/payments/prod/rest")).toHaveLength(1);
});

test("the reconciler goes on with the next repository when one fails", async () => {
  const { sim, reconcile } = await setup({ otherRepo: "second" });
  sim.webhooks.dropNext(1);
  sim.commitFiles({ owner: OWNER, repo: "second", branch: "main", files: { "envs/dev/payments/deploy.yaml": "image: payments:v9\n" }, user: "alice" });
  await sim.settle();
  sim.failNext({ operationId: "repos/get", status: 502 });
  const reports = await reconcile();
  await sim.settle();
  expect(reports.map((r) => [r.repo, r.error === undefined])).toEqual([
    ["acme/gitops", false],
    ["acme/second", true],
  ]);
  expect(sim.pullRequests(OWNER, "second").map((p) => p.headRef)).toEqual(["fleetward/promote/payments/staging"]);
});

test("the soak gate waits until the change has been live in the source for soakTime, then the reconciler passes it", async () => {
  const { sim, reconcile } = await setup({ config: config({ prod: "        soakTime: 30m\n" }) });
  await mergeChange(sim, "stg", { "envs/staging/payments/deploy.yaml": "image: payments:v3\n" });
  const canary = promotionTo(sim, "fleetward/promote/payments/prod/canary")[0]!;
  sim.review({ owner: OWNER, repo: REPO, number: canary.number, user: "bob", state: "APPROVED" });
  await sim.settle();
  const [soaking] = gatesOf(sim, canary.headSha);
  expect(soaking!.conclusion).toBe("action_required");
  expect(soaking!.output.summary).toContain("soaking until 2026-01-01T00:30:00.000Z");
  sim.clock.advance(31 * 60_000);
  await reconcile();
  await sim.settle();
  expect(gatesOf(sim, canary.headSha)[0]!.conclusion).toBe("success");
});

test("drift: target files that differ from the source beyond the merged change are listed file by file and brought in line", async () => {
  const { sim } = await setup({
    files: { "envs/dev/payments/service.yaml": "port: 80\n", "envs/staging/payments/service.yaml": "port: 81\n", "envs/staging/payments/hotfix.yaml": "debug: true\n" },
  });
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const pr = promotionTo(sim, "fleetward/promote/payments/staging")[0]!;
  const drift = pr.body.split("\n### Drift\n")[1]?.split("\n###")[0]?.split("\n").filter((l) => l.startsWith("- "));
  expect(drift).toEqual([
    "- `envs/staging/payments/service.yaml` differs from `envs/dev/payments/service.yaml`",
    "- `envs/staging/payments/hotfix.yaml` exists only in the target (deleted)",
  ]);
  const files = sim.filesAt(OWNER, REPO, pr.headSha);
  expect(files["envs/staging/payments/service.yaml"]).toBe("port: 80\n");
  expect(files["envs/staging/payments/hotfix.yaml"]).toBeUndefined();
});

test("a non-fast-forward ref update (422) is retried on a fresh base: one pull request with the newer change", async () => {
  const { sim } = await setup();
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  sim.failNext({ operationId: "git/update-ref", status: 422, message: "Update is not a fast forward" });
  await mergeChange(sim, "pay-v3", { "envs/dev/payments/deploy.yaml": "image: payments:v3\n" });
  const prs = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(prs).toHaveLength(1);
  expect(sim.filesAt(OWNER, REPO, prs[0]!.headSha)["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v3\n");
  expect(sim.requestLog.filter((r) => r.operationId === "git/update-ref").map((r) => r.status)).toEqual([422, 200]);
});

test.each([
  ["the older push first", [0, 1]],
  ["the newer push first", [1, 0]],
])("two merges handled at the same moment (%s): one pull request, carrying the newer change", async (_name, order) => {
  const { sim, receive } = await setup();
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "a", files: { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" }, user: "alice" });
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "b", from: "a", files: { "envs/dev/payments/deploy.yaml": "image: payments:v3\n" }, user: "alice" });
  const a = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "a", title: "v2", user: "alice" });
  const b = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "b", title: "v3", user: "alice" });
  await sim.settle();
  sim.webhooks.dropAll();
  sim.merge(OWNER, REPO, a.number, "alice", "merge");
  const newer = sim.merge(OWNER, REPO, b.number, "alice", "merge").sha;
  sim.webhooks.resume();
  const pushes = sim.webhooks.dropped.filter((d) => d.name === "push");
  expect(pushes).toHaveLength(2);
  await Promise.all(order.map((i) => receive(pushes[i]!)));
  await sim.settle();
  const prs = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(prs).toHaveLength(1);
  expect(sim.filesAt(OWNER, REPO, prs[0]!.headSha)["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v3\n");
  expect(parsePromotionMetadata(prs[0]!.body)?.chain.at(-1)?.sha).toBe(newer);
});

test("/promote on an issue or on an open pull request promotes what the default branch holds, not the open change", async () => {
  const { sim } = await setup({ config: config({ paths: "  paths:\n    - { from: dev, to: staging, mode: manual }\n" }) });
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "main", files: { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" }, user: "alice", message: "payments v2" });
  await sim.settle();
  expect(openPromotions(sim)).toEqual([]);

  const issue = sim.openIssue({ owner: OWNER, repo: REPO, title: "Ship payments v2 to staging", user: "alice" });
  sim.comment({ owner: OWNER, repo: REPO, number: issue.number, body: "/promote staging payments", user: "bob" });
  await sim.settle();
  const [pr, ...more] = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(more).toEqual([]);
  expect(sim.filesAt(OWNER, REPO, pr!.headSha)["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v2\n");
  expect(parsePromotionMetadata(pr!.body)?.origin).toEqual({ pr: null, sha: mainSha(sim), author: "bob" });
  expect(sim.comments(OWNER, REPO, issue.number).at(-1)!.body).toContain(`- payments → \`staging\`: [#${pr!.number}](`);

  // An open pull request's own change is not live in dev yet: the promotion stays what the default branch holds.
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "wip", files: { "envs/dev/payments/deploy.yaml": "image: payments:v3\n" }, user: "alice" });
  const open = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "wip", title: "payments v3", user: "alice" });
  await sim.settle();
  sim.comment({ owner: OWNER, repo: REPO, number: open.number, body: "/promote staging", user: "bob" });
  await sim.settle();
  expect(promotionTo(sim, "fleetward/promote/payments/staging")).toEqual([pr]);
  expect(sim.comments(OWNER, REPO, open.number).at(-1)!.body).toContain("already open");
});

test("gates are re-evaluated when a check completes on the promotion's head (policy gate on another check)", async () => {
  const staging = `    settings:
      promotion:
        gates:
          policyCheck: ci/validate
`;
  const { sim, appClient } = await setup({ config: config({ staging }) });
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const pr = promotionTo(sim, "fleetward/promote/payments/staging")[0]!;
  expect(gatesOf(sim, pr.headSha)).toEqual([expect.objectContaining({ conclusion: "action_required" })]);
  const gh = appClient();
  const run = await gh.rest.checks.create({ owner: OWNER, repo: REPO, name: "ci/validate", head_sha: pr.headSha, status: "in_progress" });
  await sim.settle();
  expect(gatesOf(sim, pr.headSha)[0]!.conclusion).toBe("action_required");
  await gh.rest.checks.update({ owner: OWNER, repo: REPO, check_run_id: run.data.id, status: "completed", conclusion: "failure" });
  await sim.settle();
  expect(gatesOf(sim, pr.headSha)[0]!.conclusion).toBe("failure");
  await gh.rest.checks.create({ owner: OWNER, repo: REPO, name: "ci/validate", head_sha: pr.headSha, status: "completed", conclusion: "success" });
  await sim.settle();
  expect(gatesOf(sim, pr.headSha)).toEqual([expect.objectContaining({ conclusion: "success" })]);
});

test("a commit status counts for the policy gate like a check run of that name (CI that reports statuses)", async () => {
  const staging = `    settings:
      promotion:
        gates:
          policyCheck: ci/jenkins
`;
  const { sim, appClient } = await setup({ config: config({ staging }) });
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const pr = promotionTo(sim, "fleetward/promote/payments/staging")[0]!;
  expect(gatesOf(sim, pr.headSha)).toEqual([expect.objectContaining({ conclusion: "action_required" })]);
  const gh = appClient();
  await gh.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: pr.headSha, state: "pending", context: "ci/jenkins" });
  await sim.settle();
  expect(gatesOf(sim, pr.headSha)[0]!.conclusion).toBe("action_required");
  await gh.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: pr.headSha, state: "failure", context: "ci/jenkins" });
  await sim.settle();
  expect(gatesOf(sim, pr.headSha)[0]!.conclusion).toBe("failure");
  await gh.rest.repos.createCommitStatus({ owner: OWNER, repo: REPO, sha: pr.headSha, state: "success", context: "ci/jenkins" });
  await sim.settle();
  expect(gatesOf(sim, pr.headSha)).toEqual([expect.objectContaining({ conclusion: "success" })]);
});

test("/rollback needs what /promote needs in the target: write permission and the environment's promoters team", async () => {
  const { sim } = await setup();
  const change = await mergeChange(sim, "eu-hotfix", { "clusters/prod-eu-1/payments/deploy.yaml": "image: payments:hotfix\n" });
  sim.comment({ owner: OWNER, repo: REPO, number: change.number, body: "/rollback prod-eu-1", user: "bob" });
  await sim.settle();
  expect(sim.comments(OWNER, REPO, change.number).at(-1)!.body).toBe("Not rolled back: @bob is in none of the teams allowed to run /rollback: acme/prod-deployers.");
  const rollbacks = () => sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith("fleetward/rollback/"));
  expect(rollbacks()).toEqual([]);

  sim.addTeamMember("acme", "prod-deployers", "bob");
  sim.comment({ owner: OWNER, repo: REPO, number: change.number, body: "/rollback prod-eu-1", user: "bob" });
  await sim.settle();
  const [revert, ...more] = rollbacks();
  expect(more).toEqual([]);
  expect(sim.filesAt(OWNER, REPO, revert!.headSha)["clusters/prod-eu-1/payments/deploy.yaml"]).toBe("image: payments:v1\n");
  expect(sim.comments(OWNER, REPO, change.number).at(-1)!.body).toBe(`Opened #${revert!.number} to roll back #${change.number} in prod-eu-1.`);
});

test("an alert in prod rolls back the change that reached it through a promotion pull request", async () => {
  const text = `${config()}rollback:\n  rules:\n    - { environment: { label: env }, cluster: { label: cluster, optional: true }, component: { label: app, optional: true } }\n`;
  const { sim, probot, appClient, botLogin } = await setup({ config: text });
  await mergeChange(sim, "stg", { "envs/staging/payments/deploy.yaml": "image: payments:v3\n" });
  const canary = promotionTo(sim, "fleetward/promote/payments/prod/canary")[0]!;
  sim.merge(OWNER, REPO, canary.number, "bob", "merge");
  await sim.settle();
  expect(sim.filesAt(OWNER, REPO, "main")["clusters/prod-eu-1/payments/deploy.yaml"]).toBe("image: payments:v3\n");

  sim.clock.advance(10 * 60_000);
  const alert = parseGenericAlert({ status: "firing", labels: { alertname: "PaymentsErrors", env: "prod", cluster: "prod-eu-1", app: "payments" }, alerts: [{ startsAt: sim.clock.iso() }] });
  const loaded = loadConfig({ layers: [{ source: "repo", file: ".github/fleetward.yml", text }] }).config;
  if (!alert.ok || !loaded) throw new Error("the alert and the configuration must load");
  const outcome = await runRollback({ gh: appClient(), where: { owner: OWNER, repo: REPO, defaultBranch: "main" }, head: mainSha(sim), config: loaded, botLogin, log: probot.log }, alert.group);
  await sim.settle();
  expect(outcome.targets.map((t) => [t.target, t.rollback.action, t.incident.action])).toEqual([["prod-eu-1", "open", "open"]]);
  const [revert, ...more] = sim.pullRequests(OWNER, REPO).filter((p) => p.headRef.startsWith("fleetward/rollback/"));
  expect(more).toEqual([]);
  expect(sim.filesAt(OWNER, REPO, revert!.headSha)["clusters/prod-eu-1/payments/deploy.yaml"]).toBe("image: payments:v1\n");
  expect(revert!.issue.body ?? "").toContain(`#${canary.number}`);
});

test("a dev merge that changes nothing promotable leaves the open promotion alone: no push, same title, same promoted commit", async () => {
  const { sim } = await setup();
  const first = await mergeChange(sim, "api-1.1", { "envs/dev/api/kustomization.yaml": kustomization("1.1.0", "dev overlay") });
  const before = promotionTo(sim, "fleetward/promote/api/staging")[0]!;
  const commits = sim.callCount("git/create-commit");
  // Only dev's own text changes (a comment beside the promoted tag): the planned staging file is the same.
  const second = await mergeChange(sim, "api-comment", { "envs/dev/api/kustomization.yaml": kustomization("1.1.0", "dev overlay, three replicas") });
  const after = promotionTo(sim, "fleetward/promote/api/staging");
  expect(after).toHaveLength(1);
  expect(after[0]).toEqual(before);
  expect(after[0]!.title).toBe(`Promote api from dev to staging (#${first.number})`);
  expect(parsePromotionMetadata(after[0]!.body)?.chain.at(-1)?.pr).toBe(first.number);
  expect(sim.comments(OWNER, REPO, before.number)).toEqual([]);
  expect(sim.callCount("git/create-commit")).toBe(commits);
  expect(sim.checkRunsOf(OWNER, REPO, mainSha(sim)).find((r) => r.name === "fleetward/promotion")?.output.summary).not.toContain(`#${second.number}`);
});

test("another app's pull request on a promotion branch (github-actions[bot]) is never taken for Fleetward's: not updated, not baked", async () => {
  const { sim, botLogin } = await setup();
  const actions = sim.bot("github-actions").login;
  expect(actions).not.toBe(botLogin);
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "fleetward/promote/payments/staging", files: { "envs/staging/payments/deploy.yaml": "image: payments:ci\n" }, user: actions });
  const fake = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "fleetward/promote/payments/staging", title: "CI promotion", user: actions });
  await sim.settle();
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  expect(sim.pull(OWNER, REPO, fake.number).issue.body ?? "").not.toContain("fleetward:promotion");
  expect(sim.pull(OWNER, REPO, fake.number).issue.title).toBe("CI promotion");
  expect(sim.comments(OWNER, REPO, fake.number)).toEqual([]);
  expect(sim.filesAt(OWNER, REPO, "fleetward/promote/payments/staging")["envs/staging/payments/deploy.yaml"]).toBe("image: payments:ci\n");
  expect(sim.checkRunsOf(OWNER, REPO, mainSha(sim)).find((r) => r.name === "fleetward/promotion")?.output.summary).toContain(`[#${fake.number}](`);

  // A wave branch merged by another app, with Fleetward's metadata copied into its body, does not start a bake.
  const copied = [
    "<!-- fleetward:promotion ",
    JSON.stringify({ version: 1, component: "payments", source: "staging", target: "prod/canary", origin: { pr: null, sha: mainSha(sim), author: null }, chain: [], fingerprint: "f" }),
    " -->",
  ].join("");
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "fleetward/promote/payments/prod/canary", files: { "clusters/prod-eu-1/payments/deploy.yaml": "image: payments:ci\n" }, user: actions });
  const wave = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "fleetward/promote/payments/prod/canary", title: "CI canary", body: copied, user: actions });
  await sim.settle();
  // A review does not make it a promotion either: no gates are evaluated on it (nor could they merge it).
  sim.review({ owner: OWNER, repo: REPO, number: wave.number, user: "carol", state: "APPROVED" });
  await sim.settle();
  expect(gatesOf(sim, sim.pull(OWNER, REPO, wave.number).headSha)).toEqual([]);
  sim.merge(OWNER, REPO, wave.number, "alice", "merge");
  await sim.settle();
  expect(sim.labelsOf(OWNER, REPO, wave.number)).not.toContain("fleetward:baking");
});

test.each(["issues/create-comment", "pulls/update"])("a supersede killed before %s is completed by the redelivered push: one note, the new title", async (operationId) => {
  const { sim } = await setup();
  await mergeChange(sim, "pay-v2", { "envs/dev/payments/deploy.yaml": "image: payments:v2\n" });
  const open = promotionTo(sim, "fleetward/promote/payments/staging")[0]!;
  sim.commitFiles({ owner: OWNER, repo: REPO, branch: "pay-v3", files: { "envs/dev/payments/deploy.yaml": "image: payments:v3\n" }, user: "alice", message: "Change pay-v3" });
  const second = sim.openPullRequest({ owner: OWNER, repo: REPO, head: "pay-v3", title: "Change pay-v3", user: "alice" });
  await sim.settle();
  // A comment is posted again after a lookup (createOnce): it fails for good only when every attempt does.
  sim.failNext({ operationId, status: 500, times: operationId === "issues/create-comment" ? CREATE_ATTEMPTS : 1 });
  sim.merge(OWNER, REPO, second.number, "alice", "merge");
  await expect(sim.settle()).rejects.toThrow();
  const push = sim.webhooks.deliveries().filter((d) => d.name === "push" && (d.payload as { ref?: string }).ref === "refs/heads/main").pop()!;
  sim.redeliver(push.id);
  await sim.settle();
  const [after, ...more] = promotionTo(sim, "fleetward/promote/payments/staging");
  expect(more).toEqual([]);
  expect(after!.number).toBe(open.number);
  expect(after!.title).toBe(`Promote payments from dev to staging (#${second.number})`);
  expect(sim.filesAt(OWNER, REPO, after!.headSha)["envs/staging/payments/deploy.yaml"]).toBe("image: payments:v3\n");
  expect(sim.comments(OWNER, REPO, open.number).map((c) => c.body)).toEqual([expect.stringMatching(new RegExp(`^Superseded: .* now carries #${second.number} `))]);
});
