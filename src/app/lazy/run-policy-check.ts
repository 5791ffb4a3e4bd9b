/**
 * `runPolicyCheck` loaded on first use (issue 17: the idle server holds no policy engine). run-policy-check.ts imports
 * the policy planners' helpers, the renderer's and the sandbox's; the first pull request pays that import, once.
 */
import type * as Real from "../run-policy-check.js";
import { onFirstCall } from "./on-first-call.js";

export const runPolicyCheck = onFirstCall<typeof Real.runPolicyCheck>(async () => (await import("../run-policy-check.js")).runPolicyCheck);
