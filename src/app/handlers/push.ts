import type { Probot } from "probot";
import { CONFIG_PATH, type ConfigStore } from "../repo-config.js";
import { runConfigCheck } from "../run-config-check.js";

const ZERO_SHA = /^0+$/;

/** push: changes reaching the default branch. */
export function registerPushHandlers(app: Probot, deps: { store: ConfigStore }): void {
  app.on("push", async (context) => {
    const { payload } = context;
    const defaultBranch = payload.repository.default_branch;
    if (payload.ref !== `refs/heads/${defaultBranch}` || ZERO_SHA.test(payload.after)) return;
    const touched = payload.commits.some((c) =>
      [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(CONFIG_PATH),
    );
    if (!touched) return;
    const where = { owner: payload.repository.owner?.login ?? payload.repository.full_name.split("/")[0] ?? "", repo: payload.repository.name };
    await runConfigCheck(context.octokit, where, { headSha: payload.after, mode: "default_branch" }, deps.store, context.log);
  });
}
