import { createRequire } from "node:module";
import { verify } from "@octokit/webhooks-methods";
import { Webhooks } from "@octokit/webhooks";
import { useGitHubSimulator } from "../helpers/use-github-simulator.js";
import { useNockGuard } from "../helpers/nock-guard.js";
import { createSimFixture } from "./sim-fixture.js";
import type { WebhookDelivery } from "../../src/simulator/webhook-dispatcher.js";

useNockGuard();
const h = useGitHubSimulator();

interface ExampleDefinition {
  name: string;
  examples: Array<Record<string, unknown>>;
}
const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as ExampleDefinition[];

/** Keys GitHub sends only for some accounts/installs (enterprise accounts, org-owned repos, app installs). */
const CONTEXTUAL = new Set(["enterprise", "organization", "installation"]);
/** Nested objects whose key sets are compared too. */
const NESTED = ["pull_request", "issue", "comment", "review", "check_run", "check_suite", "repository", "sender", "head_commit", "commit", "label", "pusher"];

/** Present in an example only because that example came from a deployment (GitHub Actions). */
const NESTED_OPTIONAL = new Set(["check_run.deployment"]);

function keysOf(v: unknown): string[] {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? Object.keys(v).sort() : [];
}

function example(d: WebhookDelivery): Record<string, unknown> | undefined {
  const action = (d.payload as { action?: unknown }).action;
  const def = definitions.find((x) => x.name === d.name);
  // The example set lacks a few actions (e.g. pull_request.edited, issues.closed): compare with another action of the event.
  return def?.examples.find((e) => e["action"] === action) ?? def?.examples[0];
}

