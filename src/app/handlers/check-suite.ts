import type { Probot } from "probot";
import { regateOnCheck } from "../promotion/promotion-events.js";
import type { ConfigStore } from "../repo-config.js";

/** check_suite completed: the gates of promotions on that head read the checks again. */
export function registerCheckSuiteHandlers(app: Probot, deps: { store: ConfigStore; now: () => Date }): void {
  app.on("check_suite.completed", async (context) => {
    const { repository, check_suite } = context.payload;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    await regateOnCheck(context.octokit, where, { headSha: check_suite.head_sha, runName: null }, { ...deps, log: context.log });
  });
}
