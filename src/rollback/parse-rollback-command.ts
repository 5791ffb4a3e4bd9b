/**
 * Comment commands: `/rollback [environment|cluster]` on a merged pull request and `/unfreeze` on an incident.
 * A command is a line of its own (leading spaces allowed); quoted (`>`) and fenced code lines are ignored; the
 * first command line counts.
 */
export type RollbackCommand =
  | { kind: "rollback"; target: string | null }
  | { kind: "unfreeze" }
  | { kind: "invalid"; command: "rollback" | "unfreeze"; message: string };

const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** The first `/rollback` or `/unfreeze` command of a comment, or null when there is none. */
export function parseRollbackCommand(comment: string): RollbackCommand | null {
  let fenced = false;
  for (const raw of comment.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("```") || line.startsWith("~~~")) {
      fenced = !fenced;
      continue;
    }
    if (fenced || line.startsWith(">")) continue;
    const m = /^\/(rollback|unfreeze)(?=\s|$)(.*)$/.exec(line);
    if (!m) continue;
    const command = m[1] as "rollback" | "unfreeze";
    const args = (m[2] ?? "").trim().split(/\s+/).filter((a) => a !== "");
    if (command === "unfreeze") {
      return args.length === 0 ? { kind: "unfreeze" } : { kind: "invalid", command, message: "`/unfreeze` takes no arguments" };
    }
    if (args.length > 1) return { kind: "invalid", command, message: "`/rollback` takes at most one environment or cluster name" };
    const [target] = args;
    if (target === undefined) return { kind: "rollback", target: null };
    if (target.length > 63 || !NAME_RE.test(target)) {
      return { kind: "invalid", command, message: `\`${target.slice(0, 63).replace(/`/g, "'")}\` is not an environment or cluster name` };
    }
    return { kind: "rollback", target };
  }
  return null;
}
