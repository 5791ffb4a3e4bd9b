/** The comment commands' work loaded on the first command that runs it (issue 17: promotion and rollback planners, zod). */
import type * as Promote from "../promotion/run-promote-command.js";
import type * as Rollback from "../run-rollback-command.js";
import { onFirstCall } from "./on-first-call.js";

const rollback = () => import("../run-rollback-command.js");

export const runPromoteCommand = onFirstCall<typeof Promote.runPromoteCommand>(async () => (await import("../promotion/run-promote-command.js")).runPromoteCommand);
export const runRollbackCommand = onFirstCall<typeof Rollback.runRollbackCommand>(async () => (await rollback()).runRollbackCommand);
export const runUnfreezeCommand = onFirstCall<typeof Rollback.runUnfreezeCommand>(async () => (await rollback()).runUnfreezeCommand);
