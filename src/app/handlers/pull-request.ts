import type { Probot } from "probot";
import type { PromotionHandlerDeps } from "../promotion/promotion-deps.js";
import { listPullRequestFiles } from "../github/list-pull-request-files.js";
import { bakeOnMerge } from "../lazy/promotion-events.js";
import { CONFIG_PATH } from "../repo-config.js";
import { runConfigCheck } from "../lazy/run-config-check.js";
import { runPolicyCheck } from "../lazy/run-policy-check.js";

/**
 * pull_request opened, synchronize, reopened, ready_for_review: the checks of the pull request's head.
 * pull_request closed: a merged wave promotion starts baking.
 */
export function registerPullRequestHandlers(app: Probot, deps: PromotionHandlerDeps): void {
  app.on(
    ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review"],
    async (context) => {
      const pr = context.payload.pull_request;
      const where = { owner: context.payload.repository.owner.login, repo: context.payload.repository.name };
      const files = await listPullRequestFiles(context.octokit, { ...where, pullNumber: pr.number });
      const touchesConfig = files.some((f) => f.path === CONFIG_PATH || f.previousPath === CONFIG_PATH);
      context.log.debug({ pull: pr.number, files: files.length, touchesConfig }, "pull request files listed");
      if (touchesConfig) {
        await runConfigCheck(context.octokit, where, { headSha: pr.head.sha, mode: "pull_request", branch: pr.head.ref }, deps.store, context.log);
      }
      const target = { pullNumber: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, baseRef: pr.base.ref, files, changedFileCount: pr.changed_files };
      await runPolicyCheck(context.octokit, where, target, deps, context.log);
    },
  );

  app.on("pull_request.closed", async (context) => {
    const { repository, pull_request } = context.payload;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    const pull = { number: pull_request.number, mergedAt: pull_request.merged_at, headRef: pull_request.head.ref };
    await bakeOnMerge(context.octokit, where, pull, { ...deps, log: context.log });
  });
}