test("every emitted webhook has the key set of GitHub's example payload and a valid signature", async () => {
  const { octokit, repo, test: t } = await createSimFixture(h.sim);
  const main = repo.refs.get("refs/heads/main") ?? "";
  h.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "feature", files: { "clusters/prod/app.yaml": "replicas: 5\n" }, user: "alice" });
  const pr = h.sim.openPullRequest({ owner: "acme", repo: "fleet", head: "feature", title: "Scale", user: "alice", draft: true });
  h.sim.markReadyForReview("acme", "fleet", pr.number, "alice");
  await octokit.rest.pulls.update({ owner: "acme", repo: "fleet", pull_number: pr.number, title: "Scale prod" });
  await octokit.rest.issues.addLabels({ owner: "acme", repo: "fleet", issue_number: pr.number, labels: ["promotion"] });
  h.sim.commitFiles({ owner: "acme", repo: "fleet", branch: "feature", files: { "b.yaml": "b: 1\n" }, user: "alice" });
  const comment = h.sim.comment({ owner: "acme", repo: "fleet", number: pr.number, body: "/fleetward approve", user: "bob" });
  await octokit.rest.reactions.createForIssueComment({ owner: "acme", repo: "fleet", comment_id: comment.id, content: "eyes" });
  const mine = await octokit.rest.issues.createComment({ owner: "acme", repo: "fleet", issue_number: pr.number, body: "working" });
  await octokit.rest.issues.updateComment({ owner: "acme", repo: "fleet", comment_id: mine.data.id, body: "done" });
  h.sim.review({ owner: "acme", repo: "fleet", number: pr.number, user: "bob", state: "APPROVED" });
  const run = await octokit.rest.checks.create({ owner: "acme", repo: "fleet", name: "policy", head_sha: pr.headSha, status: "in_progress" });
  await octokit.rest.checks.update({ owner: "acme", repo: "fleet", check_run_id: run.data.id, conclusion: "success", output: { title: "ok", summary: "ok" } });
  h.sim.rerequestCheckRun("acme", "fleet", run.data.id, "bob");
  h.sim.rerequestCheckSuite("acme", "fleet", run.data.check_suite?.id ?? 0, "bob");
  await octokit.rest.repos.createCommitStatus({ owner: "acme", repo: "fleet", sha: main, state: "success", context: "fleetward/promotion" });
  await octokit.rest.issues.createLabel({ owner: "acme", repo: "fleet", name: "rollback", color: "b60205" });
  const issue = await octokit.rest.issues.create({ owner: "acme", repo: "fleet", title: "Rollback prod", labels: ["rollback"] });
  await octokit.rest.issues.addLabels({ owner: "acme", repo: "fleet", issue_number: issue.data.number, labels: ["slo"] });
  await octokit.rest.issues.removeLabel({ owner: "acme", repo: "fleet", issue_number: issue.data.number, name: "slo" });
  await octokit.rest.issues.update({ owner: "acme", repo: "fleet", issue_number: issue.data.number, title: "Rollback prod now" });
  await octokit.rest.issues.update({ owner: "acme", repo: "fleet", issue_number: issue.data.number, state: "closed" });
  await octokit.rest.issues.update({ owner: "acme", repo: "fleet", issue_number: issue.data.number, state: "open" });
  h.sim.setPermission("acme", "fleet", "bob", "write");
  await octokit.rest.pulls.requestReviewers({ owner: "acme", repo: "fleet", pull_number: pr.number, reviewers: ["bob"] });
  await octokit.rest.issues.removeLabel({ owner: "acme", repo: "fleet", issue_number: pr.number, name: "promotion" });
  await octokit.rest.pulls.update({ owner: "acme", repo: "fleet", pull_number: pr.number, state: "closed" });
  await octokit.rest.pulls.update({ owner: "acme", repo: "fleet", pull_number: pr.number, state: "open" });
  h.sim.merge("acme", "fleet", pr.number, "bob", "squash");
  await h.sim.settle();

  const deliveries = h.sim.webhooks.deliveries();
  const kinds = [...new Set(deliveries.map((d) => `${d.name}.${String((d.payload as { action?: string }).action ?? "")}`.replace(/\.$/, "")))].sort();
  expect(kinds).toEqual(
    [
      "check_run.completed",
      "check_run.created",
      "check_run.rerequested",
      "check_suite.completed",
      "check_suite.rerequested",
      "check_suite.requested",
      "installation.created",
      "issue_comment.created",
      "issue_comment.edited",
      "issues.closed",
      "issues.edited",
      "issues.labeled",
      "issues.opened",
      "issues.reopened",
      "issues.unlabeled",
      "label.created",
      "pull_request.closed",
      "pull_request.edited",
      "pull_request.labeled",
      "pull_request.opened",
      "pull_request.ready_for_review",
      "pull_request.reopened",
      "pull_request.review_requested",
      "pull_request.synchronize",
      "pull_request.unlabeled",
      "pull_request_review.submitted",
      "push",
      "status",
    ].sort(),
  );

  const webhooks = new Webhooks({ secret: t.app.webhookSecret });
  const problems: string[] = [];
  for (const d of deliveries) {
    expect(await verify(t.app.webhookSecret, d.body, d.signature256)).toBe(true);
    expect(await webhooks.verify(d.body, d.signature256)).toBe(true);
    expect(await webhooks.verify(d.body, d.signature256.replace(/.$/, (c) => (c === "0" ? "1" : "0")))).toBe(false);
    expect(JSON.parse(d.body)).toEqual(d.payload);
    const ex = example(d);
    const label = `${d.name}.${String((d.payload as { action?: string }).action ?? "")}`;
    if (!ex) {
      problems.push(`${label}: no example`);
      continue;
    }
    const got = keysOf(d.payload);
    const want = keysOf(ex);
    const sameAction = ex["action"] === (d.payload as { action?: unknown }).action;
    const actionSpecific = new Set(sameAction ? [] : ["changes", "label", "before", "after"]);
    const missing = want.filter((k) => !got.includes(k) && !CONTEXTUAL.has(k) && !actionSpecific.has(k));
    const extra = got.filter((k) => !want.includes(k) && !CONTEXTUAL.has(k) && !actionSpecific.has(k));
    if (missing.length || extra.length) problems.push(`${label}: missing [${missing.join(",")}] extra [${extra.join(",")}]`);
    for (const key of NESTED) {
      const gv = (d.payload as Record<string, unknown>)[key];
      const ev = ex[key];
      if (ev === undefined || ev === null || gv === null) continue;
      const nestedMissing = keysOf(ev).filter((k) => !keysOf(gv).includes(k) && !NESTED_OPTIONAL.has(`${key}.${k}`));
      if (nestedMissing.length) problems.push(`${label}.${key}: missing [${nestedMissing.join(",")}]`);
    }
  }
  expect([...new Set(problems)]).toEqual([]);
});
