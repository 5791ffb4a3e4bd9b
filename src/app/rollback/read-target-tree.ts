import type { Fleet } from "../../fleet/build-fleet.js";
import type { FileTree } from "../../rollback/plan-revert.js";
import type { RollbackTarget } from "../../rollback/rollback-target.js";
import { targetContainsPath } from "../../rollback/target-contains-path.js";
import type { GitHubClient, RepoRef } from "../github/github-client.js";
import { listTree } from "../github/read-tree-files.js";

/**
 * The target's files at a commit as path → blob SHA (`planRevert` only compares and copies values, so no
 * content is downloaded). One `git.getTree` call; a truncated listing is refused rather than half-used.
 */
export async function readTargetTree(
  gh: GitHubClient,
  where: RepoRef & { ref: string },
  fleet: Fleet,
  target: Pick<RollbackTarget, "environment" | "clusters" | "component">,
): Promise<FileTree> {
  const listing = await listTree(gh, where);
  if (listing.truncated) throw new Error(`the tree of ${where.owner}/${where.repo}@${where.ref} is too large for one listing`);
  const tree: Record<string, string> = {};
  for (const [path, sha] of listing.blobs) if (targetContainsPath(fleet, target, path)) tree[path] = sha;
  return tree;
}
