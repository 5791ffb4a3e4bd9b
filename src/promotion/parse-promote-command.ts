/** `/promote` comment commands: only the first line counts, and only when the comment starts with the command. */

export type PromoteCommand =
  | { kind: "promote"; target: string; component: string | null }
  | { kind: "status" }
  | { kind: "help"; reason: string }
  /** The comment is not a `/promote` command at all. */
  | { kind: "none" };

export const PROMOTE_HELP = [
  "Usage:",
  "- `/promote <environment|environment/wave|cluster> [component]`: open the promotion into that target (every component when none is named).",
  "- `/promote status`: show the promotions of this change and their gates.",
].join("\n");

const NAME = /^[a-z0-9]([-a-z0-9./]*[a-z0-9])?$/;

/** Most characters of a commenter's argument a reply repeats (a reply must stay within GitHub's 65,536). */
export const MAX_ECHOED = 64;

/**
 * A commenter's argument as a reply repeats it: on one line, without backticks (it sits in a code span), and cut
 * to `max` characters with an ellipsis, so no argument can push a reply over GitHub's comment limit.
 */
export function echoArgument(text: string, max = MAX_ECHOED): string {
  const plain = text.replace(/[\r\n]+/g, " ").replace(/`/g, "'");
  if (plain.length <= max) return plain;
  // Never end on the first half of a surrogate pair.
  const end = /[\ud800-\udbff]/.test(plain[max - 2] ?? "") ? max - 2 : max - 1;
  return `${plain.slice(0, end)}…`;
}

export function parsePromoteCommand(comment: string): PromoteCommand {
  const first = (comment.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "").trim();
  const words = first.split(/\s+/).filter((w) => w !== "");
  if (words[0] !== "/promote") return { kind: "none" };
  const args = words.slice(1);
  if (args.length === 0) return { kind: "help", reason: "`/promote` needs a target" };
  if (args[0] === "status") return args.length === 1 ? { kind: "status" } : { kind: "help", reason: "`/promote status` takes no arguments" };
  if (args[0] === "help") return { kind: "help", reason: "help requested" };
  if (args.length > 2) return { kind: "help", reason: `too many arguments: ${echoArgument(args.slice(2).join(" "))}` };
  const [target, component] = args;
  if (target === undefined || !NAME.test(target) || target.includes("//")) return { kind: "help", reason: `"${echoArgument(target ?? "")}" is not an environment, wave or cluster name` };
  if (component !== undefined && (!NAME.test(component) || component.includes(".."))) return { kind: "help", reason: `"${echoArgument(component)}" is not a component name` };
  return { kind: "promote", target, component: component ?? null };
}
