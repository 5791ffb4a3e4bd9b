import type { Probot } from "probot";
import type { PromotionHandlerDeps } from "../promotion/promotion-deps.js";
import { regateOnReview } from "../lazy/promotion-events.js";

/** pull_request_review submitted or dismissed: the gates of a promotion pull request count approvals. */
export function registerPullRequestReviewHandlers(app: Probot, deps: PromotionHandlerDeps): void {
  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], async (context) => {
    const { repository, pull_request } = context.payload;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    const pull = { number: pull_request.number, state: pull_request.state, headRef: pull_request.head.ref };
    await regateOnReview(context.octokit, where, pull, { ...deps, log: context.log });
  });
}
