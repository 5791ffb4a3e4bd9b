/** Who may `/promote`: write permission or above, and membership of a team the target environment names. */

export type PermissionLevel = "none" | "read" | "triage" | "write" | "maintain" | "admin";

export interface AuthorizePromoteInput {
  login: string;
  /** The commenter is a bot (`type: "Bot"` or a `[bot]` login): bots never run commands. */
  isBot: boolean;
  permission: PermissionLevel;
  /** `settings.promotion.promoters` of the target environment. */
  requiredTeams: readonly string[];
  /** Teams (`org/slug` or `slug`, as configured) the commenter belongs to. */
  teams: readonly string[];
}

export type AuthorizeResult = { allowed: true } | { allowed: false; reason: string };

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

const slug = (t: string) => t.toLowerCase().split("/").pop() ?? "";

/** Who may see `/promote status` (the open promotions and their gates): read permission or above, no bots. */
export function authorizePromoteStatus(input: Pick<AuthorizePromoteInput, "login" | "isBot" | "permission">): AuthorizeResult {
  if (input.isBot || input.login.toLowerCase().endsWith("[bot]")) return { allowed: false, reason: "commands from bots are ignored" };
  if ((RANK[input.permission] ?? 0) < RANK.read) {
    return { allowed: false, reason: `@${input.login} needs read permission to see the promotions (has ${input.permission})` };
  }
  return { allowed: true };
}

export function authorizePromote(input: AuthorizePromoteInput): AuthorizeResult {
  if (input.isBot || input.login.toLowerCase().endsWith("[bot]")) return { allowed: false, reason: "commands from bots are ignored" };
  if ((RANK[input.permission] ?? 0) < RANK.write) {
    return { allowed: false, reason: `@${input.login} needs write permission to promote (has ${input.permission})` };
  }
  if (input.requiredTeams.length === 0) return { allowed: true };
  // `org/slug` matches exactly; a bare `slug` matches that slug in any org the app sees.
  const member = input.requiredTeams.some((req) =>
    input.teams.some((t) => (req.includes("/") && t.includes("/") ? req.toLowerCase() === t.toLowerCase() : slug(req) === slug(t))),
  );
  return member
    ? { allowed: true }
    : { allowed: false, reason: `@${input.login} is not a member of ${input.requiredTeams.map((t) => `@${t}`).join(" or ")}` };
}
