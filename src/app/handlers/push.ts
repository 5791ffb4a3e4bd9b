import type { Probot } from "probot";
import type { PromotionHandlerDeps } from "../promotion/promotion-deps.js";
import { promoteOnPush } from "../lazy/promotion-events.js";
import { CONFIG_PATH } from "../repo-config.js";
import { runConfigCheck } from "../lazy/run-config-check.js";

const ZERO_SHA = /^0+$/;

/**
 * push: changes reaching the default branch. The config check and promotion are separate handlers, so a
 * failure in one does not stop the other.
 */
export function registerPushHandlers(app: Probot, deps: PromotionHandlerDeps): void {
  app.on("push", async (context) => {
    const { payload } = context;
    const defaultBranch = payload.repository.default_branch;
    if (payload.ref !== `refs/heads/${defaultBranch}` || ZERO_SHA.test(payload.after)) return;
    const touched = payload.commits.some((c) =>
      [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(CONFIG_PATH),
    );
    if (!touched) return;
    const where = { owner: payload.repository.owner?.login ?? payload.repository.full_name.split("/")[0] ?? "", repo: payload.repository.name };
    await runConfigCheck(context.octokit, where, { headSha: payload.after, mode: "default_branch", branch: defaultBranch }, deps.store, context.log);
  });

  app.on("push", async (context) => {
    const { payload } = context;
    const where = {
      owner: payload.repository.owner?.login ?? payload.repository.full_name.split("/")[0] ?? "",
      repo: payload.repository.name,
      defaultBranch: payload.repository.default_branch,
    };
    const push = { ref: payload.ref, before: payload.before, after: payload.after, commits: payload.commits, pusher: payload.sender?.login ?? null };
    // Promotions run under the shared per-repository lock: with the store down, fail now (a failed delivery the
    // redeliverer resends), not after Probot's 9 s 202 when a slow GitHub read finally reaches the lock.
    await deps.coordinator.ensureReachable();
    await promoteOnPush(context.octokit, where, push, { ...deps, log: context.log });
  });
}
