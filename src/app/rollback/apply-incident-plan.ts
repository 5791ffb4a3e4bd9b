import type { IncidentPlan } from "../../rollback/plan-incident.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { createComment } from "../github/comments.js";
import { type IssueFacts, createIssue, updateIssue } from "../github/issues.js";

/** Executes an incident plan: opens the issue, or updates its body (and comments), or closes it. Returns the issue as it now is. */
export async function applyIncidentPlan(gh: GitHubClient, where: RepoRef, plan: IncidentPlan): Promise<IssueFacts | null> {
  switch (plan.action) {
    case "open":
      return createIssue(gh, { ...where, title: plan.title, body: plan.body, labels: plan.labels });
    case "update": {
      const issue = await updateIssue(gh, { ...where, number: plan.number, body: plan.body });
      if (plan.comment !== null) await createComment(gh, { ...where, number: plan.number, body: plan.comment });
      return issue;
    }
    case "close": {
      const issue = await updateIssue(gh, { ...where, number: plan.number, body: plan.body, state: "closed" });
      await createComment(gh, { ...where, number: plan.number, body: plan.comment });
      return issue;
    }
    case "none":
      return null;
  }
}
