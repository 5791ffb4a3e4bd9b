/**
 * `runPolicyCheck` loaded on first use (issue 17: the idle server holds no policy engine). run-policy-check.ts imports
 * the policy planners' helpers, the renderer's and the sandbox's; the first pull request pays that import, once.
 */
import type { runPolicyCheck as RunPolicyCheck } from "../run-policy-check.js";

export async function runPolicyCheck(...args: Parameters<typeof RunPolicyCheck>): ReturnType<typeof RunPolicyCheck> {
  const { runPolicyCheck: run } = await import("../run-policy-check.js");
  return run(...args);
}
