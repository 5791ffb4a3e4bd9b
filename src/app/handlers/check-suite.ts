import type { Probot } from "probot";
import type { PromotionHandlerDeps } from "../promotion/promotion-deps.js";
import { regateOnCheck } from "../lazy/promotion-events.js";

/** check_suite completed: the gates of promotions on that head read the checks again. */
export function registerCheckSuiteHandlers(app: Probot, deps: PromotionHandlerDeps): void {
  app.on("check_suite.completed", async (context) => {
    const { repository, check_suite } = context.payload;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    await regateOnCheck(context.octokit, where, { headSha: check_suite.head_sha, runName: null }, { ...deps, log: context.log });
  });
}
