/**
 * The check run of a job a sandbox limit ended: `failure`, "exceeded the time limit (30 s)" or "exceeded the
 * memory limit (512 MiB)", at the step the worker was on (a test, a module, a template), annotated at that file
 * and line when it is a file of the repository (the bundled library's files are not). Pure.
 */
import type { CheckRunPlan } from "../checks/check-run-plan.js";
import type { SandboxLimitHit } from "./sandbox-pool.js";
import { formatSeconds } from "./sandbox-limits.js";

/** `exceeded the time limit (30 s)` / `exceeded the memory limit (512 MiB)`. */
export function limitMessage(hit: Pick<SandboxLimitHit, "limit" | "amount">): string {
  return hit.limit === "time" ? `exceeded the time limit (${formatSeconds(hit.amount)})` : `exceeded the memory limit (${hit.amount} MiB)`;
}

export function limitCheckRun(name: string, headSha: string, hit: SandboxLimitHit, what: string): CheckRunPlan {
  const exceeded = limitMessage(hit);
  const step = hit.step;
  const where = step === undefined ? "" : ` at \`${step.file}:${step.line}\` (${step.what})`;
  const advice =
    hit.limit === "time"
      ? "A repository can raise `settings.policy.timeout` in `.github/fleetward.yml`, up to the server's maximum."
      : "The server's limit is `FLEETWARD_POLICY_MEMORY_MB`.";
  const annotate = step !== undefined && step.file !== "" && !step.file.startsWith("fleetward:");
  return {
    name,
    headSha,
    conclusion: "failure",
    title: `The ${what} ${exceeded}`,
    summary: `Fleetward stopped the ${what}: it ${exceeded}${where}.\n\n${advice} Policies run in a sandbox, so nothing else waited for this one.`,
    annotations: annotate
      ? [{ path: step.file, startLine: Math.max(1, step.line), endLine: Math.max(1, step.line), level: "failure", title: exceeded, message: `${step.what} ${exceeded}` }]
      : [],
  };
}
