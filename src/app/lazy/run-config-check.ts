/** `runConfigCheck` loaded on first use (issue 17): it validates with the config schema (zod). */
import type * as Real from "../run-config-check.js";
import { onFirstCall } from "./on-first-call.js";

export const runConfigCheck = onFirstCall<typeof Real.runConfigCheck>(async () => (await import("../run-config-check.js")).runConfigCheck);
