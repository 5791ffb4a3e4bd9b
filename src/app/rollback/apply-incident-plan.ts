import type { IncidentPlan } from "../../rollback/plan-incident.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { type IssueFacts, createIssue, updateIssue } from "../github/issues.js";
import { commentOnce } from "./complete-revert.js";
import { fleetStateChanged } from "../observability/fleet-state-gauges.js";

/**
 * Executes an incident plan: opens the issue, or updates its body (and comments), or closes it. Returns the issue
 * as it now is. The comment goes first and the body last: the body is what the next plan reads, so a run killed in
 * between plans the same step again, and the comment already posted is not posted twice (`commentOnce`).
 */
export async function applyIncidentPlan(gh: GitHubClient, where: RepoRef & { botLogin: string }, plan: IncidentPlan): Promise<IssueFacts | null> {
  const { owner, repo } = where;
  if (plan.action !== "none") fleetStateChanged();
  switch (plan.action) {
    case "open":
      return createIssue(gh, { owner, repo, title: plan.title, body: plan.body, labels: plan.labels });
    case "update":
      if (plan.comment !== null) await commentOnce(gh, { ...where, number: plan.number, body: plan.comment });
      return updateIssue(gh, { owner, repo, number: plan.number, body: plan.body });
    case "close":
      await commentOnce(gh, { ...where, number: plan.number, body: plan.comment });
      return updateIssue(gh, { owner, repo, number: plan.number, body: plan.body, state: "closed" });
    case "none":
      return null;
  }
}
