import type { Probot } from "probot";
import type { PromotionHandlerDeps } from "../promotion/promotion-deps.js";
import { CONFIG_CHECK_NAME } from "../../checks/config-check.js";
import { runConfigCheck } from "../lazy/run-config-check.js";
import { POLICY_CHECK_NAME, POLICY_TESTS_CHECK_NAME, RENDER_CHECK_NAME } from "../../policy/check/check-names.js";
import { runPolicyCheck } from "../lazy/run-policy-check.js";
import { regateOnCheck } from "../lazy/promotion-events.js";

/**
 * check_run rerequested: "Re-run" on one of Fleetward's checks.
 * check_run completed: the gates of promotions on that head read the checks again.
 */
export function registerCheckRunHandlers(app: Probot, deps: PromotionHandlerDeps): void {
  app.on("check_run.rerequested", async (context) => {
    const run = context.payload.check_run;
    const where = { owner: context.payload.repository.owner.login, repo: context.payload.repository.name };
    if (run.name === CONFIG_CHECK_NAME) {
      const mode = run.pull_requests.length > 0 ? "pull_request" : "default_branch";
      const branch = run.check_suite?.head_branch ?? context.payload.repository.default_branch;
      await runConfigCheck(context.octokit, where, { headSha: run.head_sha, mode, branch }, deps.store, context.log);
    }
    // The policy checks (and the rendered diff, planned with them) re-run together; without a pull request there is
    // no base to judge against.
    const pull = run.pull_requests[0];
    if ((run.name === POLICY_CHECK_NAME || run.name === POLICY_TESTS_CHECK_NAME || run.name === RENDER_CHECK_NAME) && pull !== undefined) {
      const target = { pullNumber: pull.number, headSha: run.head_sha, baseSha: pull.base.sha, baseRef: pull.base.ref };
      await runPolicyCheck(context.octokit, where, target, deps, context.log);
    }
  });

  app.on("check_run.completed", async (context) => {
    const { repository, check_run } = context.payload;
    const where = { owner: repository.owner.login, repo: repository.name, defaultBranch: repository.default_branch };
    await regateOnCheck(context.octokit, where, { headSha: check_run.head_sha, runName: check_run.name }, { ...deps, log: context.log });
  });
}
