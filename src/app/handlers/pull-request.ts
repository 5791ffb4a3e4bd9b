import type { Probot } from "probot";
import { listPullRequestFiles } from "../github/list-pull-request-files.js";
import { CONFIG_PATH, type ConfigStore } from "../repo-config.js";
import { runConfigCheck } from "../run-config-check.js";
import { runPolicyCheck } from "../run-policy-check.js";

/** pull_request opened, synchronize, reopened, ready_for_review: the checks of the pull request's head. */
export function registerPullRequestHandlers(app: Probot, deps: { store: ConfigStore }): void {
  app.on(
    ["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review"],
    async (context) => {
      const pr = context.payload.pull_request;
      const where = { owner: context.payload.repository.owner.login, repo: context.payload.repository.name };
      const files = await listPullRequestFiles(context.octokit, { ...where, pullNumber: pr.number });
      const touchesConfig = files.some((f) => f.path === CONFIG_PATH || f.previousPath === CONFIG_PATH);
      context.log.debug({ pull: pr.number, files: files.length, touchesConfig }, "pull request files listed");
      if (touchesConfig) {
        await runConfigCheck(context.octokit, where, { headSha: pr.head.sha, mode: "pull_request" }, deps.store, context.log);
      }
      const target = { pullNumber: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha, files };
      await runPolicyCheck(context.octokit, where, target, deps, context.log);
    },
  );
}
