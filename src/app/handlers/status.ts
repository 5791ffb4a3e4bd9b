import type { Probot } from "probot";
import type { PromotionHandlerDeps } from "../promotion/promotion-deps.js";
import { regateOnCheck } from "../lazy/promotion-events.js";

/** status: a commit status changing on a promotion's head re-evaluates its gates (CI that reports statuses, not checks). */
export function registerStatusHandlers(app: Probot, deps: PromotionHandlerDeps): void {
  app.on("status", async (context) => {
    const { repository, sha, context: name } = context.payload;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    await regateOnCheck(context.octokit, where, { headSha: sha, runName: name }, { ...deps, log: context.log });
  });
}
