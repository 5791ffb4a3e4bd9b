import { REPOSITORY_PERMISSIONS } from "../config/rollback-schema.js";
import type { RepositoryPermission } from "../config/rollback-schema.js";
import type { CommandAccess } from "./resolve-rollback-settings.js";

export interface CommandActor {
  login: string;
  /** The actor's permission on the repository (REST `collaborators/{user}/permission`, `role_name` mapped). */
  permission: RepositoryPermission;
  /** Team slugs the actor belongs to (`org/team` or `team`), as far as the caller looked them up. */
  teams: readonly string[];
  /** Bots (including Fleetward itself) never run commands. */
  isBot?: boolean;
}

export type Authorization = { allowed: true } | { allowed: false; reason: string };

function rank(p: RepositoryPermission): number {
  return REPOSITORY_PERMISSIONS.indexOf(p);
}

const slug = (t: string) => t.toLowerCase().split("/").pop() ?? "";

/**
 * Whether an actor may run `/rollback` or `/unfreeze` for a target, with that target's access settings
 * (`resolveRollbackSettings(...).rollbackCommand` / `.unfreezeCommand`): the permission at least the required one
 * (default write), and, when teams are listed, membership of one of them (`org/team` and `team` compare by slug,
 * unless both name an org).
 */
export function authorizeRollback(actor: CommandActor, access: CommandAccess, command: "rollback" | "unfreeze" = "rollback"): Authorization {
  if (actor.isBot === true || actor.login.toLowerCase().endsWith("[bot]")) return { allowed: false, reason: `bots cannot run /${command}` };
  if (rank(actor.permission) < rank(access.permission)) {
    return { allowed: false, reason: `@${actor.login} has ${actor.permission} permission; /${command} needs ${access.permission} or higher` };
  }
  if (access.teams.length > 0) {
    const member = access.teams.some((wanted) =>
      actor.teams.some((t) => (wanted.includes("/") && t.includes("/") ? wanted.toLowerCase() === t.toLowerCase() : slug(wanted) === slug(t))),
    );
    if (!member) return { allowed: false, reason: `@${actor.login} is in none of the teams allowed to run /${command}: ${access.teams.join(", ")}` };
  }
  return { allowed: true };
}
