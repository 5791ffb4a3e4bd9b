import { type GitHubClient, type RepoRef, isHttpStatus } from "./github-client.js";
import type { PermissionLevel } from "../../promotion/authorize-promote.js";

const LEVELS: readonly PermissionLevel[] = ["none", "read", "triage", "write", "maintain", "admin"];

/**
 * A user's permission on the repository (admin, maintain, write, triage, read or none). Uses `role_name`,
 * which tells maintain and triage apart, and falls back to `permission`. One
 * `repos.getCollaboratorPermissionLevel` call; a user GitHub does not know has "none".
 */
export async function getPermissionLevel(gh: GitHubClient, where: RepoRef & { user: string }): Promise<PermissionLevel> {
  try {
    const res = await gh.rest.repos.getCollaboratorPermissionLevel({ owner: where.owner, repo: where.repo, username: where.user });
    const role = (res.data as { role_name?: string }).role_name;
    const level = LEVELS.find((l) => l === role) ?? LEVELS.find((l) => l === res.data.permission);
    return level ?? "none";
  } catch (error) {
    if (isHttpStatus(error, 404)) return "none";
    throw error;
  }
}

/** The org and slug of a configured team, `team` (a team of `owner`) or `org/team`. */
export function teamRef(team: string, owner: string): { org: string; teamSlug: string } {
  const slash = team.indexOf("/");
  return { org: slash > 0 ? team.slice(0, slash) : owner, teamSlug: team.slice(slash + 1) };
}

/** True when `user` is an active member of the org's team `teamSlug`. One `teams.getMembershipForUserInOrg` call. */
export async function isTeamMember(gh: GitHubClient, where: { org: string; teamSlug: string; user: string }): Promise<boolean> {
  try {
    const res = await gh.rest.teams.getMembershipForUserInOrg({ org: where.org, team_slug: where.teamSlug, username: where.user });
    return res.data.state === "active";
  } catch (error) {
    if (isHttpStatus(error, 404)) return false;
    throw error;
  }
}
