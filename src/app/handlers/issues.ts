import type { Probot } from "probot";
import type { PromotionHandlerDeps } from "../promotion/promotion-deps.js";
import { regateOnIncident } from "../lazy/promotion-events.js";

/** issues: an incident issue opening, closing or being (un)labelled changes the gates of every open promotion. */
export function registerIssuesHandlers(app: Probot, deps: PromotionHandlerDeps): void {
  app.on(["issues.opened", "issues.closed", "issues.reopened", "issues.labeled", "issues.unlabeled"], async (context) => {
    const { repository, issue } = context.payload;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    const changedLabel = "label" in context.payload ? (context.payload.label?.name ?? null) : null;
    const labels = (issue.labels ?? []).flatMap((l) => (l?.name ? [l.name] : []));
    await regateOnIncident(context.octokit, where, { labels, changedLabel }, { ...deps, log: context.log });
  });
}
