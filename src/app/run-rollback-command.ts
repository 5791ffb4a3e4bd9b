/**
 * Comment commands of the SLO-driven rollback: `/rollback [environment|cluster]` on a merged pull request opens
 * the pull request that reverts it in the target; `/unfreeze` on an incident issue closes it and lifts the
 * freeze. Load → pure planner → execute, replying to the commenter either way. The 👀 reaction is the
 * dispatcher's (src/app/handlers/issue-comment.ts).
 */
import { buildFleet } from "../fleet/build-fleet.js";
import { authorizeRollback } from "../rollback/authorize-rollback.js";
import { parseRollbackCommand } from "../rollback/parse-rollback-command.js";
import { planUnfreeze } from "../rollback/plan-incident.js";
import { planRevert } from "../rollback/plan-revert.js";
import type { CommandAccess } from "../rollback/resolve-rollback-settings.js";
import { resolveRollbackSettings } from "../rollback/resolve-rollback-settings.js";
import { resolveCommandTarget } from "../rollback/resolve-command-target.js";
import { readIncidentMetadata } from "../rollback/rollback-metadata.js";
import { manualRollbackKey, rollbackBranch } from "../rollback/rollback-key.js";
import { targetName } from "../rollback/rollback-target.js";
import type { CommentCommand, CommentCommandDeps } from "./comment-command.js";
import { createComment } from "./github/comments.js";
import { getIssue, updateIssue } from "./github/issues.js";
import { getCommitFacts } from "./github/commit-facts.js";
import { listPullRequestFiles } from "./github/list-pull-request-files.js";
import { getPermissionLevel, isTeamMember, teamRef } from "./github/permissions.js";
import { getBranchSha } from "./github/point-branch.js";
import { getPullRequest, listPullRequestsForBranch } from "./github/pull-requests.js";
import { completeRevert } from "./rollback/complete-revert.js";
import { openRevert } from "./rollback/open-revert.js";
import { readTargetTree } from "./rollback/read-target-tree.js";
import { asExistingIssue } from "./rollback/run-rollback.js";
import { fleetStateChanged } from "./observability/fleet-state-gauges.js";

async function reply(c: CommentCommand, text: string): Promise<void> {
  await createComment(c.gh, { ...c.where, number: c.number, body: text });
}

/** The actor's permission and the teams of `access.teams` they belong to (one membership call per listed team). */
async function authorize(c: CommentCommand, access: CommandAccess, command: "rollback" | "unfreeze") {
  const permission = await getPermissionLevel(c.gh, { ...c.where, user: c.login });
  const teams: string[] = [];
  for (const team of access.teams) {
    const ref = teamRef(team, c.where.owner);
    if (await isTeamMember(c.gh, { ...ref, user: c.login })) teams.push(`${ref.org}/${ref.teamSlug}`);
  }
  return authorizeRollback({ login: c.login, permission, teams, isBot: c.isBot }, access, command);
}

async function activeConfig(c: CommentCommand, deps: CommentCommandDeps) {
  const head = await getBranchSha(c.gh, { ...c.where, branch: c.defaultBranch });
  if (head === null) return null;
  const active = await deps.store.active(c.gh, { ...c.where, ref: c.defaultBranch, headSha: head }, c.log);
  return active ? { config: active.config, head } : null;
}

