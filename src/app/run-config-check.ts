import type { Logger } from "pino";
import { planConfigCheck } from "../checks/config-check.js";
import type { GitHubClient, RepoRef } from "./github/github-client.js";
import { publishCheckRun } from "./github/publish-check-run.js";
import { CONFIG_PATH, type ConfigStore, loadConfigAt } from "./repo-config.js";

export interface ConfigCheckRun {
  headSha: string;
  mode: "pull_request" | "default_branch";
  /** The branch of `headSha`: in `default_branch` mode its last valid configuration is the one kept. */
  branch: string;
}

/**
 * Load → plan → publish the `fleetward/config` check for one commit. On the default branch a valid
 * configuration becomes the one the app acts with; an invalid one names the configuration kept instead.
 */
export async function runConfigCheck(gh: GitHubClient, where: RepoRef, run: ConfigCheckRun, store: ConfigStore, log: Logger): Promise<void> {
  const loaded = await loadConfigAt(gh, { ...where, ref: run.headSha });
  let fallbackSha: string | null = null;
  if (run.mode === "default_branch") {
    if (loaded.config) {
      store.remember({ ...where, ref: run.branch }, { config: loaded.config, sha: run.headSha, fallback: false });
    } else {
      const last = store.lastValid({ ...where, ref: run.branch }) ?? (await store.findLastValid(gh, { ...where, headSha: run.headSha }));
      fallbackSha = last?.sha ?? null;
    }
  }
  const plan = planConfigCheck({
    headSha: run.headSha,
    sources: loaded.sources,
    annotatable: (file) => file === CONFIG_PATH,
    problems: loaded.problems,
    fallbackSha,
    mode: run.mode,
  });
  log.info(
    { check: plan.name, sha: run.headSha, conclusion: plan.conclusion, problems: loaded.problems.length, fallbackSha },
    "configuration checked",
  );
  await publishCheckRun(gh, where, plan);
}
