/**
 * `/promote <target> [component]` and `/promote status` in a comment: authorize (write permission, and the
 * target's `promoters` teams; read permission for `status`) → `planPromotions` with a command trigger on the default branch head →
 * open or update the pull requests → reply with links or a clear refusal. `status` renders the repository's
 * `FleetStatus` (src/app/fleet-status/), the one the `/fleet` page shows.
 */
import { effectiveSettings } from "../../config/effective-settings.js";
import { promotionSettingsOf } from "../../config/promotion-schema.js";
import { buildFleet } from "../../fleet/build-fleet.js";
import { authorizePromote, authorizePromoteStatus } from "../../promotion/authorize-promote.js";
import type { PromoteCommand } from "../../promotion/parse-promote-command.js";
import { PROMOTE_HELP, echoArgument } from "../../promotion/parse-promote-command.js";
import type { MergedChange } from "../../promotion/plan-promotions.js";
import { planPromotions } from "../../promotion/plan-promotions.js";
import { renderStatusMarkdown } from "../../promotion/fleet-status/render-status-markdown.js";
import { resolveScope } from "../../promotion/promotion-hops.js";
import { getCommitFacts } from "../github/commit-facts.js";
import { createComment } from "../github/comments.js";
import { fleetStatusReaderFor } from "../fleet-status/load-fleet-status.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { getPermissionLevel, isTeamMember, teamRef } from "../github/permissions.js";
import { getBranchSha } from "../github/point-branch.js";
import { getPullRequest } from "../github/pull-requests.js";
import { readTreeFiles } from "../github/read-tree-files.js";
import { executePromotions } from "./execute-promotions.js";
import type { PromotionDeps } from "./promotion-deps.js";
import { inFleetFolders } from "./promotion-facts.js";
import { refreshGates } from "./refresh-gates.js";
import { formatPromoteOutcomes } from "./promote-reply.js";

export interface PromoteRequest {
  command: Exclude<PromoteCommand, { kind: "none" }>;
  /** The issue or pull request the comment is on. */
  number: number;
  login: string;
  isBot: boolean;
  defaultBranch: string;
}

async function reply(gh: GitHubClient, where: RepoRef, number: number, body: string): Promise<void> {
  await createComment(gh, { ...where, number, body });
}

/** Runs one `/promote` command and replies on the issue or pull request. */
export async function runPromoteCommand(gh: GitHubClient, where: RepoRef, request: PromoteRequest, deps: PromotionDeps): Promise<void> {
  const { command, number } = request;
  if (command.kind === "help") {
    await reply(gh, where, number, `${command.reason === "help requested" ? "" : `${command.reason}.\n\n`}${PROMOTE_HELP}`);
    return;
  }
  if (command.kind === "status") {
    const permission = await getPermissionLevel(gh, { ...where, user: request.login });
    const auth = authorizePromoteStatus({ login: request.login, isBot: request.isBot, permission });
    // The same FleetStatus the /fleet page renders: one source of truth for "what is where".
    await reply(gh, where, number, auth.allowed ? renderStatusMarkdown(await fleetStatusReaderFor(deps.store).load(gh, where, deps), number) : `❌ ${auth.reason}.`);
    return;
  }
  const head = await getBranchSha(gh, { ...where, branch: request.defaultBranch });
  const active = head === null ? null : await deps.store.active(gh, { ...where, ref: request.defaultBranch, headSha: head }, deps.log);
  if (head === null || !active) {
    await reply(gh, where, number, "❌ Cannot promote: this repository has no valid `.github/fleetward.yml` on its default branch.");
    return;
  }
  const fleet = buildFleet(active.config);
  const target = resolveScope(fleet, command.target);
  if (!target) {
    await reply(gh, where, number, `❌ Unknown promotion target \`${echoArgument(command.target)}\`: name an environment, a wave (\`environment/wave\`) or a cluster.\n\n${PROMOTE_HELP}`);
    return;
  }
  const requiredTeams = promotionSettingsOf(effectiveSettings(fleet.config, { environment: target.environment }).promotion).promoters;
  const permission = await getPermissionLevel(gh, { ...where, user: request.login });
  const teams: string[] = [];
  if (permission === "write" || permission === "maintain" || permission === "admin") {
    for (const team of requiredTeams) {
      if (await isTeamMember(gh, { ...teamRef(team, where.owner), user: request.login })) teams.push(team);
    }
  }
  const auth = authorizePromote({ login: request.login, isBot: request.isBot, permission, requiredTeams, teams });
  if (!auth.allowed) {
    deps.log.info({ user: request.login, reason: auth.reason }, "/promote refused");
    await reply(gh, where, number, `❌ Not promoted: ${auth.reason}.`);
    return;
  }

  // On a merged pull request, the chain continues from it; otherwise the default branch head is promoted.
  const pr = await getPullRequest(gh, { ...where, number });
  let change: MergedChange;
  if (pr?.merged && pr.mergeCommitSha) {
    change = { sha: pr.mergeCommitSha, prNumber: pr.number, title: pr.title, author: pr.author || null, body: pr.body };
  } else {
    const commit = await getCommitFacts(gh, { ...where, sha: head });
    change = { sha: head, prNumber: null, title: commit.message.split("\n", 1)[0] ?? "", author: request.login };
  }
  const tree = await readTreeFiles(gh, { ...where, ref: head }, inFleetFolders(fleet, command.component !== null ? new Set([command.component]) : undefined));
  const plan = planPromotions({
    fleet,
    tree,
    changedFiles: [],
    change,
    trigger: { kind: "command", target: command.target, ...(command.component !== null ? { component: command.component } : {}) },
  });
  const outcomes = await executePromotions(gh, { ...where, defaultBranch: request.defaultBranch }, plan.promotions, deps);
  await refreshGates(gh, { ...where, defaultBranch: request.defaultBranch }, outcomes, deps);
  await reply(gh, where, number, formatPromoteOutcomes(command.target, plan, outcomes));
}