/** `/rollback [environment|cluster]` on a merged pull request. */
export async function runRollbackCommand(c: CommentCommand, deps: CommentCommandDeps): Promise<void> {
  const command = parseRollbackCommand(c.body);
  if (command === null || command.kind === "unfreeze") return;
  if (command.kind === "invalid") return reply(c, command.message);
  if (!c.isPullRequest) return reply(c, "`/rollback` works on a merged pull request: comment it there.");
  const pr = await getPullRequest(c.gh, { ...c.where, number: c.number });
  if (!pr || !pr.merged || !pr.mergeCommitSha || !pr.mergedAt) return reply(c, "`/rollback` works on a merged pull request; this one is not merged.");
  const loaded = await activeConfig(c, deps);
  if (!loaded) return reply(c, "This repository has no valid `.github/fleetward.yml`; nothing to roll back.");
  const fleet = buildFleet(loaded.config);
  const files = (await listPullRequestFiles(c.gh, { ...c.where, pullNumber: pr.number })).flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path]));
  const resolved = resolveCommandTarget(fleet, command.target, files);
  if (!resolved.ok) return reply(c, resolved.message);
  const target = resolved.target;
  const settings = resolveRollbackSettings(loaded.config, { environment: target.environment, ...(target.cluster ? { cluster: target.cluster } : {}) });
  const allowed = await authorize(c, settings.rollbackCommand, "rollback");
  if (!allowed.allowed) return reply(c, `Not rolled back: ${allowed.reason}.`);
  const botLogin = await deps.botLogin();
  const key = manualRollbackKey(pr.number, target);
  const branch = rollbackBranch(target, key);
  const open = (await listPullRequestsForBranch(c.gh, { ...c.where, branch })).find((p) => p.state === "open" && p.author.toLowerCase() === botLogin.toLowerCase());
  if (open) {
    // A run killed after opening it left its labels or auto-merge undone: asking again completes them.
    await completeRevert(c.gh, c.where, open, settings, c.log);
    return reply(c, `#${open.number} already rolls back #${pr.number} in ${targetName(target)}.`);
  }
  // The merge commit's own first parent: its committer date may be a second before `merged_at`, so a listing
  // `since` merged_at can miss it.
  const parentSha = (await getCommitFacts(c.gh, { ...c.where, sha: pr.mergeCommitSha })).parents[0];
  if (!parentSha) return reply(c, `The merge commit ${pr.mergeCommitSha} of #${pr.number} has no parent to return to.`);
  const change = { sha: pr.mergeCommitSha, parentSha, mergedAt: pr.mergedAt, files, pullRequest: { number: pr.number, title: pr.title, url: pr.htmlUrl, headRef: pr.headRef, author: pr.author } };
  const [before, after, current] = await Promise.all([
    readTargetTree(c.gh, { ...c.where, ref: parentSha }, fleet, target),
    readTargetTree(c.gh, { ...c.where, ref: pr.mergeCommitSha }, fleet, target),
    readTargetTree(c.gh, { ...c.where, ref: loaded.head }, fleet, target),
  ]);
  const plan = planRevert({ fleet, target, key, trigger: { kind: "command", actor: c.login, pullRequest: pr.number }, change, before, after, current, settings, dashboards: loaded.config.dashboards });
  if (plan.empty) return reply(c, `${targetName(target)} already has its files as before #${pr.number}; nothing to roll back.`);
  const opened = await openRevert(c.gh, { ...c.where, defaultBranch: c.defaultBranch, headSha: loaded.head }, plan, c.log);
  const laterNote = plan.laterEdits.length ? ` Note: ${plan.laterEdits.length} of its files changed again since; the revert undoes those edits too.` : "";
  await reply(c, `${opened.created ? "Opened" : "Found"} #${opened.number} to roll back #${pr.number} in ${targetName(target)}${opened.merged ? " (auto-merged)" : ""}.${laterNote}`);
}

/** `/unfreeze` on an open incident issue. */
export async function runUnfreezeCommand(c: CommentCommand, deps: CommentCommandDeps): Promise<void> {
  const command = parseRollbackCommand(c.body);
  if (command === null || command.kind === "rollback") return;
  if (command.kind === "invalid") return reply(c, command.message);
  const issue = c.isPullRequest ? null : await getIssue(c.gh, { ...c.where, number: c.number });
  const botLogin = await deps.botLogin();
  const meta = issue && issue.author.toLowerCase() === botLogin.toLowerCase() ? readIncidentMetadata(issue.body) : null;
  if (!issue || !meta) return reply(c, "`/unfreeze` works on a Fleetward incident issue.");
  const loaded = await activeConfig(c, deps);
  if (!loaded) return reply(c, "This repository has no valid `.github/fleetward.yml`.");
  const fleet = buildFleet(loaded.config);
  const known = fleet.environments.some((e) => e.name === meta.environment);
  const cluster = meta.cluster !== undefined && fleet.clusters.some((fc) => fc.name === meta.cluster) ? meta.cluster : undefined;
  const settings = resolveRollbackSettings(loaded.config, known ? { environment: meta.environment, ...(cluster ? { cluster } : {}) } : {});
  const allowed = await authorize(c, settings.unfreezeCommand, "unfreeze");
  if (!allowed.allowed) return reply(c, `Not unfrozen: ${allowed.reason}.`);
  const plan = planUnfreeze({ issue: asExistingIssue(issue), actor: c.login, now: deps.now(), trustedAuthor: botLogin });
  if (plan.action === "none") return reply(c, plan.reason);
  await createComment(c.gh, { ...c.where, number: plan.number, body: plan.comment });
  fleetStateChanged();
  await updateIssue(c.gh, { ...c.where, number: plan.number, body: plan.body, state: "closed" });
  c.log.info({ incident: plan.number, by: c.login }, "incident unfrozen");
}
